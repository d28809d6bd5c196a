/**
 * Settings that decide which rules run and at what severity. The editor sends them per document
 * (`heapscope.rules.<id>`, resource-scoped); the CLI reads `.heapscoperc.json`. Both become a
 * `LintSettings` value that is passed down with each request, never kept in globals.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../engine/errors';
import type { Rule, Severity } from './rules/rule';

export type RuleSetting = Severity | 'off';

export interface LintSettings {
  /** Per-rule severity overrides, by rule id. Missing: the rule's default severity. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Files larger than this are skipped with a note (minified bundles, generated code). */
  readonly maxFileBytes: number;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const RC_FILE_NAME = '.heapscoperc.json';

export const defaultSettings: LintSettings = { rules: {}, maxFileBytes: DEFAULT_MAX_FILE_BYTES };

const SETTINGS = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

/** The severity a rule runs at, or undefined when it is turned off. */
export function severityOf(rule: Rule, settings: LintSettings): Severity | undefined {
  const setting = settings.rules[rule.id] ?? rule.defaultSeverity;
  return setting === 'off' ? undefined : setting;
}

/**
 * Validates settings from any source (`.heapscoperc.json`, the editor's `heapscope` section).
 * `where` names the source in error messages. Unknown severities are errors, not silently ignored.
 */
export function parseSettings(raw: unknown, where: string, knownRules: readonly Rule[]): LintSettings {
  if (raw === undefined || raw === null) return defaultSettings;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${where}: expected an object with a "rules" field`);
  const { rules = {}, maxFileBytes = DEFAULT_MAX_FILE_BYTES } = raw as { rules?: unknown; maxFileBytes?: unknown };
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new InputError(`${where}: "rules" must be an object of rule id -> severity`);
  const parsed: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(rules)) {
    if (!knownRules.some((rule) => rule.id === id)) {
      throw new InputError(`${where}: unknown rule "${id}"`, `Known rules: ${knownRules.map((r) => r.id).join(', ')}.`);
    }
    if (typeof value !== 'string' || !SETTINGS.has(value)) {
      throw new InputError(`${where}: rule "${id}" has severity ${JSON.stringify(value)}`, 'Use one of: error, warning, information, hint, off.');
    }
    parsed[id] = value as RuleSetting;
  }
  if (typeof maxFileBytes !== 'number' || !(maxFileBytes > 0)) throw new InputError(`${where}: "maxFileBytes" must be a positive number`);
  return { rules: parsed, maxFileBytes };
}

/** Reads and validates a `.heapscoperc.json`. */
export function loadRcFile(file: string, knownRules: readonly Rule[]): LintSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, 'Fix the file or pass a different one with --config.');
  }
  return parseSettings(raw, file, knownRules);
}

/** The nearest `.heapscoperc.json` at or above `dir`, if any. */
export function findRcFile(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, RC_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}
