/**
 * `heapscope diff A B [C ...] [--json] [--top N] [--fail-on-growth] [--progress]`
 * Snapshots of one process, oldest first: what changed by class between the first and the last
 * (objects matched by V8's stable ids), and which collections grew at every step.
 * Exit 0 ok, 1 growth found with --fail-on-growth, 2 bad input.
 */
import { InputError } from '../../engine/errors';
import { compareSnapshots, findGrowth, loadSnapshot, type Comparison, type GrownCollection, type HeapSnapshot } from '../../engine/snapshot';
import { parseArgs } from '../args';
import { formatBytes, positiveInteger, progressPrinter, truncate } from './heap-format';

const USAGE = `usage: heapscope diff A B [C ...] [--json] [--top N] [--fail-on-growth] [--progress]

  Snapshots of one process, oldest first.
  --json             machine-readable output: {comparison, growth}
  --top N            rows to show (default 15)
  --fail-on-growth   exit 1 when a collection grew at every step
  --progress         progress on stderr even when stderr is not a terminal`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['top'], booleans: ['json', 'fail-on-growth', 'progress', 'help'] });
  if (args.booleans.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length < 2) throw new InputError('diff needs at least two snapshot files, oldest first', USAGE);
  const top = positiveInteger(args.values.get('top'), 'top', 15);
  const showProgress = args.booleans.has('progress') || process.stderr.isTTY === true;
  // One at a time: each snapshot's arrays are large, and the analyses are single-threaded anyway.
  const snapshots: HeapSnapshot[] = [];
  for (const file of args.positionals) snapshots.push(await loadSnapshot(file, { onProgress: progressPrinter(file, showProgress) }));
  const comparison = compareSnapshots(snapshots[0], snapshots[snapshots.length - 1]);
  const growth = findGrowth(snapshots);
  if (args.booleans.has('json')) {
    process.stdout.write(JSON.stringify({ files: args.positionals, comparison, growth }, null, 1) + '\n');
  } else {
    process.stdout.write(humanReport(args.positionals, comparison, growth, top));
  }
  return args.booleans.has('fail-on-growth') && growth.length > 0 ? 1 : 0;
}

function signed(bytes: number): string {
  return (bytes >= 0 ? '+' : '-') + formatBytes(Math.abs(bytes));
}

function humanReport(files: string[], comparison: Comparison, growth: GrownCollection[], top: number): string {
  const { base, target } = comparison;
  const lines = [
    `${files[0]} -> ${files[files.length - 1]}${files.length > 2 ? ` (${files.length} snapshots)` : ''}`,
    `  heap ${formatBytes(base.totalShallowSize)} -> ${formatBytes(target.totalShallowSize)} (${signed(target.totalShallowSize - base.totalShallowSize)}), ` +
      `objects ${base.nodeCount} -> ${target.nodeCount}`,
    '',
    `Classes that grew most (new - deleted, by size):`,
    ...comparison.classes.filter((c) => c.sizeDelta > 0).slice(0, top).map((c) =>
      `  ${signed(c.sizeDelta).padStart(11)}  ${truncate(c.name, 60)}  +${c.addedCount} new / -${c.removedCount} deleted`),
    '',
    growth.length === 0 ? 'No collection grew at every step.' : `Collections that grew at every step (${growth.length}):`,
    ...growth.slice(0, top).flatMap((g) => {
      const out = [`  ${g.kind} @${g.id} [${truncate(g.className, 40)}]: ${g.counts.join(' -> ')} entries, retains ${formatBytes(g.retainedSizes[g.retainedSizes.length - 1])}`];
      if (g.path.length > 0) out.push(`    path: ${truncate(g.path.map((s) => `${s.edgeName} -> ${truncate(s.node.name || s.node.className, 30)}`).join(' / '), 200)}`);
      return out;
    }),
  ];
  return lines.join('\n') + '\n';
}
