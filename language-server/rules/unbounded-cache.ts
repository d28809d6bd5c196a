/**
 * Rule 1, unbounded-cache: a Map, Set or dictionary object that outlives the code filling it
 * (module scope, a static, a singleton's field, a local captured by a listener) gains entries in
 * code that runs repeatedly, and nothing that can run meanwhile deletes, clears, resets or bounds it.
 *
 * Not flagged: WeakMap/WeakSet and LRU-style classes; additions in start-up code (a Map filled once
 * from a fixed key set); additions whose key is a constant; collections with a live removal (a
 * delete on the close path, a clear on an interval) or a size check (`if (map.size > MAX)`);
 * collections handed to code we cannot see. Arrays belong to growing-array.
 */
import ts = require('typescript');
import { type AnalyzedFile, type Binding, type Repetition } from '../analyze';
import { collectionKind, describeHolder, isRegistrationOrWarnOnce, sizeCheckBounds, ownerName, isConstantKey, runsAlongsideGrowth, sizeEffect, type CollectionKind } from '../collections';
import { boundCacheFix } from '../fixes/bound-cache';
import { weakMapFix } from '../fixes/weak-map';
import type { Fix, Rule, RuleContext } from './rule';

const KIND_WORDS: Record<string, string> = { Map: 'Map', Set: 'Set', object: 'object used as a dictionary' };

export const unboundedCache: Rule = {
  id: 'unbounded-cache',
  defaultSeverity: 'warning',
  title: 'Long-lived Map, Set or dictionary that gains entries repeatedly and never loses them',
  description: 'Flags a Map, Set or object used as a dictionary that lives as long as the process (or a long-lived object) and gains '
    + 'entries in code that runs repeatedly (handlers, callbacks, methods) with nothing removing, clearing or bounding them. '
    + 'WeakMaps, LRU caches, start-up tables with fixed keys and collections with a delete on the close path are not flagged. '
    + 'Fix: bound it (LRU with a named maximum), or key it weakly by the object whose lifetime the entry shares.',
  check(ctx: RuleContext) {
    for (const binding of ctx.file.bindings) checkBinding(ctx, binding);
  },
};

function checkBinding(ctx: RuleContext, binding: Binding): void {
  const file = ctx.file;
  if (binding.kind === 'import' || binding.kind === 'global' || binding.kind === 'param' || binding.kind === 'function' || binding.kind === 'class') return;
  const kind = collectionKind(binding);
  if (kind !== 'Map' && kind !== 'Set' && kind !== 'object') return;

  const growth: { node: ts.Node; key?: ts.Expression; repetition: Repetition }[] = [];
  const removals: ts.Node[] = [];
  const sizeChecks: ts.Node[] = [];
  for (const ref of binding.references) {
    const effect = sizeEffect(ref, kind, file);
    if (effect.kind === 'escape') return; // code we cannot see may evict
    if (effect.kind === 'shrink') removals.push(ref.node);
    if (effect.kind === 'size-check') sizeChecks.push(ref.node);
    if (effect.kind !== 'grow' || isConstantKey(effect.key, file)) continue;
    const repetition = file.growthSource(binding, ref.node) ?? memoOnLongLivedInstance(file, binding, ref.node, effect.key);
    if (repetition && isRegistrationOrWarnOnce(repetition)) continue;
    if (repetition) growth.push({ node: ref.use.kind === 'call' ? ref.use.call : ref.node.parent, key: effect.key, repetition });
  }
  if (growth.length === 0) return;
  const growthNodes = growth.map((g) => g.node);
  if (sizeChecks.some((check) => sizeCheckBounds(check, growthNodes))) return;
  if (removals.some((site) => runsAlongsideGrowth(file, site, growthNodes))) return;

  const first = growth[0];
  const removalNote = removals.length ? 'its only removal never runs while it grows (start-up code, a one-off callback or an uncalled function)' : 'nothing removes entries';
  const keyNote = first.key ? ` keyed by \`${first.key.getText(file.sourceFile).replace(/\s+/g, ' ').slice(0, 50)}\`` : '';
  const lifetime = binding.lifetime === 'instance' ? `for as long as the ${ownerName(binding)} instance lives` : 'for the life of the process';
  const message = `\`${binding.name}\` is ${describeHolder(file, binding, KIND_WORDS[kind])}; ${first.repetition.name} adds an entry${keyNote} `
    + `and ${first.repetition.why}, but ${removalNote}, so every entry stays reachable ${lifetime}.`;
  const related = [
    ...(binding.declaration ? [{ node: binding.declaration, message: `\`${binding.name}\` is declared here` }] : []),
    ...growth.slice(1).map((g) => ({ node: g.node, message: `\`${binding.name}\` also grows here` })),
  ];
  ctx.report({ node: first.node, message, related, fixes: fixesFor(file, binding, kind, growth.map((g) => g.key)) });
}

/**
 * A field named as a cache, of a class whose instances this file does not create per call, filled
 * by a method that first looks the same key up (`if (!this.cache.has(id)) this.cache.set(id, …)`):
 * a memo meant to outlive each call, on an owner (a service, a repository) typically kept for the
 * life of the process. Other get-or-create dictionaries (an encoder's name table, a tree's child
 * index) belong to objects whose lifetime this file does not show, and are not flagged.
 */
function memoOnLongLivedInstance(file: AnalyzedFile, binding: Binding, node: ts.Node, key: ts.Expression | undefined): Repetition | undefined {
  if (binding.lifetime !== 'instance' || !key || !/cache|memo/i.test(binding.name)) return undefined;
  const cls = binding.owner as ts.ClassLikeDeclaration;
  if (file.classes.get(cls)?.perCall) return undefined;
  const repetition = file.repetitionAt(node);
  if (!repetition || (repetition.kind !== 'method' && repetition.kind !== 'called')) return undefined;
  const fn = file.enclosingFunction(node);
  const keyText = key.getText(file.sourceFile);
  const looksUp = binding.references.some((ref) => {
    if (!fn || file.enclosingFunction(ref.node) !== fn || ref.node.pos >= node.pos) return false;
    if (ref.use.kind === 'call' && (ref.use.method === 'get' || ref.use.method === 'has')) return ref.use.call.arguments[0]?.getText(file.sourceFile) === keyText;
    const access = ref.node.parent;
    return ts.isElementAccessExpression(access) && access.expression === ref.node && access.argumentExpression.getText(file.sourceFile) === keyText;
  });
  return looksUp ? repetition : undefined;
}

function fixesFor(file: AnalyzedFile, binding: Binding, kind: CollectionKind, keys: readonly (ts.Expression | undefined)[]): Fix[] {
  const fixes: Fix[] = [];
  const weak = kind === 'Map' || kind === 'Set' ? weakMapFix(file, binding, kind, keys) : undefined;
  if (weak) fixes.push(weak);
  const bound = kind === 'Map' || kind === 'Set' ? boundCacheFix(file, binding, kind) : undefined;
  if (bound) fixes.push(bound);
  return fixes;
}
