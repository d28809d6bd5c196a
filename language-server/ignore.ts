/**
 * `// heapscope-ignore-next-line <rule>[, <rule>…] -- why` silences those rules on the next line;
 * without rule ids it silences every rule there. The reason after `--` is for reviewers; the
 * framework does not require it, but a bare comment is easy to spot in review.
 */
const DIRECTIVE = /\/[/*]\s*heapscope-ignore-next-line\b([^\n]*)/g;

/** Maps a 0-based line number to the rule ids ignored on it ('*' = all). */
export type IgnoreMap = ReadonlyMap<number, ReadonlySet<string>>;

export function parseIgnoreComments(text: string, lineOf: (offset: number) => number): IgnoreMap {
  const map = new Map<number, Set<string>>();
  if (!text.includes('heapscope-ignore-next-line')) return map;
  for (const match of text.matchAll(DIRECTIVE)) {
    const spec = match[1].split('--')[0].replace(/\*\/.*$/, '');
    const ids = spec.split(/[\s,]+/).filter(Boolean);
    const line = lineOf(match.index ?? 0) + 1;
    const set = map.get(line) ?? new Set<string>();
    for (const id of ids.length ? ids : ['*']) set.add(id);
    map.set(line, set);
  }
  return map;
}

export function isIgnored(ignores: IgnoreMap, line: number, rule: string): boolean {
  const set = ignores.get(line);
  return !!set && (set.has('*') || set.has(rule));
}
