/**
 * Watching the memory of the user's own Node debug session, through the JavaScript debugger's CDP
 * proxy (`extension.js-debug.requestCDPProxy`): no second --inspect port, and it works for launch and
 * attach configurations alike. The proxy is asked for the *child* (target) session, the one that
 * talks to the Node process; the parent only launches it. The connection is shared with the
 * debugger, so engine/inspector subscribes to events with JsDebug.subscribe and disables nothing.
 */
import * as vscode from 'vscode';
import { InputError } from '../engine/errors';
import { connect } from '../engine/inspector';
import { startSession } from './attach';
import type { Session } from './session';
import type { SessionManager } from './session-manager';
import { showError } from './log';
import { settings } from './settings';

const NODE_DEBUG_TYPES = new Set(['pwa-node', 'node', 'pwa-extensionHost', 'node-terminal']);
const CONTEXT_ATTACHED = 'heapscope.debugSessionAttached';

interface CdpProxyAddress {
  host: string;
  port: number;
  path?: string;
}

/** The child session that talks to the Node process, for a session the user picked or focused. */
function targetSessionOf(session: vscode.DebugSession, known: readonly vscode.DebugSession[]): vscode.DebugSession | undefined {
  if (!NODE_DEBUG_TYPES.has(session.type)) return undefined;
  if (session.parentSession) return session;
  return known.find((candidate) => candidate.parentSession?.id === session.id) ?? session;
}

export class DebugSessionAttacher implements vscode.Disposable {
  /** Debug sessions seen starting (VS Code has no API listing them). */
  private readonly running: vscode.DebugSession[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private attachedContext: boolean | undefined;

  constructor(private readonly manager: SessionManager) {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((session) => {
        this.running.push(session);
        void this.offer(session);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        const index = this.running.indexOf(session);
        if (index >= 0) this.running.splice(index, 1);
        // js-debug's proxy may outlive the program: end the watch with the debug session.
        for (const watched of manager.sessions) {
          if (watched.live && watched.origin === 'debug' && watched.debugSessionId === session.id) void watched.ended('the debug session ended');
        }
        this.updateContext();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.updateContext()),
      manager.onDidChange(() => this.updateContext()),
    ];
  }

  /** Attach to the given debug session (or the active one). */
  async attach(debugSession = vscode.debug.activeDebugSession): Promise<Session> {
    if (!debugSession) throw new InputError('there is no debug session to attach to', 'Start a Node.js debug session (F5) first.');
    const target = targetSessionOf(debugSession, this.running);
    if (!target) {
      throw new InputError(`'${debugSession.name}' is not a Node.js debug session (type ${debugSession.type})`, 'Heapscope attaches to sessions of VS Code\'s JavaScript debugger.');
    }
    const existing = this.sessionFor(target);
    if (existing) return existing;
    let address: CdpProxyAddress | undefined;
    try {
      address = await vscode.commands.executeCommand<CdpProxyAddress>('extension.js-debug.requestCDPProxy', target.id);
    } catch (error) {
      throw new InputError(`the JavaScript debugger did not open a CDP proxy: ${error instanceof Error ? error.message : String(error)}`, 'Is the built-in JavaScript debugger enabled?');
    }
    if (!address) throw new InputError(`the JavaScript debugger has no CDP proxy for '${target.name}'`, 'Attach once the program is running.');
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    const inspector = await connect({ url: `ws://${host}:${address.port}${address.path ?? ''}`, sharedWithDebugger: true });
    return startSession(this.manager, inspector, { label: target.name, origin: 'debug', debugSessionId: target.id });
  }

  /** A running debug session by id. */
  find(debugSessionId: string): vscode.DebugSession | undefined {
    return this.running.find((session) => session.id === debugSessionId);
  }

  /** The Heapscope session watching this debug session, if any (any debug type, `heapscope` too). */
  sessionFor(debugSession: vscode.DebugSession): Session | undefined {
    const ids = new Set([debugSession.id, ...this.running.filter((s) => s.parentSession?.id === debugSession.id).map((s) => s.id)]);
    return this.manager.sessions.find((session) => session.live && session.debugSessionId !== undefined && ids.has(session.debugSessionId));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** When a Node program starts under the debugger, offer to watch it (once per session). */
  private async offer(session: vscode.DebugSession): Promise<void> {
    if (!settings.offerDebugSessionAttach() || !NODE_DEBUG_TYPES.has(session.type) || !session.parentSession) return;
    if (session.type === 'pwa-extensionHost') return;
    const watch = 'Watch Memory';
    const never = 'Don\'t Ask Again';
    const answer = await vscode.window.showInformationMessage(`Watch the memory of '${session.name}' with Heapscope?`, watch, never);
    if (answer === never) await vscode.workspace.getConfiguration('heapscope').update('offerDebugSessionAttach', false, vscode.ConfigurationTarget.Global);
    if (answer !== watch || !this.running.includes(session)) return;
    await this.attach(session).catch((error: unknown) => showError(`Attaching to '${session.name}'`, error));
  }

  private updateContext(): void {
    const active = vscode.debug.activeDebugSession;
    const attached = active !== undefined && this.sessionFor(active) !== undefined;
    // The manager changes with every sample: tell VS Code only when the answer changes.
    if (attached === this.attachedContext) return;
    this.attachedContext = attached;
    void vscode.commands.executeCommand('setContext', CONTEXT_ATTACHED, attached);
  }
}
