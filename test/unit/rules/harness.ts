/**
 * The fixture harness shared by every rule's tests. A fixture is real JS/TS under
 * test/fixtures/rules/<rule>/ with its expectations in comments:
 *
 *   // source: <public issue or commit it was reduced from>   (header)
 *   // deps: lru-cache                                         (optional: workspace dependencies)
 *   cache.set(req.url, body); // expect: unbounded-cache       (a finding of that rule starts on this line)
 *
 * Files named `*.ok.<ext>` are look-alike negatives and must carry no expectation. Every rule runs
 * on every fixture, and the findings must match the expectations exactly (rule and line). Every
 * quick fix offered is applied; the result must parse, introduce no type errors (TS: syntactic +
 * semantic, against @types/node and the repo's node_modules), and no longer carry the finding.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { checkText, type CheckResult } from '../../../language-server/check';
import { defaultSettings } from '../../../language-server/config';
import type { Diagnostic, TextEdit } from '../../../language-server/rules/rule';

export const repoRoot = findRepoRoot(__dirname);
export const fixturesRoot = path.join(repoRoot, 'test', 'fixtures', 'rules');
export const FIXTURE_EXTENSIONS = /\.(js|jsx|ts|tsx|mjs|cjs)$/;

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'language-server'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export interface Fixture {
  readonly file: string;
  readonly text: string;
  /** `line:rule` (1-based lines), sorted. */
  readonly expected: string[];
  /** From a `// deps: lru-cache@^11.0.0` header (a bare name means any version). */
  readonly dependencies: ReadonlyMap<string, string>;
  readonly source: string | undefined;
  readonly isNegative: boolean;
}

export function loadFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /\/[/*]\s*expect:\s*([\w\s,-]+)/.exec(line);
    if (match) for (const rule of match[1].split(/[\s,]+/).filter(Boolean)) expected.push(`${index + 1}:${rule}`);
  });
  const deps = /^\/\/\s*deps:\s*(.+)$/m.exec(text)?.[1].split(/[\s,]+/).filter(Boolean) ?? [];
  const source = /^\/\/\s*source:\s*(\S.*)$/m.exec(text)?.[1];
  const dependencies = new Map(deps.map((d) => {
    const at = d.lastIndexOf('@');
    return at > 0 ? [d.slice(0, at), d.slice(at + 1)] as const : [d, '*'] as const;
  }));
  return { file, text, expected: expected.sort(), dependencies, source, isNegative: /\.ok\.\w+$/.test(file) };
}

/** `dependencies`: name -> version range, or a set of names (any version). */
export function lintFixture(fileName: string, text: string, dependencies: ReadonlyMap<string, string> | ReadonlySet<unknown> = new Map()): CheckResult {
  const ranges = dependencies instanceof Map ? dependencies as ReadonlyMap<string, string> : new Map([...(dependencies as ReadonlySet<unknown>)].map((name) => [String(name), '*']));
  return checkText(fileName, text, { settings: defaultSettings, dependencies: ranges });
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function findingKeys(text: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${lineOf(text, d.start)}:${d.rule}`).sort();
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start) throw new Error(`overlapping edits at ${sorted[i].start}-${sorted[i].end}`);
  }
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

// --- type checking fixed code ----------------------------------------------------------------

const sharedFiles = new Map<string, ts.SourceFile | undefined>();
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true, strict: false, noEmit: true, allowJs: true, checkJs: false, jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true, types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules', '@types')], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
};

/**
 * Diagnostic messages for `text` as file `fileName`: syntactic always; semantic too for TS.
 * Library files are parsed once per test run and shared between programs.
 */
export function typeDiagnostics(fileName: string, text: string): string[] {
  const base = ts.createCompilerHost(compilerOptions);
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile(name, languageVersion) {
      if (path.resolve(name) === path.resolve(fileName)) return ts.createSourceFile(name, text, languageVersion, true);
      if (!sharedFiles.has(name)) sharedFiles.set(name, base.getSourceFile(name, languageVersion));
      return sharedFiles.get(name);
    },
    readFile: (name) => (path.resolve(name) === path.resolve(fileName) ? text : base.readFile(name)),
    fileExists: (name) => path.resolve(name) === path.resolve(fileName) || base.fileExists(name),
  };
  const program = ts.createProgram([fileName], compilerOptions, host);
  const sourceFile = program.getSourceFile(fileName)!;
  const diagnostics: readonly ts.Diagnostic[] = [
    ...program.getSyntacticDiagnostics(sourceFile),
    ...(/\.tsx?$/.test(fileName) ? program.getSemanticDiagnostics(sourceFile) : []),
  ];
  return diagnostics.map((d) => `${d.start === undefined ? '' : lineOf(text, d.start) + ': '}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Messages without their line prefix, so a fix that shifts lines is compared fairly. */
export function withoutLines(messages: readonly string[]): string[] {
  return messages.map((m) => m.replace(/^\d+: /, '')).sort();
}
