/**
 * From the engine's evidence to runtime findings on source lines:
 * - leak suspects of heap snapshots (engine/snapshot): collections that grew, closures that retain much;
 * - a sampling heap profile (engine/profile): the functions that allocated most of what is still live.
 * Evidence that cannot be tied to a script position is left out: the editor has nowhere to show it.
 */
import { topFunctions, type FlameTree } from '../profile';
import type { LeakSuspect, NodeInfo, SourceLocation } from '../snapshot/types';
import type { RuntimeFinding, ScriptPosition } from './types';

/** Allocation sites below this share of the live sampled bytes are noise, not findings. */
const MIN_ALLOCATION_SHARE = 0.05;
const MAX_ALLOCATION_SITES = 5;

function position(location: SourceLocation | undefined): ScriptPosition | undefined {
  if (!location?.scriptName) return undefined;
  return { url: location.scriptName, line: location.line, column: location.column };
}

function isClosure(node: NodeInfo): boolean {
  return node.type === 'closure';
}

export function findingsFromSuspects(suspects: readonly LeakSuspect[]): RuntimeFinding[] {
  const findings: RuntimeFinding[] = [];
  for (const suspect of suspects) {
    // The engine places a suspect where the code that holds it was defined (a closure's position).
    const at = position(suspect.location);
    if (!at) continue;
    const lastStep = suspect.path[suspect.path.length - 1];
    const retainedBy = lastStep?.edgeName ? { name: lastStep.edgeName } : undefined;
    if (suspect.kind === 'grown-collection' && suspect.growth) {
      const sizes = suspect.growth.retainedSizes;
      findings.push({
        kind: 'grown-collection',
        at,
        subject: `${suspect.className}${retainedBy ? ` \`${retainedBy.name}\`` : ''}`,
        bytes: sizes[sizes.length - 1] - sizes[0],
        snapshotCount: sizes.length,
        retainedBy,
      });
    } else if (isClosure(suspect.node)) {
      findings.push({ kind: 'retaining-closure', at, subject: `\`${suspect.node.name || '(anonymous)'}\``, bytes: suspect.retainedSize, retainedBy });
    }
  }
  return findings;
}

/** The functions that allocated the biggest shares of a (live) profile's sampled bytes. */
export function findingsFromProfile(tree: FlameTree): RuntimeFinding[] {
  if (tree.totalBytes <= 0) return [];
  return topFunctions(tree, 50)
    .filter((cost) => cost.url !== '' && cost.line > 0 && cost.selfBytes / tree.totalBytes >= MIN_ALLOCATION_SHARE)
    .slice(0, MAX_ALLOCATION_SITES)
    .map((cost) => ({
      kind: 'allocation-site' as const,
      // engine/profile counts lines and columns from 1; findings use V8's 0-based positions.
      at: { url: cost.url, line: cost.line - 1, column: Math.max(0, cost.column - 1) },
      subject: `\`${cost.name || '(anonymous)'}\``,
      bytes: cost.selfBytes,
      share: cost.selfBytes / tree.totalBytes,
    }));
}
