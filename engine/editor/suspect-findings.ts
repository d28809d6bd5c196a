/**
 * From the engine's evidence to runtime findings on source lines:
 * - leak suspects of heap snapshots (engine/snapshot): collections that grew, closures that retain much;
 * - a sampling heap profile (engine/profile): the functions that allocated most of what is still live.
 * Evidence that cannot be tied to a script position is left out: the editor has nowhere to show it.
 */
import type { FlameNode, FlameTree } from '../profile';
import type { LeakSuspect, NodeInfo, PathStep, SourceLocation } from '../snapshot/types';
import type { RuntimeFinding, ScriptPosition } from './types';

/** Allocation sites below this share of the live sampled bytes are noise, not findings. */
const MIN_ALLOCATION_SHARE = 0.05;
const MAX_ALLOCATION_SITES = 5;

function position(location: SourceLocation | undefined): ScriptPosition | undefined {
  if (!location?.scriptName) return undefined;
  return { url: location.scriptName, line: location.line, column: location.column };
}

/** Edges a user wrote: a variable a closure captured, or a property. Internal edges (`table`, `elements`) are V8's. */
const NAMED_EDGE_TYPES = new Set(['context', 'property']);

/** The nearest reference on the path to the suspect that has a name in the user's code, e.g. `renderedPages`. */
function namedHolder(path: readonly PathStep[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i];
    if (NAMED_EDGE_TYPES.has(step.edgeType) && step.edgeName && !/^\d+$/.test(step.edgeName)) return step.edgeName;
  }
  return undefined;
}

/** The function whose scope holds the suspect: the object itself when it is a closure, else the last closure on its path. */
function holdingClosure(suspect: LeakSuspect): NodeInfo | undefined {
  if (suspect.node.type === 'closure') return suspect.node;
  return [...suspect.path].reverse().find((step) => step.node.type === 'closure')?.node;
}

/**
 * Grown collections and single objects that the engine places in a script become findings. Class
 * groups (thousands of instances of one class) are left out: they do not point at one line.
 */
export function findingsFromSuspects(suspects: readonly LeakSuspect[]): RuntimeFinding[] {
  const findings: RuntimeFinding[] = [];
  for (const suspect of suspects) {
    // The engine places a suspect where the code that holds it was defined (a closure's position).
    const at = position(suspect.location);
    if (!at) continue;
    const holder = namedHolder(suspect.path);
    const retainedBy = holder ? { name: holder } : undefined;
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
    } else if (suspect.kind === 'single-object') {
      const closure = holdingClosure(suspect);
      if (!closure) continue;
      findings.push({
        kind: 'retaining-closure',
        at,
        subject: `\`${closure.name || '(anonymous)'}\``,
        bytes: suspect.retainedSize,
        share: suspect.share,
        retainedBy,
      });
    }
  }
  return withoutRepeats(findings);
}

/** The same holder on the same line, seen as a big object and as a growing one: the growth says more. */
function withoutRepeats(findings: RuntimeFinding[]): RuntimeFinding[] {
  const key = (f: RuntimeFinding) => `${f.at.url}\u0000${f.at.line}\u0000${f.retainedBy?.name ?? ''}`;
  const grown = new Set(findings.filter((f) => f.kind === 'grown-collection').map(key));
  return findings.filter((f) => f.kind !== 'retaining-closure' || !grown.has(key(f)));
}

/**
 * Bytes each JavaScript function allocated, counting what native code it called allocated for it
 * (`'x'.repeat(n)` samples land in the native `repeat` frame, which has no script to point at).
 */
export function allocationSites(tree: FlameTree): { name: string; url: string; line: number; column: number; bytes: number }[] {
  const sites = new Map<string, { name: string; url: string; line: number; column: number; bytes: number }>();
  const stack: { node: FlameNode; owner: FlameNode | undefined }[] = [{ node: tree.root, owner: undefined }];
  while (stack.length > 0) {
    const { node, owner: inherited } = stack.pop()!;
    const owner = node.url !== '' ? node : inherited;
    if (owner && node.selfBytes > 0) {
      const key = `${owner.name}\u0000${owner.url}\u0000${owner.line}\u0000${owner.column}`;
      const site = sites.get(key) ?? { name: owner.name, url: owner.url, line: owner.line, column: owner.column, bytes: 0 };
      site.bytes += node.selfBytes;
      sites.set(key, site);
    }
    for (const child of node.children) stack.push({ node: child, owner });
  }
  return [...sites.values()].sort((a, b) => b.bytes - a.bytes);
}

/** The functions that allocated the biggest shares of a (live) profile's sampled bytes. */
export function findingsFromProfile(tree: FlameTree): RuntimeFinding[] {
  if (tree.totalBytes <= 0) return [];
  return allocationSites(tree)
    .filter((site) => site.line > 0 && site.bytes / tree.totalBytes >= MIN_ALLOCATION_SHARE)
    .slice(0, MAX_ALLOCATION_SITES)
    .map((site) => ({
      kind: 'allocation-site' as const,
      // engine/profile counts lines and columns from 1; findings use V8's 0-based positions.
      at: { url: site.url, line: site.line - 1, column: Math.max(0, site.column - 1) },
      subject: `\`${site.name || '(anonymous)'}\``,
      bytes: site.bytes,
      share: site.bytes / tree.totalBytes,
    }));
}
