/**
 * Rule 4, closure-capture: a closure kept long-term (registered on an emitter that outlives the
 * call, run by setInterval, put in a long-lived collection or field) that is created in a function
 * holding big data (file contents, buffers, response bodies, parsed documents). V8 gives all
 * closures created by one call a single shared context: if any closure in that call uses the big
 * variable, every closure from that call — including the stored one — keeps it alive, even one
 * that never names it. A stored closure that uses only `big.length` also keeps all of `big`.
 *
 * Not flagged: big values no closure references (they are not in the context), values released
 * (`= null`) before returning, closures that are not stored or are stored on objects created in
 * the same call, closures created at module level or once at start-up, closures that need the
 * whole value.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Binding, type FunctionLike, type Repetition } from '../analyze';
import { bigBinding, type BigValue } from '../facts/big-values';
import { freshInRun, repetitionOf, rootOf, sameObject, targetOutlives } from '../facts/lifetime';
import { listenerAdd } from './listener-leak';
import { timerHome } from './timer-leak';
import type { Rule, RuleContext } from './rule';

/** Reads of these properties need only a number or an id, not the whole value. */
const SMALL_PARTS = new Set(['length', 'byteLength', 'size', 'id', 'name', 'type', 'url', 'path', 'status', 'statusCode', 'count', 'key']);

const CLOSURE_KINDS = [ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression];

export const closureCapture: Rule = {
  id: 'closure-capture',
  defaultSeverity: 'warning',
  title: 'Long-lived closure keeps a big value of the function that created it',
  description: 'Flags closures stored long-term (listeners on emitters that outlive the call, setInterval callbacks, entries of '
    + 'long-lived collections or fields) created in a function that holds big data — file contents, Buffers, response bodies, '
    + 'parsed documents — that is in the closure\'s context: because another closure of the same call uses it (V8 shares one '
    + 'context per call among all its closures), or because the stored closure reads only a small part of it (`.length`). '
    + 'Fix: create the stored closure in a small helper that receives only what it needs, or copy out the small part first.',
  check(ctx: RuleContext) {
    for (const closure of ctx.file.nodesOfKinds(CLOSURE_KINDS)) checkClosure(ctx, closure as ts.ArrowFunction | ts.FunctionExpression);
  },
};

interface Storage {
  /** "registered on `process` ('beforeExit')", "put in `formatters`". */
  readonly how: string;
  readonly rep: Repetition;
  /** The call that stores it (`queue.add(data, cb)`): values passed alongside are kept anyway. */
  readonly call?: ts.CallExpression;
}

function checkClosure(ctx: RuleContext, closure: ts.ArrowFunction | ts.FunctionExpression): void {
  const file = ctx.file;
  const storage = storageOf(file, closure, closure);
  if (!storage) return;
  for (const scope of enclosingFunctions(file, closure)) {
    if (hasEval(file, scope)) {
      ctx.report({ node: closure, message: `This closure is ${storage.how}, and ${scopeName(file, scope)} calls \`eval\`, so V8 keeps every variable of that call alive for as long as the closure lives.` });
      return;
    }
    for (const binding of bindingsOf(file, scope, closure)) {
      const big = bigBinding(file, binding);
      if (!big || released(binding) || storedAlongside(binding, storage)) continue;
      const inClosure = binding.references.filter((r) => r.use.kind !== 'declare' && isInside(r.node, closure));
      if (inClosure.length > 0) {
        const parts = inClosure.map((r) => smallPart(r.node));
        if (parts.some((p) => p === undefined)) continue; // it needs the whole value
        const part = parts[0]!;
        report(ctx, closure, storage, binding, big,
          `but it reads only \`${binding.name}.${part}\`, so it keeps all of \`${binding.name}\``,
          `copy \`${binding.name}.${part}\` into a local before creating the closure`);
        return;
      }
      const user = otherClosureUsing(file, binding, scope, closure);
      if (user) {
        report(ctx, closure, storage, binding, big,
          `and although it never names \`${binding.name}\`, ${describeFunction(file, user)} does, so V8 puts \`${binding.name}\` in the context that every closure of the same call shares`,
          'create the stored closure in a separate small function that receives only what it needs');
        return;
      }
    }
  }
}

