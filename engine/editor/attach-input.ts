/**
 * What a user may type to name an inspector: `9229`, `localhost:9229`, `[::1]:9229`,
 * `ws://127.0.0.1:9229/<id>`, or the `http://host:port` of DevTools' target list.
 */
import { InputError } from '../errors';

export type AttachAddress = { host: string; port: number } | { url: string };

export function parseAttachInput(input: string): AttachAddress {
  const text = input.trim();
  if (/^\d+$/.test(text)) return { host: '127.0.0.1', port: portNumber(text, input) };
  if (/^wss?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw invalid(input);
    }
    return { url: text };
  }
  const withScheme = /^https?:\/\//i.test(text) ? text : `http://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw invalid(input);
  }
  if (!parsed.port || (parsed.pathname !== '/' && parsed.pathname !== '/json' && parsed.pathname !== '/json/list')) throw invalid(input);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: portNumber(parsed.port, input) };
}

function portNumber(text: string, input: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`'${input}' is not a port (1–65535)`, 'Give the port passed to --inspect, e.g. 9229.');
  return port;
}

function invalid(input: string): InputError {
  return new InputError(
    `'${input}' is not an inspector address`,
    'Give a port (9229), host:port (127.0.0.1:9229) or the ws:// URL printed by "Debugger listening on …".',
  );
}
