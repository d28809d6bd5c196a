/**
 * Asks the extension snapshot questions and pairs each answer with its question by `requestId`.
 * The answer's kind must match the question's, or the promise rejects: a reply to another
 * question is never shown as this one.
 */
import { SnapshotQuery, SnapshotQueryResult } from '../../protocol/snapshot';
import { ToWebview } from '../../protocol/messages';
import { Host } from '../host';

type ResultOf<K extends SnapshotQuery['kind']> = Extract<SnapshotQueryResult, { kind: K }>;

interface Pending {
  kind: SnapshotQuery['kind'];
  resolve(result: SnapshotQueryResult): void;
  reject(error: Error): void;
}

export class SnapshotQueries {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly host: Host) {
    host.onMessage((message) => this.onMessage(message));
  }

  ask<Q extends SnapshotQuery>(query: Q): Promise<ResultOf<Q['kind']>> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { kind: query.kind, resolve: resolve as Pending['resolve'], reject });
      this.host.post({ type: 'query', requestId, query });
    });
  }

  /** Drops every unanswered question (the snapshot was reloaded: their answers no longer apply). */
  cancelAll(): void {
    for (const pending of this.pending.values()) pending.reject(new Error('the snapshot was reloaded'));
    this.pending.clear();
  }

  private onMessage(message: ToWebview): void {
    if (message.type !== 'queryResult' && message.type !== 'queryError') return;
    const pending = this.pending.get(message.requestId);
    if (!pending) return;
    this.pending.delete(message.requestId);
    if (message.type === 'queryError') pending.reject(new Error(message.message));
    else if (message.result.kind !== pending.kind) pending.reject(new Error(`expected a ${pending.kind} answer, got ${message.result.kind}`));
    else pending.resolve(message.result);
  }
}