function report(ctx: RuleContext, closure: FunctionLike, storage: Storage, binding: Binding, big: BigValue, why: string, fix: string): void {
  const life = storage.rep.kind === 'loop' ? 'every iteration' : `every run of ${storage.rep.name}`;
  const message = `This closure is ${storage.how} ${why}: ${life} leaves \`${binding.name}\` (${big.what}) reachable for as long as the closure is kept. To release it, ${fix}.`;
  ctx.report({
    node: closure,
    message,
    related: binding.declaration ? [{ node: binding.declaration, message: `\`${binding.name}\` holds ${big.what}` }] : [],
  });
}

/** How the value at `node` is kept beyond the call that creates it, if it is. */
function storageOf(file: AnalyzedFile, node: ts.Expression, closure: FunctionLike): Storage | undefined {
  let value: ts.Node = node;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if ((ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) && ts.isObjectLiteralExpression(parent.parent)) {
    return storageOf(file, parent.parent, closure);
  }
  if (ts.isArrayLiteralExpression(parent)) return storageOf(file, parent, closure);
  // cheap syntactic filter first: only calls and assignments can store the value
  const isArg = ts.isCallExpression(parent) && parent.arguments.includes(value as ts.Expression);
  const isAssigned = ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  if (!isArg && !isAssigned) return undefined;
  if (isArg && !/^(on|once|addListener|prependListener|addEventListener|subscribe|setInterval|set|push|add|unshift|splice)$/.test(calleeName(parent as ts.CallExpression) ?? '')) return undefined;
  // a closure created at module level has no function context to keep
  if (!file.enclosingFunction(closure)) return undefined;
  const rep = repetitionOf(file, value);
  if (!rep) return undefined;
  if (ts.isCallExpression(parent) && parent.arguments.includes(value as ts.Expression)) {
    const add = listenerAdd(parent);
    if (add && skipOuterExpressions(add.listener) === skipOuterExpressions(value as ts.Expression)) {
      const outlives = targetOutlives(file, add.target, rep, parent);
      if (outlives?.kind === 'instance' && freshInRun(file, add.target, rep.node, parent)) return undefined;
      // a `once` listener lives until its event; only on process-wide emitters is that long
      if (add.once && outlives?.kind !== 'global' && outlives?.kind !== 'module') return undefined;
      return outlives ? { how: `registered on \`${expressionText(add.target)}\`${add.event ? ` ('${add.event}')` : ''}`, rep } : undefined;
    }
    const name = calleeName(parent);
    const receiver = calleeReceiver(parent);
    if (name === 'setInterval' && !receiver) return intervalIsCleared(file, parent) ? undefined : { how: 'run by setInterval', rep };
    if (receiver && /^(set|push|add|unshift|splice)$/.test(name ?? '') && longLivedHolder(file, receiver, rep, parent)) {
      return { how: `kept in \`${expressionText(receiver)}\``, rep, call: parent };
    }
    return undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(parent.left);
    const holder = ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target) ? target.expression : target;
    if (longLivedHolder(file, holder, rep, parent) || ts.isPropertyAccessExpression(target) && skipOuterExpressions(target.expression).kind === ts.SyntaxKind.ThisKeyword) {
      return { how: `stored in \`${expressionText(target)}\``, rep };
    }
  }
  return undefined;
}

/** The interval's id is kept and cleared somewhere: it lives only until then. */
function intervalIsCleared(file: AnalyzedFile, call: ts.CallExpression): boolean {
  const home = timerHome(call);
  if (home.kind === 'escaped') return true;
  if (home.kind === 'dropped') return false;
  return file.callsNamed('clearInterval').some((c) => c.arguments[0] !== undefined && sameObject(file, c.arguments[0], home.holder));
}

