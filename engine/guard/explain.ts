import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { collectGarbageFully } from './gc';
import { formatBytes } from './size';
import { compareSnapshots, findGrowth, loadSnapshot, type GrownCollection, type HeapSnapshot } from '../snapshot';

const CLASSES_SHOWN = 3;

/**
 * Says what a failing run retains: heap snapshots before, between and after two more rounds of
 * the work, compared by class (what grew) and by collection (what holds it). The snapshots hold
 * the process's data, secrets included: they live in a private temp folder that is always removed.
 */
export async function explainGrowth(runMore: (count: number) => Promise<void>, count: number): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), 'heapscope-guard-'));
  try {
    const files: string[] = [];
    for (let step = 0; step < 3; step++) {
      if (step > 0) await runMore(count);
      await collectGarbageFully();
      files.push(writeHeapSnapshot(join(folder, `step${step}.heapsnapshot`)));
    }
    const snapshots: HeapSnapshot[] = [];
    for (const file of files) snapshots.push(await loadSnapshot(file));
    return describe(snapshots, count * 2);
  } catch (error) {
    return [`(could not analyse heap snapshots: ${error instanceof Error ? error.message : String(error)})`];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function describe(snapshots: HeapSnapshot[], iterations: number): string[] {
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];
  const grownClasses = compareSnapshots(first, last).classes.filter((c) => c.countDelta > 0 && c.sizeDelta > 0);
  // A collection that gains less than one entry per ten iterations is not what the work fills.
  const holders = findGrowth(snapshots).filter((h) => h.counts[h.counts.length - 1] - h.counts[0] >= iterations / 10);
  const lines: string[] = [];
  if (grownClasses.length === 0) {
    lines.push(`no class grew on the JS heap over ${iterations} more iterations: the growth is off-heap or in native handles`);
  } else {
    const classes = grownClasses.slice(0, CLASSES_SHOWN).map((c) => `+${c.countDelta.toLocaleString('en-US')} × ${c.name} (${formatBytes(c.sizeDelta)})`);
    lines.push(`${classes.join(', ')} over ${iterations} more iterations`);
  }
  for (const holder of holders.slice(0, CLASSES_SHOWN)) {
    lines.push(`held by ${describeHolder(holder, last)} (${holder.counts.map((n) => n.toLocaleString('en-US')).join(' → ')} entries)`);
  }
  return lines;
}

/** "Map `responses` ← handle() at server.js:12", from the collection up to the first function that holds it. */
export function describeHolder(holder: GrownCollection, snapshot: HeapSnapshot): string {
  const steps = holder.path;
  const name = steps.length ? steps[steps.length - 1].edgeName : '';
  const parts = [`${holder.kind}${name ? ` \`${name}\`` : ''}`];
  for (let i = steps.length - 2; i >= 0 && parts.length < 4; i--) {
    const { node } = steps[i];
    if (node.type === 'closure') {
      const at = snapshot.sourceLocation(node.index);
      const where = at?.scriptName ? ` at ${basename(at.scriptName)}:${at.line + 1}` : '';
      parts.push(`${node.name || '(anonymous function)'}()${where}`);
      break;
    }
    if (node.type === 'object' && node.name !== 'system / Context') parts.push(node.className);
  }
  return parts.join(' ← ');
}
