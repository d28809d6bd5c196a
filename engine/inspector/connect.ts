/**
 * Attaching: from what the user gave (a port, a ws:// address, a js-debug CDP proxy address) to an
 * open InspectorSession. An inspector runs any code it is sent, so an address that is not this
 * machine needs explicit consent.
 */
import { InputError } from '../errors';
import { listTargets } from './discover';
import { InspectorSession } from './session';

export interface ConnectOptions {
  /** An inspector port (the one given to --inspect); its first target is used. */
  port?: number;
  /** Host for `port`. Default 127.0.0.1. */
  host?: string;
  /** A ready WebSocket address: ws://host:port/<id>, or the address js-debug's requestCDPProxy returns. */
  url?: string;
  /** Same as `url` (both names are accepted). */
  wsUrl?: string;
  /** Allow a host that is not loopback. Anyone who can reach an inspector port can run code in that process. */
  allowRemote?: boolean;
  /**
   * The connection is shared with a debugger (js-debug's CDP proxy): subscribe to the events we need
   * with JsDebug.subscribe, and never disable a domain the debugger uses.
   */
  sharedWithDebugger?: boolean;
}

export async function connect(options: ConnectOptions): Promise<InspectorSession> {
  const url = options.url ?? options.wsUrl;
  if (url !== undefined && options.port !== undefined) throw new InputError('give either a port or a WebSocket URL, not both');
  if (url !== undefined) {
    const address = parseWsUrl(url);
    assertLocalOrAllowed(address.host, options.allowRemote);
    return openOrExplain(address.wsUrl, address.host, address.port, options.sharedWithDebugger ?? false);
  }
  if (options.port === undefined) throw new InputError('nothing to attach to: give a port or a WebSocket URL');
  const port = options.port;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InputError(`not a port number: ${port}`);
  const host = options.host ?? '127.0.0.1';
  assertLocalOrAllowed(host, options.allowRemote);
  const targets = await listTargets(host, port);
  if (targets.length === 0) {
    throw new InputError(`the inspector on ${host}:${port} lists no targets`, 'Is another debugger holding the only session?');
  }
  const target = targets.find((t) => t.type === 'node') ?? targets[0];
  return openOrExplain(target.wsUrl, host, port, options.sharedWithDebugger ?? false);
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

function assertLocalOrAllowed(host: string, allowRemote: boolean | undefined): void {
  if (isLoopback(host) || allowRemote) return;
  throw new InputError(
    `refusing to attach to ${host}: it is not this machine, and anyone who can reach an inspector port can run any code in that process`,
    'If you trust the network path, pass --allow-remote (allowRemote: true); better, tunnel the port to 127.0.0.1 over SSH.',
  );
}

function parseWsUrl(url: string): { wsUrl: string; host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`not a WebSocket URL: ${url}`, 'Expected ws://host:port/<id>, as printed by "Debugger listening on ...".');
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new InputError(`not a WebSocket URL: ${url}`, 'Expected ws://host:port/<id>; for a port, use --port instead.');
  }
  return { wsUrl: url, host: parsed.hostname, port: Number(parsed.port || (parsed.protocol === 'wss:' ? 443 : 80)) };
}

async function openOrExplain(wsUrl: string, host: string, port: number, shared: boolean): Promise<InspectorSession> {
  try {
    return await InspectorSession.open({ wsUrl, host, port }, shared);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/ECONNREFUSED/.test(message)) throw new InputError(`nothing is listening on ${host}:${port} (${wsUrl})`, 'Is the target still running?');
    if (/Unexpected server response|unexpected-response|400|404/.test(message)) {
      throw new InputError(`${wsUrl} refused the WebSocket connection (${message})`,
        'The target id may be stale (the process restarted) or another debugger holds the session; list targets again.');
    }
    throw new InputError(`could not connect to ${wsUrl}: ${message}`);
  }
}