function longLivedHolder(file: AnalyzedFile, holder: ts.Expression, rep: Repetition, site: ts.Node): boolean {
  if (!rootOf(holder)) return false;
  return targetOutlives(file, holder, rep, site) !== undefined;
}

/** The function-like nodes enclosing `closure`, innermost first (module level excluded). */
function enclosingFunctions(file: AnalyzedFile, closure: ts.Node): FunctionLike[] {
  const result: FunctionLike[] = [];
  for (let fn = file.enclosingFunction(closure); fn; fn = file.enclosingFunction(fn)) result.push(fn);
  return result;
}

/** Bindings of `scope` (params, locals, and block locals in blocks that contain the closure). */
function bindingsOf(file: AnalyzedFile, scope: ts.Node, closure: ts.Node): Binding[] {
  return (localsByFunction(file).get(scope) ?? []).filter((b) => b.scopeNode === scope || isInside(closure, b.scopeNode));
}

/** Local bindings grouped by the function whose call creates them (block scopes included), computed once per file. */
const localsCache = new WeakMap<ts.SourceFile, Map<ts.Node, Binding[]>>();
function localsByFunction(file: AnalyzedFile): Map<ts.Node, Binding[]> {
  let map = localsCache.get(file.sourceFile);
  if (!map) {
    map = new Map();
    for (const b of file.bindings) {
      if (b.lifetime !== 'local' || b.kind === 'function' || b.kind === 'class') continue;
      const fn = nearestFunction(b.scopeNode);
      if (!fn) continue;
      const list = map.get(fn) ?? [];
      list.push(b);
      map.set(fn, list);
    }
    localsCache.set(file.sourceFile, map);
  }
  return map;
}

function nearestFunction(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

/** `queue.add(buffer, () => …)`: the big value is stored by the same call, so the closure adds nothing. */
function storedAlongside(binding: Binding, storage: Storage): boolean {
  return !!storage.call && storage.call.arguments.some((arg) => binding.references.some((r) => r.use.kind !== 'declare' && isInside(r.node, arg) && !ts.isFunctionLike(arg)));
}

/** Set to null/undefined somewhere: the author releases it. */
function released(binding: Binding): boolean {
  return binding.references.some((r) => r.use.kind === 'assign' && (r.use.value.kind === ts.SyntaxKind.NullKeyword
    || ts.isIdentifier(r.use.value) && r.use.value.text === 'undefined' || ts.isVoidExpression(r.use.value)));
}

/** `big.length` (a property read, not a method call): the part's name, or undefined. */
function smallPart(ref: ts.Node): string | undefined {
  const parent = ref.parent;
  if (!ts.isPropertyAccessExpression(parent) || parent.expression !== ref) return undefined;
  if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return undefined;
  return SMALL_PARTS.has(parent.name.text) ? parent.name.text : undefined;
}

/** Another function nested in `scope` (not inside `closure`) that references the binding. */
function otherClosureUsing(file: AnalyzedFile, binding: Binding, scope: ts.Node, closure: ts.Node): ts.Node | undefined {
  for (const ref of binding.references) {
    if (ref.use.kind === 'declare' || isInside(ref.node, closure)) continue;
    const fn = file.enclosingFunction(ref.node);
    if (fn && fn !== scope && isInside(fn, scope)) return fn;
  }
  return undefined;
}

function describeFunction(file: AnalyzedFile, fn: ts.Node): string {
  const name = file.functions.get(fn)?.name;
  return name && name !== 'an anonymous function' ? name : `the function on line ${file.sourceFile.getLineAndCharacterOfPosition(fn.getStart(file.sourceFile)).line + 1}`;
}

function scopeName(file: AnalyzedFile, scope: ts.Node): string {
  return file.functions.get(scope)?.name ?? 'the enclosing function';
}

/** Does `scope` contain a direct `eval(…)` call? (Looked up in the file's call index rather than walking the scope.) */
function hasEval(file: AnalyzedFile, scope: ts.Node): boolean {
  return file.callsNamed('eval').some((call) => ts.isIdentifier(call.expression) && isInside(call, scope));
}
