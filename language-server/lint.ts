/**
 * Lint files and folders from disk: what `heapscope lint` runs. Expands paths (folders recurse,
 * `*`/`**` globs match), skips node_modules and VCS folders, checks each file with the same code
 * the language server uses, and optionally applies fixes (one fix per finding, re-checking after
 * each, so fixes that insert the same helper never collide).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { InputError } from '../engine/errors';
import { checkText, type CheckResult } from './check';
import type { LintSettings } from './config';
import { dependenciesFor } from './dependencies';
import type { Diagnostic, Severity, TextEdit } from './rules/rule';

export const SOURCE_FILE = /\.(js|jsx|ts|tsx|mjs|cjs|mts|cts)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);
/** Below this many files a worker's start-up (loading the TypeScript parser again) does not pay. */
const FILES_PER_WORKER = 400;
/** `--fix` applies fixes in rounds; a fix that somehow does not remove its finding stops after this many. */
const MAX_FIX_ROUNDS = 10;

/** One finding as the CLI prints it: 1-based lines and columns. */
export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface LintReport {
  readonly findings: LintFinding[];
  /** Files skipped or partly analysed, with why. */
  readonly notes: { readonly file: string; readonly note: string }[];
  readonly filesChecked: number;
  readonly filesFixed: number;
}

export interface LintOptions {
  readonly settings: LintSettings;
  readonly fix?: boolean;
  /** Paths in findings are relative to this folder. */
  readonly cwd: string;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string, into: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path.join(dir, entry.name), into);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      into.push(path.join(dir, entry.name));
    }
  }
}

/** Files named by `paths` (files, folders, globs), absolute, sorted, without duplicates. */
export function expandPaths(paths: readonly string[], cwd: string): string[] {
  const files = new Set<string>();
  for (const given of paths) {
    if (/[*?]/.test(given)) {
      const normalized = given.split(path.sep).join('/');
      const firstGlob = normalized.search(/[*?]/);
      const base = path.resolve(cwd, normalized.slice(0, normalized.lastIndexOf('/', firstGlob) + 1) || '.');
      const pattern = globToRegExp(path.resolve(cwd, normalized).split(path.sep).join('/'));
      const found: string[] = [];
      if (fs.existsSync(base)) walk(base, found);
      const matched = found.filter((f) => pattern.test(f.split(path.sep).join('/')));
      if (matched.length === 0) throw new InputError(`no JS/TS files match ${given}`, 'Check the pattern; quote it so your shell does not expand it.');
      matched.forEach((f) => files.add(f));
      continue;
    }
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new InputError(`${given}: no such file or folder`, 'Pass files, folders or quoted globs such as "src/**/*.ts".');
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(absolute, found);
      found.forEach((f) => files.add(f));
    } else {
      files.add(absolute); // named explicitly: lint it whatever its extension
    }
  }
  return [...files].sort();
}

/** 1-based line/column from a UTF-16 offset, using a precomputed table of line starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

export function toFindings(file: string, text: string, diagnostics: readonly Diagnostic[]): LintFinding[] {
  const starts = lineStarts(text);
  return diagnostics.map((d) => {
    const start = positionOf(starts, d.start);
    const end = positionOf(starts, d.end);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, rule: d.rule, severity: d.severity, message: d.message };
  });
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Applies the preferred fix of one finding at a time, re-checking in between, until none is left. */
export function fixText(text: string, check: (text: string) => CheckResult): { text: string; result: CheckResult; fixed: number } {
  let current = text;
  let result = check(current);
  let fixed = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixable = result.diagnostics.find((d) => d.fixes.length > 0);
    if (!fixable) break;
    current = applyEdits(current, fixable.fixes[0].edits());
    result = check(current);
    fixed++;
  }
  return { text: current, result, fixed };
}

export function lintFiles(files: readonly string[], options: LintOptions): LintReport {
  const findings: LintFinding[] = [];
  const notes: { file: string; note: string }[] = [];
  let filesFixed = 0;
  for (const file of files) {
    const shown = path.relative(options.cwd, file) || file;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      notes.push({ file: shown, note: `cannot read: ${(error as Error).message}` });
      continue;
    }
    const dependencies = dependenciesFor(file);
    const check = (source: string) => checkText(file, source, { settings: options.settings, dependencies });
    let result: CheckResult;
    if (options.fix) {
      const outcome = fixText(text, check);
      if (outcome.fixed > 0) {
        fs.writeFileSync(file, outcome.text);
        filesFixed++;
      }
      text = outcome.text;
      result = outcome.result;
    } else {
      result = check(text);
    }
    if (result.note) notes.push({ file: shown, note: result.note });
    findings.push(...toFindings(shown, text, result.diagnostics));
  }
  return { findings, notes, filesChecked: files.length, filesFixed };
}

/**
 * Lints many files on worker threads (one per core, each given every n-th file so big and small
 * files spread evenly) and merges the reports in file order. Falls back to this thread when there
 * are few files, one core, or no worker script beside this module.
 */
export async function lintFilesInParallel(files: readonly string[], options: LintOptions, workerScript = path.join(__dirname, 'lint-worker.js')): Promise<LintReport> {
  const workers = Math.min(os.availableParallelism(), Math.floor(files.length / FILES_PER_WORKER));
  if (workers < 2 || !fs.existsSync(workerScript)) return lintFiles(files, options);
  const slices = Array.from({ length: workers }, (_, w) => files.filter((_file, i) => i % workers === w));
  const reports = await Promise.all(slices.map((slice) => new Promise<LintReport>((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { files: slice, options } });
    worker.once('message', (report: LintReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`lint worker exited with code ${code}`));
    });
  })));
  const order = new Map(files.map((file, i) => [path.relative(options.cwd, file) || file, i]));
  const byFile = (a: { file: string }, b: { file: string }) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0);
  return {
    findings: reports.flatMap((r) => r.findings).sort((a, b) => byFile(a, b) || a.line - b.line || a.column - b.column),
    notes: reports.flatMap((r) => r.notes).sort(byFile),
    filesChecked: files.length,
    filesFixed: reports.reduce((n, r) => n + r.filesFixed, 0),
  };
}
