/**
 * Plays the extension's side of the snapshot viewer for the browser tests: opens the snapshot in
 * the real engine worker (SnapshotWorkerClient), forwards its progress, and answers each query the
 * page posts with the worker's answer — the same mapping the extension's custom editor does.
 */
import * as path from 'node:path';
import { SnapshotWorkerClient } from '../../engine/snapshot';
import type { LoadProgress } from '../../engine/snapshot';
import { answerSnapshotQuery } from '../../engine/snapshot/answer-query';
import { FromWebview } from '../../protocol/messages';
import { SnapshotQuery, SnapshotQueryResult } from '../../protocol/snapshot';
import { WebviewPage } from './page';

export class SnapshotStandIn {
  readonly queries: SnapshotQuery[] = [];
  private baseline: string | undefined;

  private constructor(
    readonly client: SnapshotWorkerClient,
    readonly file: string,
    readonly progress: LoadProgress[],
    private readonly baselineFile?: string,
  ) {}

  static async open(file: string, baselineFile?: string): Promise<SnapshotStandIn> {
    const progress: LoadProgress[] = [];
    const client = await SnapshotWorkerClient.open(file, { onProgress: (p) => progress.push(p) });
    return new SnapshotStandIn(client, file, progress, baselineFile);
  }

  readonly handle = async (message: FromWebview, view: WebviewPage): Promise<void> => {
    if (message.type === 'ready') {
      for (const progress of this.progress) await view.send({ type: 'snapshotProgress', progress });
      await this.sendReady(view);
    } else if (message.type === 'pickBaseline' && this.baselineFile) {
      this.baseline = this.baselineFile;
      await this.sendReady(view);
    } else if (message.type === 'query') {
      this.queries.push(message.query);
      try {
        await view.send({ type: 'queryResult', requestId: message.requestId, result: await this.answer(message.query) });
      } catch (error) {
        await view.send({ type: 'queryError', requestId: message.requestId, message: (error as Error).message });
      }
    }
  };

  async sendReady(view: WebviewPage): Promise<void> {
    await view.send({
      type: 'snapshotReady',
      info: { fileName: path.basename(this.file), rootIndex: 0, summary: this.client.summary },
      baseline: this.baseline ? path.basename(this.baseline) : null,
    });
  }

  answer(query: SnapshotQuery): Promise<SnapshotQueryResult> {
    return answerSnapshotQuery(this.client, query, { rootIndex: 0, baseline: this.baseline ?? null, olderSnapshots: this.baseline ? [this.baseline] : [] });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
