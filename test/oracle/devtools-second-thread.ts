// Worker-thread entry: DevTools computes retainers, dominators and retained sizes in a second
// worker while the first one names objects. This runs that second half (DevTools' own
// SecondaryInitManager) on the MessagePort it is handed, as DevTools does in the browser.
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

interface SecondThreadData {
  bundlePath: string;
  port: MessagePort;
}

const { bundlePath, port } = workerData as SecondThreadData;
void (async () => {
  const devtools = (await import(pathToFileURL(bundlePath).href)) as {
    SecondaryInitManager: new (port: MessagePort) => unknown;
  };
  new devtools.SecondaryInitManager(port);
})();
