/**
 * What `watch`, `snapshot` and `profile` share: the options that name a target
 * (`--port P [--host H]`, `--url ws://…`, or `-- node app.js args…`), attaching or launching, and
 * leaving the target as we found it (a launched program is stopped; an attached one is left running).
 */
import { InputError } from '../../engine/errors';
import { connect, DEFAULT_INSPECTOR_PORTS, discoverTargets, launchScript, type InspectorSession, type LaunchedProgram } from '../../engine/inspector';
import type { ParsedArgs } from '../args';

export const TARGET_VALUE_OPTIONS = ['port', 'host', 'url'] as const;
export const TARGET_BOOLEAN_OPTIONS = ['allow-remote'] as const;

export const TARGET_USAGE = `target (one of):
  --port P [--host H]    attach to a process started with --inspect=P (host defaults to 127.0.0.1)
  --url ws://…           attach to a WebSocket address ("Debugger listening on ws://…")
  -- node app.js args…   launch the program with an inspector on a free loopback port and attach;
                         its arguments, output and exit code pass through
  --allow-remote         allow a host that is not this machine (anyone who can reach an inspector
                         port can run code in that process)`;

export interface Target {
  session: InspectorSession;
  /** Set when we launched the program. */
  launched?: LaunchedProgram;
  /**
   * Close the session and stop a program we launched. `programFinished`: it is ending by itself,
   * so give it time to exit with its own code before stopping it.
   */
  release(programFinished?: boolean): Promise<void>;
}

export async function openTarget(args: ParsedArgs): Promise<Target> {
  const port = args.values.get('port');
  const url = args.values.get('url');
  const command = args.passthrough;
  const given = [port !== undefined, url !== undefined, command.length > 0].filter(Boolean).length;
  if (given > 1) throw new InputError('give only one target', 'Use one of --port P, --url ws://…, or -- node app.js.');
  if (given === 0) throw new InputError('no target given', await suggestTargets());
  const allowRemote = args.booleans.has('allow-remote');
  if (command.length > 0) {
    const launched = await launchScript(command, {
      onStdout: (chunk) => process.stdout.write(chunk),
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    return { session: launched.session, launched, release: (programFinished = false) => stopLaunched(launched, programFinished) };
  }
  const session = port !== undefined
    ? await connect({ port: parsePort(port), host: args.values.get('host'), allowRemote })
    : await connect({ url, allowRemote });
  return { session, release: () => session.close() };
}

/** Name the inspectors listening on the usual local ports, so the user can pick one. */
async function suggestTargets(): Promise<string> {
  const found = await discoverTargets();
  const usage = 'Use one of --port P, --url ws://…, or -- node app.js.';
  if (found.length === 0) return `${usage} No inspector is listening on 127.0.0.1:${DEFAULT_INSPECTOR_PORTS.join('/')}.`;
  return `${usage} Listening now: ${found.map((t) => `--port ${t.port} (${t.title || t.url})`).join(', ')}.`;
}

/** "1s", "500ms", "2m", "1h", or a bare number of seconds -> milliseconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new InputError(`--${option} ${text}: not a duration`, 'Write it like 500ms, 10s, 5m or 1h.');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new InputError(`--${option} must be more than zero`);
  return ms;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InputError(`--port ${text}: not a port number (1-65535)`);
  return port;
}

/** Close the session, then end the program we launched: SIGTERM, and SIGKILL if it lingers. */
async function stopLaunched(launched: LaunchedProgram, programFinished: boolean): Promise<void> {
  await launched.session.close();
  const { child } = launched;
  const running = () => child.exitCode === null && child.signalCode === null;
  const timers: NodeJS.Timeout[] = [];
  if (running()) {
    timers.push(setTimeout(() => child.kill('SIGTERM'), programFinished ? 5000 : 0));
    timers.push(setTimeout(() => child.kill('SIGKILL'), programFinished ? 8000 : 3000));
  }
  await launched.exitCode;
  timers.forEach(clearTimeout);
}
