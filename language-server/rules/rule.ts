/**
 * The contract between the rule framework and one leak rule. Stable: rules written against this
 * file keep working as the framework changes underneath.
 *
 * A rule is a plain object (one per file under rules/, listed in rules/index.ts). The framework
 * parses and analyses a file once (analyze.ts: scopes, bindings and their references, which
 * bindings live for the whole process, which functions run repeatedly and why), then calls
 * `check` of every enabled rule with the same `AnalyzedFile`. A rule reports findings; it never
 * decides severity (config.ts does, per rule and per document) and never looks at ignore comments
 * (ignore.ts filters `// heapscope-ignore-next-line <rule> -- why`).
 *
 * Messages say what keeps the memory alive and why it grows, naming the binding and the function
 * that runs repeatedly, e.g. "`sessions` is a module-level Map; `onConnect` adds an entry on every
 * 'connection' event and nothing removes it, so every session stays reachable for the life of the
 * process". `describeRepetition` in analyze.ts gives the "why it repeats" part.
 */
import type * as ts from 'typescript';
import type { AnalyzedFile } from '../analyze';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Rule {
  /** Kebab-case id: the diagnostic code, the setting `heapscope.rules.<id>`, the SARIF ruleId. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line, sentence case, no trailing period: SARIF shortDescription, settings description. */
  readonly title: string;
  /** A paragraph: what the rule flags, what it deliberately does not flag, how to fix. */
  readonly description: string;
  check(ctx: RuleContext): void;
}

export interface RuleContext {
  readonly file: AnalyzedFile;
  report(finding: Finding): void;
}

export interface Finding {
  /** The node whose source range is highlighted (keep it small: the call or the binding name). */
  readonly node: ts.Node;
  readonly message: string;
  /** Quick fixes; each must leave code that parses, type-checks and that this rule no longer flags. */
  readonly fixes?: readonly Fix[];
  /** Other places that explain the finding (the declaration, the repeated function). */
  readonly related?: readonly { readonly node: ts.Node; readonly message: string }[];
}

export interface Fix {
  /** The preview title, saying exactly what it does: "Replace Map `cache` with a bounded LRU (max 1000 entries)". */
  readonly title: string;
  /** Computed lazily (only when the user asks for the action). Edits must not overlap. */
  edits(): TextEdit[];
}

/** A replacement of `text.slice(start, end)` with `newText`, in UTF-16 offsets of the analysed text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A finding after the framework has attached its rule, severity and position. */
export interface Diagnostic {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** UTF-16 offsets into the file text. */
  readonly start: number;
  readonly end: number;
  readonly fixes: readonly Fix[];
  readonly related: readonly { readonly start: number; readonly end: number; readonly message: string }[];
}
