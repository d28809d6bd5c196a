/**
 * The sessions of this window, and which one is current (the status bar's, and the one commands
 * act on when called without an argument).
 */
import * as vscode from 'vscode';
import type { Session } from './session';

export class SessionManager implements vscode.Disposable {
  private readonly all: Session[] = [];
  private currentSession: Session | undefined;
  private readonly changed = new vscode.EventEmitter<Session | undefined>();
  /** Fires with the session that changed, or undefined when the set of sessions changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  get sessions(): readonly Session[] {
    return this.all;
  }

  get current(): Session | undefined {
    return this.currentSession;
  }

  add(session: Session): void {
    this.all.push(session);
    this.currentSession = session;
    this.subscriptions.push(session.onDidChange((changed) => this.changed.fire(changed)));
    this.changed.fire(undefined);
  }

  select(session: Session): void {
    this.currentSession = session;
    this.changed.fire(undefined);
  }

  /** Forget a session that is no longer live (its captures stay on disk). */
  remove(session: Session): void {
    const index = this.all.indexOf(session);
    if (index < 0) return;
    this.all.splice(index, 1);
    session.dispose();
    if (this.currentSession === session) this.currentSession = this.all[this.all.length - 1];
    this.changed.fire(undefined);
  }

  byId(id: string): Session | undefined {
    return this.all.find((session) => session.id === id);
  }

  /** Detaches from every live session, leaving each target as it was found (probe removed, sampler stopped). */
  async detachAll(): Promise<void> {
    await Promise.all(this.all.filter((session) => session.live).map((session) => session.detach().catch(() => undefined)));
  }

  dispose(): void {
    for (const session of this.all) session.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
