/**
 * Quick fix for unbounded-cache: bound a Map/Set cache. With `lru-cache` 10+ in the workspace's
 * dependencies a Map becomes an `LRUCache` with `max`; otherwise a small `BoundedMap`/`BoundedSet`
 * helper (a Map that forgets its oldest entry) is inserted once per file. The size is a named
 * module-level constant the user can change.
 */
import ts = require('typescript');
import { skipOuterExpressions, type AnalyzedFile, type Binding } from '../analyze';
import { constantNameFor } from '../collections';
import type { Fix, TextEdit } from '../rules/rule';
import { afterImports, declaresTopLevel, importEdit, insertBefore, replaceNode, topLevelStatement } from './edits';

export const DEFAULT_MAX_ENTRIES = 1000;

const HELPERS = {
  Map: {
    js: `/** A Map that forgets its oldest entry once it holds \`maxEntries\` (inserted by Heapscope). */
class BoundedMap extends Map {
  constructor(maxEntries) {
    super();
    this.maxEntries = maxEntries;
  }

  set(key, value) {
    if (!this.has(key) && this.size >= this.maxEntries) this.delete(this.keys().next().value);
    return super.set(key, value);
  }
}
`,
    ts: `/** A Map that forgets its oldest entry once it holds \`maxEntries\` (inserted by Heapscope). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.maxEntries) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
`,
  },
  Set: {
    js: `/** A Set that forgets its oldest value once it holds \`maxEntries\` (inserted by Heapscope). */
class BoundedSet extends Set {
  constructor(maxEntries) {
    super();
    this.maxEntries = maxEntries;
  }

  add(value) {
    if (!this.has(value) && this.size >= this.maxEntries) this.delete(this.values().next().value);
    return super.add(value);
  }
}
`,
    ts: `/** A Set that forgets its oldest value once it holds \`maxEntries\` (inserted by Heapscope). */
class BoundedSet<T> extends Set<T> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  add(value: T): this {
    if (!this.has(value) && this.size >= this.maxEntries) this.delete(this.values().next().value as T);
    return super.add(value);
  }
}
`,
  },
};

/** Merges insertions at the same offset (in order), so edits never collide. */
export function mergeEdits(edits: readonly (TextEdit | undefined)[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    if (!edit) continue;
    const same = merged.find((m) => m.start === edit.start && m.end === m.start && edit.end === edit.start);
    if (same) merged[merged.indexOf(same)] = { ...same, newText: same.newText + edit.newText };
    else merged.push(edit);
  }
  return merged;
}

/**
 * lru-cache exports the `LRUCache` class by name from version 10 on (earlier majors export it as
 * the module itself); older or unknown ranges get the bundled helper instead.
 */
function hasNamedLruExport(range: string | undefined): boolean {
  if (range === undefined) return false;
  if (range === '*' || range === 'latest') return true;
  const major = /(\d+)/.exec(range);
  return !!major && Number(major[1]) >= 10;
}

function typeArgumentsText(file: AnalyzedFile, expr: ts.NewExpression, binding: Binding): string {
  if (!file.isTypeScript) return '';
  const args = expr.typeArguments ?? (binding.typeNode && ts.isTypeReferenceNode(binding.typeNode) ? binding.typeNode.typeArguments : undefined);
  return args ? `<${args.map((a) => a.getText(file.sourceFile)).join(', ')}>` : '';
}

export function boundCacheFix(file: AnalyzedFile, binding: Binding, kind: 'Map' | 'Set'): Fix | undefined {
  const init = binding.initializer && skipOuterExpressions(binding.initializer);
  if (!init || !ts.isNewExpression(init) || (init.arguments?.length ?? 0) > 0) return undefined;
  const anchor = topLevelStatement(init);
  if (!anchor) return undefined;
  const constant = constantNameFor(binding, 'MAX_ENTRIES');
  if (declaresTopLevel(file, constant)) return undefined;
  const useLru = kind === 'Map' && hasNamedLruExport(file.dependencyRange('lru-cache'));
  const typeArgs = typeArgumentsText(file, init, binding);
  const name = binding.name;
  if (useLru) {
    return {
      title: `Replace \`${name}\` with an LRUCache from lru-cache (max ${constant} = ${DEFAULT_MAX_ENTRIES} entries)`,
      edits: () => {
        const lruTypeArgs = file.isTypeScript ? typeArgs.replace(/^$/, '<any, any>') : '';
        const edits = [
          importEdit(file, 'lru-cache', 'LRUCache'),
          insertBefore(file, anchor, `const ${constant} = ${DEFAULT_MAX_ENTRIES};`),
          replaceNode(file, init, `new LRUCache${lruTypeArgs}({ max: ${constant} })`),
        ];
        const typeNode = binding.typeNode;
        if (typeNode && ts.isTypeReferenceNode(typeNode) && ts.isIdentifier(typeNode.typeName) && typeNode.typeName.text === 'Map') {
          edits.push(replaceNode(file, typeNode.typeName, 'LRUCache'));
        }
        return mergeEdits(edits);
      },
    };
  }
  const helper = kind === 'Map' ? 'BoundedMap' : 'BoundedSet';
  return {
    title: `Bound \`${name}\` to ${constant} = ${DEFAULT_MAX_ENTRIES} entries, evicting the oldest (inserts a small ${helper} class)`,
    edits: () => {
      const helperText = HELPERS[kind][file.isTypeScript ? 'ts' : 'js'];
      const at = afterImports(file);
      const helperEdit = declaresTopLevel(file, helper) ? undefined : { start: at, end: at, newText: `${at > 0 ? '\n' : ''}${helperText}\n` };
      return mergeEdits([
        helperEdit,
        insertBefore(file, anchor, `const ${constant} = ${DEFAULT_MAX_ENTRIES};`),
        replaceNode(file, init, `new ${helper}${typeArgs}(${constant})`),
      ]);
    },
  };
}
