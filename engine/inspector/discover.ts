/**
 * Finding inspector targets: `GET /json/list` on a host's ports. Node answers with one target per
 * process (and one per worker with --inspect-publish-uid / experimental-worker-inspection).
 */
import { get } from 'node:http';
import { InputError } from '../errors';

export interface InspectorTarget {
  /** The WebSocket address to connect to. */
  wsUrl: string;
  host: string;
  port: number;
  /** What the target calls itself: for Node, the script path. */
  title: string;
  /** The script's file URL, when Node reports one. */
  url: string;
  type: string;
  id: string;
}

/** The ports Node's inspector uses when started with a bare --inspect, plus common neighbours. */
export const DEFAULT_INSPECTOR_PORTS: readonly number[] = [9229, 9230, 9231, 9232];

/**
 * List the targets on each port of `host` (loopback by default). Ports with nothing listening, or
 * something that is not an inspector, are skipped: this is a scan, not an attach.
 */
export async function discoverTargets(ports: readonly number[] = DEFAULT_INSPECTOR_PORTS, host = '127.0.0.1'): Promise<InspectorTarget[]> {
  const lists = await Promise.all(ports.map((port) => listTargets(host, port).catch(() => [])));
  return lists.flat();
}

/** The targets on one port. Rejects with an InputError that says what answered instead of an inspector. */
export async function listTargets(host: string, port: number, timeoutMs = 3000): Promise<InspectorTarget[]> {
  const where = `${host}:${port}`;
  const body = await httpGet(host, port, '/json/list', timeoutMs).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED') {
      throw new InputError(`nothing is listening on ${where}`,
        'Start the program with --inspect=PORT (or run `kill -USR1 <pid>` to open the inspector on 9229) and check the port.');
    }
    if (error.code === 'ETIMEDOUT') {
      throw new InputError(`${where} did not answer within ${timeoutMs / 1000} s`, 'Check the host and port; is a firewall in the way?');
    }
    throw new InputError(`${where} is not a Node inspector: ${error.message}`, 'Check the port: it must be the one given to --inspect.');
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    parsed = undefined;
  }
  if (body.status !== 200 || !Array.isArray(parsed)) {
    const sample = body.text.slice(0, 60).replace(/\s+/g, ' ');
    throw new InputError(`${where} is not a Node inspector: GET /json/list answered ${body.status} "${sample}"`,
      'Check the port: it must be the one given to --inspect, not the application\'s own port.');
  }
  return parsed.flatMap((entry: Record<string, unknown>) =>
    typeof entry?.webSocketDebuggerUrl === 'string'
      ? [{
          wsUrl: entry.webSocketDebuggerUrl, host, port,
          title: String(entry.title ?? ''), url: String(entry.url ?? ''), type: String(entry.type ?? ''), id: String(entry.id ?? ''),
        }]
      : []);
}

function httpGet(host: string, port: number, path: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = get({ host, port, path, timeout: timeoutMs, headers: { host: `${host}:${port}` } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        // An inspector's list is small; something streaming megabytes at us is not one.
        if (text.length > 1_000_000) request.destroy(new Error('answer too large'));
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
  });
}
