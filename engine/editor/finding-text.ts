/**
 * The words the editor shows for runtime evidence: a one-line CodeLens title and a longer
 * diagnostic message. Kept apart from the extension so they can be tested without VS Code.
 */
import * as path from 'node:path';
import { formatBytes } from '../guard/size';
import { scriptUrlToPath } from './source-location';
import type { Agreement } from './agreement';
import type { RuntimeFinding, ScriptPosition } from './types';

/** `server.js:14` (1-based line, as editors number them). */
export function shortLocation(at: ScriptPosition): string {
  const file = scriptUrlToPath(at.url) ?? at.url;
  return `${path.basename(file)}:${at.line + 1}`;
}

function headline(finding: RuntimeFinding): string {
  const bytes = formatBytes(finding.bytes);
  switch (finding.kind) {
    case 'grown-collection':
      return `grew +${bytes} across ${finding.snapshotCount ?? 2} snapshots`;
    case 'retaining-closure': {
      const share = finding.share === undefined ? '' : ` (${Math.round(finding.share * 100)}% of the heap)`;
      return `keeps ${bytes} alive${share}`;
    }
    case 'allocation-site': {
      const share = finding.share === undefined ? '' : ` (${Math.round(finding.share * 100)}% of sampled live memory)`;
      return `allocated ${bytes} still live${share}`;
    }
  }
}

function retention(finding: RuntimeFinding): string | undefined {
  const holder = finding.retainedBy;
  if (!holder) return undefined;
  const where = holder.at ? ` in ${shortLocation(holder.at)}` : '';
  return finding.kind === 'retaining-closure' ? `through \`${holder.name}\`${where}` : `retained by \`${holder.name}\`${where}`;
}

/** "grew +12.4 MB across 3 snapshots · retained by `cache` in server.js:14" */
export function codeLensTitle(finding: RuntimeFinding, agreements: readonly Agreement[] = []): string {
  const agreed = agreements.length > 0 ? `static check agrees (${unique(agreements.map((a) => a.rule)).join(', ')})` : undefined;
  return [headline(finding), retention(finding), agreed].filter((part) => part !== undefined).join(' · ');
}

/**
 * The diagnostic message: subject, evidence, and — when the language server flagged the same line
 * or the same variable — that both halves of Heapscope agree, the strongest hint a user can get.
 */
export function diagnosticMessage(finding: RuntimeFinding, agreements: readonly Agreement[]): string {
  const sentences = [`Heapscope runtime: ${finding.subject} ${codeLensTitle(finding)}.`];
  const here = unique(agreements.filter((a) => a.sameLine).map((a) => a.rule));
  const elsewhere = agreements.filter((a) => !a.sameLine);
  if (here.length > 0) sentences.push(`The static check flags this line too (${here.join(', ')}): the code pattern and the live heap agree.`);
  if (elsewhere.length > 0) {
    const where = unique(elsewhere.map((a) => `${a.rule} on line ${a.line + 1}`)).join(', ');
    sentences.push(`The static check flags \`${finding.retainedBy?.name}\` too (${where}): the code pattern and the live heap agree.`);
  }
  return sentences.join(' ');
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
