/**
 * Answers the snapshot viewer's questions (protocol's SnapshotQuery) from the worker client, a page
 * at a time. One mapping, used by the extension's custom editor and by the webview tests, so what
 * the tests see is what the editor sends: closures come with their source location, which is what
 * lets the viewer link them to their line.
 */
import * as path from 'node:path';
import { InputError } from '../errors';
import type { NodeInfo, SnapshotQuery, SnapshotQueryResult } from '../../protocol/snapshot';
import type { SnapshotWorkerClient } from './worker-client';

export interface QueryContext {
  /** The synthetic root's index: the one node whose empty path to the root is an answer. */
  rootIndex: number;
  /** The snapshot picked to compare with, if any. */
  baseline: string | null;
  /** Older snapshots of the same process, oldest first: growth across them makes suspects. */
  olderSnapshots: string[];
}

export async function answerSnapshotQuery(client: SnapshotWorkerClient, query: SnapshotQuery, context: QueryContext): Promise<SnapshotQueryResult> {
  switch (query.kind) {
    case 'summary':
      return { kind: 'summary', rows: await client.aggregates() };
    case 'instances': {
      const page = await client.instances(query.classKey, query.offset, query.limit);
      return { kind: 'instances', classKey: query.classKey, page: { ...page, items: await withLocations(client, page.items) } };
    }
    case 'dominatorChildren': {
      const page = await client.dominatorChildren(query.nodeIndex, query.offset, query.limit);
      return { kind: 'dominatorChildren', nodeIndex: query.nodeIndex, page: { ...page, items: await withLocations(client, page.items) } };
    }
    case 'retainers':
      return { kind: 'retainers', nodeIndex: query.nodeIndex, page: await client.retainers(query.nodeIndex, query.offset, query.limit) };
    case 'pathToRoot': {
      const steps = await client.pathToRoot(query.nodeIndex);
      // An empty path means "unreachable from the roots" for every node but the root itself.
      return { kind: 'pathToRoot', nodeIndex: query.nodeIndex, path: steps.length > 0 || query.nodeIndex === context.rootIndex ? steps : null };
    }
    case 'compare':
      if (context.baseline === null) throw new InputError('no snapshot to compare with yet', 'Pick a baseline snapshot first.');
      return { kind: 'compare', baseline: path.basename(context.baseline), comparison: await client.compareWith(context.baseline) };
    case 'suspects':
      return { kind: 'suspects', suspects: await client.suspects(context.olderSnapshots) };
  }
}

/** Closures carry where they were defined. */
async function withLocations(client: SnapshotWorkerClient, nodes: NodeInfo[]): Promise<NodeInfo[]> {
  return Promise.all(
    nodes.map(async (node) => {
      if (node.type !== 'closure') return node;
      const location = await client.sourceLocation(node.index);
      return location ? { ...node, location } : node;
    }),
  );
}
