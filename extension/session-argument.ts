/**
 * Which session a command acts on. Commands get their argument from many places: a session id
 * (tests, the dashboard), a Sessions-tree node (context menus), nothing (palette, debug toolbar).
 */
import * as vscode from 'vscode';
import { InputError } from '../engine/errors';
import type { Session } from './session';
import type { Services } from './services';

export async function resolveSession(services: Services, argument: unknown, options: { live: boolean }): Promise<Session> {
  const { manager, debugSessions } = services;
  let session: Session | undefined;
  if (typeof argument === 'string') {
    session = manager.byId(argument);
    if (!session) throw new InputError(`there is no Heapscope session '${argument}'`);
  } else if (isTreeNode(argument)) {
    session = argument.session;
  } else {
    const debugSession = vscode.debug.activeDebugSession;
    session = (debugSession && debugSessions.sessionFor(debugSession)) ?? (await chooseSession(services, options.live));
  }
  if (options.live && !session.live) {
    throw new InputError(`${session.label} is no longer attached (${session.endReason ?? session.state})`, 'Attach to the process again to capture from it.');
  }
  return session;
}

function isTreeNode(value: unknown): value is { session: Session } {
  return typeof value === 'object' && value !== null && 'session' in value && 'kind' in value;
}

/** The current session when it fits, else the only candidate, else ask. */
async function chooseSession(services: Services, live: boolean): Promise<Session> {
  const candidates = services.manager.sessions.filter((session) => !live || session.live);
  const current = services.manager.current;
  if (current && candidates.includes(current)) return current;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new InputError(
      live ? 'no process is attached' : 'there is no Heapscope session',
      'Attach first: run "Heapscope: Attach to Node Process…" or "Heapscope: Launch Script with Memory Monitor".',
    );
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((session) => ({ label: session.label, description: session.state, session })),
    { title: 'Which session?' },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.session;
}
