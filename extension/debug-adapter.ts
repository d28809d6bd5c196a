/**
 * The `heapscope` launch-configuration type: a small Debug Adapter Protocol server, run inline in the
 * extension host, that launches (or attaches to) a Node program under memory monitoring. It does not
 * step or break — that is the JavaScript debugger's job — but being a real debug adapter gives the
 * program the debug toolbar (stop, restart), the Debug Console for its output, preLaunchTask and
 * compound configurations for free.
 */
import { DebugSession, ExitedEvent, InitializedEvent, OutputEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { errorText } from './log';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  program: string;
  args?: string[];
  cwd?: string;
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  env?: Record<string, string | null>;
  statsInterval?: number;
}

export interface AttachArguments extends DebugProtocol.AttachRequestArguments {
  port?: number;
  host?: string;
  url?: string;
  statsInterval?: number;
}

/** A program being watched, as the adapter sees it. */
export interface MonitoredProgram {
  /**
   * `terminate`: a launched program gets SIGTERM (then SIGKILL if it lingers); an attached one is
   * only detached from — Heapscope never kills a process it did not start. `detach`: leave it running.
   */
  stop(mode: 'terminate' | 'detach'): Promise<void>;
}

export interface ProgramEvents {
  output(category: 'stdout' | 'stderr' | 'console', text: string): void;
  /** The program (or the connection to it) ended; exitCode when a launched program exited. */
  ended(exitCode: number | undefined): void;
}

/** What the adapter asks the rest of the extension to do; keeps this file free of engine details. */
export interface MonitorHost {
  launch(debugSessionId: string, args: LaunchArguments, events: ProgramEvents): Promise<MonitoredProgram>;
  attach(debugSessionId: string, args: AttachArguments, events: ProgramEvents): Promise<MonitoredProgram>;
}

export class HeapscopeDebugAdapter extends DebugSession {
  private program: MonitoredProgram | undefined;
  private launched = false;
  private ended = false;

  constructor(
    private readonly debugSessionId: string,
    private readonly host: MonitorHost,
  ) {
    super();
    // Never let the library call process.exit: we share the extension host's process.
    this.setRunAsServer(true);
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true, supportsTerminateRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    this.launched = true;
    await this.run(response, () => this.host.launch(this.debugSessionId, args, this.programEvents()));
  }

  protected async attachRequest(response: DebugProtocol.AttachResponse, args: AttachArguments): Promise<void> {
    await this.run(response, () => this.host.attach(this.debugSessionId, args, this.programEvents()));
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(1, 'Node.js (memory monitor)')] };
    this.sendResponse(response);
  }

  protected async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.program?.stop('terminate').catch(() => undefined);
    this.sendResponse(response);
  }

  protected async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    // A launched program ends with its session unless the client asks otherwise; an attached one lives on.
    const terminate = args.terminateDebuggee ?? this.launched;
    await this.program?.stop(terminate ? 'terminate' : 'detach').catch(() => undefined);
    this.sendResponse(response);
  }

  private async run(response: DebugProtocol.Response, begin: () => Promise<MonitoredProgram>): Promise<void> {
    try {
      this.program = await begin();
      this.sendResponse(response);
    } catch (error) {
      const { message, hint } = errorText(error);
      this.sendErrorResponse(response, { id: 1, format: hint ? `${message} ${hint}` : message, showUser: true });
    }
  }

  private programEvents(): ProgramEvents {
    return {
      output: (category, text) => this.sendEvent(new OutputEvent(text, category)),
      ended: (exitCode) => {
        if (this.ended) return;
        this.ended = true;
        if (exitCode !== undefined) this.sendEvent(new ExitedEvent(exitCode));
        this.sendEvent(new TerminatedEvent());
      },
    };
  }
}
