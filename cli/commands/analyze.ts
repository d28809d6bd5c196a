/**
 * `heapscope analyze FILE [--json] [--top N] [--fail-on-suspects] [--progress]`
 * Sizes, the biggest dominators, the biggest classes and leak suspects of one heap snapshot.
 * `--json` prints the shape issue 2 fixes (node_count, edge_count, total_shallow_size,
 * top_retained[50], top_aggregates[30], suspects), figures equal to Chrome DevTools'.
 * Exit 0 ok, 1 suspects found with --fail-on-suspects, 2 bad input.
 */
import { InputError } from '../../engine/errors';
import { findLeakSuspects, loadSnapshot, type ClassRow, type HeapSnapshot, type LeakSuspect, type NodeInfo } from '../../engine/snapshot';
import { parseArgs } from '../args';
import { formatBytes, positiveInteger, progressPrinter, truncate } from './heap-format';

const USAGE = `usage: heapscope analyze FILE [--json] [--top N] [--fail-on-suspects] [--progress]

  --json               machine-readable output (top 50 retainers, top 30 classes, suspects)
  --top N              rows of retainers and classes to show (default 10; JSON default 50/30)
  --fail-on-suspects   exit 1 when leak suspects are found
  --progress           progress on stderr even when stderr is not a terminal`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['top'], booleans: ['json', 'fail-on-suspects', 'progress', 'help'] });
  if (args.booleans.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new InputError('analyze takes exactly one snapshot file', USAGE);
  const file = args.positionals[0];
  const json = args.booleans.has('json');
  const top = args.values.has('top') ? positiveInteger(args.values.get('top'), 'top', 10) : undefined;
  const snapshot = await loadSnapshot(file, {
    onProgress: progressPrinter(file, args.booleans.has('progress') || process.stderr.isTTY === true),
  });
  const suspects = findLeakSuspects(snapshot);
  process.stdout.write(json ? JSON.stringify(analysisJson(snapshot, suspects, top), null, 1) + '\n' : humanReport(file, snapshot, suspects, top ?? 10));
  return args.booleans.has('fail-on-suspects') && suspects.length > 0 ? 1 : 0;
}

function analysisJson(snapshot: HeapSnapshot, suspects: LeakSuspect[], top: number | undefined): object {
  const summary = snapshot.summary();
  return {
    node_count: summary.nodeCount,
    edge_count: summary.edgeCount,
    total_shallow_size: summary.totalShallowSize,
    top_retained: snapshot.topRetained(top ?? 50).map((n) => ({
      id: n.id, name: n.name, type: n.type, self_size: n.selfSize, retained_size: n.retainedSize,
    })),
    top_aggregates: snapshot.aggregates().slice(0, top ?? 30).map((row) => ({
      name: row.name, count: row.count, shallow_size: row.shallowSize, retained_size: row.retainedSize,
    })),
    suspects,
    root_retained_size: summary.rootRetainedSize,
    extra_native_bytes: summary.extraNativeBytes,
    statistics: summary.statistics,
  };
}

function humanReport(file: string, snapshot: HeapSnapshot, suspects: LeakSuspect[], top: number): string {
  const summary = snapshot.summary();
  const lines = [
    `${file}`,
    `  ${summary.nodeCount.toLocaleString('en-US')} objects, ${summary.edgeCount.toLocaleString('en-US')} references, ` +
      `${formatBytes(summary.totalShallowSize)} in the heap (${formatBytes(summary.rootRetainedSize)} reachable)` +
      (summary.extraNativeBytes ? `, ${formatBytes(summary.extraNativeBytes)} extra native` : ''),
    `  code ${formatBytes(summary.statistics.code)}, strings ${formatBytes(summary.statistics.strings)}, ` +
      `JS arrays ${formatBytes(summary.statistics.jsArrays)}, system ${formatBytes(summary.statistics.system)}, ` +
      `native ${formatBytes(summary.statistics.native)}`,
    '',
    `Top ${top} dominators (retained size):`,
    ...snapshot.topRetained(top + 10).filter((n) => n.type !== 'synthetic').slice(0, top).map(dominatorLine),
    '',
    `Top ${top} classes (retained size):`,
    ...snapshot.aggregates().slice(0, top).map(classLine),
    '',
    suspects.length === 0 ? 'No leak suspects.' : `Leak suspects (${suspects.length}):`,
    ...suspects.flatMap(suspectLines),
  ];
  return lines.join('\n') + '\n';
}

function dominatorLine(n: NodeInfo): string {
  return `  ${formatBytes(n.retainedSize).padStart(10)}  ${truncate(n.name || `(${n.type})`, 60)} @${n.id}  [${n.className}]`;
}

function classLine(row: ClassRow): string {
  return `  ${formatBytes(row.retainedSize).padStart(10)}  ${truncate(row.name, 60)}  ×${row.count}, shallow ${formatBytes(row.shallowSize)}`;
}

function suspectLines(suspect: LeakSuspect): string[] {
  const lines = [`  - ${suspect.title}`];
  if (suspect.path.length > 0) {
    const path = suspect.path.map((step) => `${step.edgeName} -> ${truncate(step.node.name || step.node.className, 30)}`);
    lines.push(`    path: ${truncate(path.join(' / '), 200)}`);
  }
  if (suspect.location) {
    const where = suspect.location.scriptName ?? `script ${suspect.location.scriptId}`;
    lines.push(`    at ${where}:${suspect.location.line + 1}:${suspect.location.column + 1}`);
  }
  return lines;
}
