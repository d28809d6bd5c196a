/**
 * What the `heapscope` debug adapter does, on the engine: launch a program with its inspector on a
 * loopback port (output to the Debug Console) or attach to one, and watch it as a Session.
 */
import * as path from 'node:path';
import { InputError } from '../engine/errors';
import { launchScript } from '../engine/inspector';
import { attachTo, startSession } from './attach';
import type { AttachArguments, LaunchArguments, MonitoredProgram, MonitorHost, ProgramEvents } from './debug-adapter';
import type { SessionManager } from './session-manager';

/** A launched program gets this long to exit after SIGTERM before SIGKILL. */
const TERMINATE_GRACE_MS = 3000;

export function createMonitorHost(manager: SessionManager): MonitorHost {
  return {
    async launch(debugSessionId: string, args: LaunchArguments, events: ProgramEvents): Promise<MonitoredProgram> {
      const command = [args.runtimeExecutable ?? 'node', ...(args.runtimeArgs ?? []), args.program, ...(args.args ?? [])];
      const launched = await launchScript(command, {
        cwd: args.cwd ?? path.dirname(args.program),
        env: environment(args.env),
        onStdout: (chunk) => events.output('stdout', chunk.toString('utf8')),
        onStderr: (chunk) => events.output('stderr', chunk.toString('utf8')),
      }).catch((error: unknown) => {
        throw inLaunchJsonTerms(error);
      });
      const session = startSession(manager, launched.session, {
        label: path.basename(args.program),
        origin: 'launch',
        debugSessionId,
        statsIntervalMs: args.statsInterval,
      });
      void launched.exitCode.then((code) => {
        events.output('console', `${path.basename(args.program)} exited with code ${code}. Its samples and captures stay in the Heapscope view.\n`);
        events.ended(code);
      });
      return {
        async stop(mode) {
          if (mode === 'detach') return session.detach();
          const { child } = launched;
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), TERMINATE_GRACE_MS);
          await launched.exitCode;
          clearTimeout(timer);
        },
      };
    },

    async attach(debugSessionId: string, args: AttachArguments, events: ProgramEvents): Promise<MonitoredProgram> {
      const address = args.url ? { url: args.url } : { host: args.host ?? '127.0.0.1', port: args.port ?? 9229 };
      const session = await attachTo(manager, address, { debugSessionId, statsIntervalMs: args.statsInterval });
      session.inspector.onDisconnect((reason) => {
        if (reason !== 'closed') events.output('console', `Heapscope: ${session.endReason ?? reason}.\n`);
        events.ended(undefined);
      });
      // Heapscope never kills a process it did not start: both modes only detach.
      return { stop: () => session.detach() };
    },
  };
}

/** The engine's hints speak of the command line (`after --`); here the user edits launch.json. */
function inLaunchJsonTerms(error: unknown): unknown {
  if (!(error instanceof InputError) || !error.hint?.includes('--')) return error;
  return new InputError(error.message, 'Check "program" and "runtimeExecutable" (the Node.js binary; default: node on the PATH) in the launch configuration.');
}

/** The extension host's environment with the configuration's changes (null removes a variable). */
function environment(changes: Record<string, string | null> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(changes ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}
