/**
 * Rule 7, growing-array: an array that outlives the code appending to it (a module-level log or
 * queue, a static, a singleton's field, a local captured by a listener) gets `push`/`unshift`/
 * `arr[arr.length] =` in code that runs repeatedly, and nothing that can run meanwhile shifts,
 * pops, splices, truncates or replaces it — including caps that are written but do nothing
 * (`arr.slice(1)` with the result dropped) or that can never run (in a function nobody calls).
 *
 * Not flagged: queues drained by a consumer, arrays capped by a length check, arrays filled once
 * at start-up, arrays handed to code we cannot see.
 */
import ts = require('typescript');
import { skipOuterExpressions, type AnalyzedFile, type Binding, type Repetition } from '../analyze';
import { collectionKind, describeHolder, isRegistrationOrWarnOnce, sizeCheckBounds, runsAlongsideGrowth, sizeEffect } from '../collections';
import { capArrayFix } from '../fixes/cap-array';
import type { Rule, RuleContext } from './rule';

export const growingArray: Rule = {
  id: 'growing-array',
  defaultSeverity: 'warning',
  title: 'Long-lived array used as a log or queue that only grows',
  description: 'Flags an array that lives as long as the process (or a long-lived object) and is appended to in code that runs '
    + 'repeatedly, with nothing shifting, splicing, popping or truncating it while it grows, and caps that are written but '
    + 'ineffective (a non-mutating slice/filter whose result is dropped, or a cap in code that never runs). '
    + 'Fix: cap it at a named maximum length.',
  check(ctx: RuleContext) {
    for (const binding of ctx.file.bindings) checkBinding(ctx, binding);
  },
};

function checkBinding(ctx: RuleContext, binding: Binding): void {
  const file = ctx.file;
  if (binding.kind === 'import' || binding.kind === 'global' || binding.kind === 'param' || binding.kind === 'function' || binding.kind === 'class') return;
  if (collectionKind(binding) !== 'array') return;

  const growth: { node: ts.Node; call?: ts.CallExpression; repetition: Repetition }[] = [];
  const removals: ts.Node[] = [];
  const sizeChecks: ts.Node[] = [];
  const noOpCaps: { node: ts.Node; reason: string }[] = [];
  for (const ref of binding.references) {
    const effect = sizeEffect(ref, 'array', file);
    if (effect.kind === 'escape') return; // code we cannot see may drain it
    if (effect.kind === 'shrink') removals.push(ref.node);
    if (effect.kind === 'size-check') sizeChecks.push(ref.node);
    if (effect.kind === 'no-op-cap') noOpCaps.push(effect);
    if (effect.kind !== 'grow') continue;
    const repetition = file.growthSource(binding, ref.node);
    if (!repetition || isRegistrationOrWarnOnce(repetition)) continue;
    const call = ref.use.kind === 'call' ? ref.use.call : undefined;
    growth.push({ node: call ?? ref.node.parent, call, repetition });
  }
  if (growth.length === 0) return;
  const growthNodes = growth.map((g) => g.node);
  if (sizeChecks.some((check) => sizeCheckBounds(check, growthNodes))) return;
  const liveRemovals = removals.filter((site) => runsAlongsideGrowth(file, site, growthNodes));
  const onlyWhenShort = liveRemovals.map((site) => ({ site, guard: shortArrayGuard(file, binding, site) }));
  for (const { guard } of onlyWhenShort) {
    if (guard) noOpCaps.push({ node: guard, reason: `the trim only runs while \`${guard.getText(file.sourceFile).slice(0, 60)}\`, that is while the array is still short` });
  }
  if (onlyWhenShort.some((r) => !r.guard)) return;

  const first = growth[0];
  const method = first.call && ts.isPropertyAccessExpression(first.call.expression) ? first.call.expression.name.text : undefined;
  const verb = method === 'push' ? 'pushes to it' : method === 'unshift' ? 'unshifts onto it' : method === 'splice' ? 'inserts into it' : 'appends to it';
  let why: string;
  if (noOpCaps.length) {
    why = `its cap does not work: ${noOpCaps[0].reason}`;
  } else if (removals.length) {
    why = 'its only removal never runs while it grows (start-up code, a one-off callback or an uncalled function)';
  } else {
    why = 'nothing ever shifts, splices or truncates it';
  }
  const lifetime = binding.lifetime === 'instance' ? 'for as long as its owner lives' : 'for the life of the process';
  const message = `\`${binding.name}\` is ${describeHolder(file, binding, 'array')}; ${first.repetition.name} ${verb} `
    + `and ${first.repetition.why}, but ${why}, so it grows ${lifetime}.`;
  const related = [
    ...(binding.declaration ? [{ node: binding.declaration, message: `\`${binding.name}\` is declared here` }] : []),
    ...noOpCaps.map((cap) => ({ node: cap.node, message: `this cap does not bound \`${binding.name}\`: ${cap.reason}` })),
    ...growth.slice(1).map((g) => ({ node: g.node, message: `\`${binding.name}\` also grows here` })),
  ];
  const calls = growth.map((g) => g.call).filter((c): c is ts.CallExpression => !!c);
  const fix = calls.length === growth.length ? capArrayFix(file, binding, calls) : undefined;
  ctx.report({ node: first.node, message, related, fixes: fix ? [fix] : [] });
}

/**
 * The condition that makes a removal run only while the array is short (`if (arr.length < MAX)
 * arr.shift()`: a comparison written the wrong way round), or undefined.
 */
function shortArrayGuard(file: AnalyzedFile, binding: Binding, site: ts.Node): ts.Expression | undefined {
  for (let n: ts.Node = site; n.parent && !ts.isFunctionLike(n.parent) && !ts.isSourceFile(n.parent); n = n.parent) {
    const parent = n.parent;
    if (!ts.isIfStatement(parent) || parent.thenStatement !== n) continue;
    const condition = skipOuterExpressions(parent.expression);
    if (!ts.isBinaryExpression(condition)) return undefined;
    const isLength = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === 'length' && file.bindingOf(skipOuterExpressions(e.expression)) === binding;
    const op = condition.operatorToken.kind;
    const lengthOnLeftSmall = isLength(condition.left) && (op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken);
    const lengthOnRightSmall = isLength(condition.right) && (op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken);
    return lengthOnLeftSmall || lengthOnRightSmall ? condition : undefined;
  }
  return undefined;
}
