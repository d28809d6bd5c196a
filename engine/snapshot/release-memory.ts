/**
 * Asks V8 for a full garbage collection between analysis steps. The big typed arrays a step
 * throws away are only returned to the system when the collector runs, and V8 does not count
 * them as heap pressure; collecting at the few points where hundreds of MB just became garbage
 * keeps the peak memory near what is live (a collection of our small JS heap takes milliseconds).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;

export function releaseMemory(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
