/**
 * Lint one document: guard against input we should not analyse, parse and analyse once, run every
 * enabled rule, drop ignored findings, and turn findings into positioned diagnostics.
 * Shared by the language server (one document at a time) and `heapscope lint` (many files).
 */
import { analyzeFile, type AnalyzedFile } from './analyze';
import { severityOf, type LintSettings } from './config';
import { isIgnored, parseIgnoreComments } from './ignore';
import { allRules } from './rules/index';
import type { Diagnostic, Finding, Rule } from './rules/rule';

/** Stop running further rules on a file after this long: a pathological file must not freeze the editor. */
export const TIME_BUDGET_MS = 5000;

export interface CheckOptions {
  readonly settings: LintSettings;
  /** Packages the workspace depends on (fixes use `lru-cache` when it is one). */
  readonly dependencies?: ReadonlyMap<string, string>;
  /** Defaults to every registered rule. */
  readonly rules?: readonly Rule[];
}

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  /** Set when the file was not (fully) analysed: why, in words a user can act on. */
  readonly note?: string;
  /** Undefined when the file was skipped. */
  readonly analyzed?: AnalyzedFile;
}

/** Files with a NUL in their first 8 KB are not source code. */
function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}

export function checkText(fileName: string, text: string, options: CheckOptions): CheckResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > options.settings.maxFileBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return { diagnostics: [], note: `skipped: ${mb(bytes)} is over the ${mb(options.settings.maxFileBytes)} limit for analysis (minified or generated code?); raise "maxFileBytes" to analyse it` };
  }
  if (looksBinary(text)) return { diagnostics: [], note: 'skipped: the file contains NUL bytes, so it is not JavaScript or TypeScript source' };

  const started = Date.now();
  let analyzed: AnalyzedFile;
  try {
    analyzed = analyzeFile(fileName, text, { dependencies: options.dependencies });
  } catch (error) {
    // The parser and the walk recurse per nesting level: thousands of nested brackets overflow the stack.
    const reason = error instanceof RangeError ? 'it is nested too deeply to parse' : `analysis failed (${error instanceof Error ? error.message : String(error)})`;
    return { diagnostics: [], note: `skipped: ${reason}` };
  }
  const sourceFile = analyzed.sourceFile;
  const lineOf = (offset: number) => sourceFile.getLineAndCharacterOfPosition(offset).line;
  const ignores = parseIgnoreComments(text, lineOf);
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  for (const rule of options.rules ?? allRules) {
    const severity = severityOf(rule, options.settings);
    if (!severity) continue;
    if (Date.now() - started > TIME_BUDGET_MS) {
      notes.push(`stopped before rule ${rule.id}: analysis took over ${TIME_BUDGET_MS} ms`);
      break;
    }
    const report = (finding: Finding) => {
      const start = finding.node.getStart(sourceFile);
      if (isIgnored(ignores, lineOf(start), rule.id)) return;
      diagnostics.push({
        rule: rule.id, severity, message: finding.message, start, end: finding.node.getEnd(), fixes: finding.fixes ?? [],
        related: (finding.related ?? []).map((r) => ({ start: r.node.getStart(sourceFile), end: r.node.getEnd(), message: r.message })),
      });
    };
    try {
      rule.check({ file: analyzed, report });
    } catch (error) {
      // One broken rule must not hide the others' findings; say which one failed.
      notes.push(`rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  diagnostics.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  return { diagnostics, analyzed, note: notes.length ? notes.join('; ') : undefined };
}
