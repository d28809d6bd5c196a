/**
 * Rule 2, listener-leak: a listener added in code that runs repeatedly, onto an emitter that
 * outlives that code, and never removed — or removed under another event name, removed as a
 * different function (`.bind` twice, a new arrow), or removed only when nothing throws first.
 *
 * Not flagged: listeners on objects created by (or handed fresh to) each run (a request, its
 * socket, a stream opened in the same call); listeners added at start-up or behind a run-once
 * flag; a matching removal; `once` (or `{ once: true }`) except for process lifecycle events and
 * a caller's AbortSignal, which may never fire; `{ signal }` listeners; subscriptions whose handle
 * is kept (returned, stored) for later unsubscription.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Repetition } from '../analyze';
import {
  allAssignmentsTo, allCalls, callRunsOncePerInstance, capturedFrom, CLOSE_METHOD, closeMethods, firstThisMember,
  functionIdentity, holderLife, inFinally, isFreshFunction, isRunOnceGuarded, literalText, repetitionClause,
  repetitionOf, runsOncePerInstance, sameObject, targetOutlives, thisClass, type Outlives,
} from '../facts/lifetime';
import { listenerRemovalFixes } from '../fixes/remove-listener';
import type { Rule, RuleContext } from './rule';

const ADD_METHODS = new Set(['on', 'addListener', 'prependListener', 'addEventListener', 'once', 'prependOnceListener', 'subscribe']);
const ONCE_METHODS = new Set(['once', 'prependOnceListener']);
const REMOVE_METHODS = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners', 'unsubscribe']);
/** process events that fire at most once, at the end: a `once` for them accumulates for the whole run. */
const PROCESS_LIFECYCLE = /^(exit|beforeExit|SIG[A-Z]+|uncaughtException|unhandledRejection|disconnect)$/;
/** End-of-life events of an application-wide emitter. */
const END_OF_LIFE = /^(shutdown|close|closed|stop|stopped|end|destroy|destroyed|quit|terminate|dispose|teardown|will-quit|before-quit)$/i;

export interface ListenerAdd {
  readonly call: ts.CallExpression;
  readonly method: string;
  readonly target: ts.Expression;
  readonly event: string | undefined;
  readonly eventNode: ts.Expression | undefined;
  readonly listener: ts.Expression;
  readonly once: boolean;
}

/** Reads `x.on('e', fn)`, `x.addEventListener('e', fn, opts)`, `x.subscribe(fn)`, `addEventListener('e', fn)`. */
export function listenerAdd(call: ts.CallExpression): ListenerAdd | undefined {
  const method = calleeName(call);
  if (!method || !ADD_METHODS.has(method)) return undefined;
  let target = calleeReceiver(call);
  if (!target) {
    if (method !== 'addEventListener') return undefined;
    target = ts.factory.createIdentifier('window');
  }
  // `x.on('a', f).on('b', g)`: the second add is on `x` too
  while (ts.isCallExpression(skipOuterExpressions(target)) && ADD_METHODS.has(calleeName(skipOuterExpressions(target) as ts.CallExpression) ?? '')) {
    const inner = calleeReceiver(skipOuterExpressions(target) as ts.CallExpression);
    if (!inner) break;
    target = inner;
  }
  const args = call.arguments;
  // Node's on/once take (event, listener); a third argument means some other API (`util.addListener(obj, event, fn)`)
  if (method !== 'addEventListener' && method !== 'subscribe' && args.length > 2) return undefined;
  if (method === 'subscribe') {
    const first = args[0] && skipOuterExpressions(args[0]);
    if (!first || !(ts.isArrowFunction(first) || ts.isFunctionExpression(first) || ts.isObjectLiteralExpression(first))) return undefined;
    return { call, method, target, event: undefined, eventNode: undefined, listener: first, once: false };
  }
  if (args.length < 2) return undefined;
  const listener = args[1];
  let once = ONCE_METHODS.has(method);
  if (method === 'addEventListener' && args[2]) {
    const options = skipOuterExpressions(args[2]);
    if (ts.isObjectLiteralExpression(options)) {
      for (const prop of options.properties) {
        const name = prop.name?.getText();
        if (name === 'signal') return undefined; // removed when that signal aborts
        if (name === 'once' && ts.isPropertyAssignment(prop) && prop.initializer.kind === ts.SyntaxKind.TrueKeyword) once = true;
      }
    }
  }
  return { call, method, target, event: literalText(args[0]), eventNode: args[0], listener, once };
}

export const listenerLeak: Rule = {
  id: 'listener-leak',
  defaultSeverity: 'warning',
  title: 'Listener added repeatedly to a long-lived emitter and never removed',
  description: 'Flags on/addListener/addEventListener/subscribe calls in code that runs many times (handlers, methods, per-instance '
    + 'constructors) onto an emitter that outlives that code (process, window, module-level emitters, a field used across calls, '
    + 'a caller\'s AbortSignal) with no matching removal; also removals under another event name, removals of a different function '
    + '(`.bind` twice, a new arrow) and removals skipped when an awaited call throws. Listeners on objects created per call, '
    + 'start-up listeners, `once` on events that surely fire and kept subscriptions are not flagged. Fix: remove the same '
    + 'function on the owner\'s close/dispose path, or pass an AbortSignal.',
  check(ctx: RuleContext) {
    const file = ctx.file;
    const calls = allCalls(file);
    const removals = calls.filter((c) => REMOVE_METHODS.has(calleeName(c) ?? '') && calleeReceiver(c));
    for (const call of calls) {
      const add = listenerAdd(call);
      if (add) checkAdd(ctx, add, removals);
    }
  },
};

/**
 * `http.get(url).on('error', …)`: the listener goes on the object the call just made, which dies
 * with it — the same as `const req = http.get(url); req.on(…)`, a local. (Chained adds were already
 * unwrapped by listenerAdd.) Not for `subscribe`: `store.select(…)` returns a long-lived stream.
 */
function isOnCallResult(add: ListenerAdd): boolean {
  return add.method !== 'subscribe' && ts.isCallExpression(skipOuterExpressions(add.target));
}

function checkAdd(ctx: RuleContext, add: ListenerAdd, removals: readonly ts.CallExpression[]): void {
  const file = ctx.file;
  const rep = repetitionOf(file, add.call);
  if (!rep) return;
  if (isRunOnceGuarded(file, add.call, rep.node)) return;
  if (expressionText(add.target).replace(/\(…\)/g, '()').includes('…') || isDelegation(file, add) || isTeardown(file, add)) return;
  if (isCliSetup(add, rep)) return;
  const cls = thisClass(add.call);
  const oncePerInstance = cls !== undefined && runsOncePerInstance(file, add.call, cls);
  if (oncePerInstance && file.classes.get(cls)?.singleton) return;
  if (isOnCallResult(add)) return;
  const outlives = targetOutlives(file, add.target, rep, add.call);
  if (!outlives) return;
  if (outlives.kind === 'instance' && !instanceTargetLeaks(file, add, rep, cls, oncePerInstance, removals)) return;
  if (add.once && !onceMayNeverFire(add, outlives)) return;
  if (add.method === 'subscribe' && (isKept(add.call) || hasCompletingOperator(add.target))) return;
  if (returnsCalledDisposer(file, add.call)) return; // `const off = emitter.on(…); … off()`

  const sameTarget = [...removals.filter((r) => sameObject(file, calleeReceiver(r)!, add.target) && r !== add.call), ...helperRemovals(file, add.target)];
  const identity = functionIdentity(file, add.listener);
  const fresh = isFreshFunction(add.listener);
  const matching = sameTarget.filter((r) => removesSameListener(file, r, add, identity) || helperTargets.has(r) && calleeName(r) === 'removeAllListeners');
  const where = describeTarget(add);

  if (matching.length > 0) {
    const failurePath = removedOnSuccessOnly(file, add, matching, rep);
    if (failurePath) {
      const message = `${where} is removed only in the ${failurePath.success} handler; the ${failurePath.failure} handler leaves it, and ${repetitionClause(rep)}: `
        + `each run that ends in ${failurePath.failure} leaves a listener on \`${expressionText(add.target)}\` ${holderLife(outlives, add.target)}.`;
      ctx.report({ node: add.call, message, related: [{ node: failurePath.node, message: `the ${failurePath.failure} path does not remove it` }] });
      return;
    }
    const skipped = removalSkippedOnThrow(file, add, matching);
    if (!skipped) return;
    const message = `${where} is removed only after \`${skipped}\` succeeds, and ${repetitionClause(rep)}: each run where it throws `
      + `leaves a listener on \`${expressionText(add.target)}\` ${holderLife(outlives, add.target)}. Remove it in a \`finally\` block.`;
    ctx.report({ node: add.call, message, related: matching.map((r) => ({ node: r, message: 'removed here only on success' })) });
    return;
  }

  let why = 'is never removed';
  const otherEvent = sameTarget.find((r) => eventMismatch(file, r, add, identity));
  const otherFunction = sameTarget.find((r) => literalText(r.arguments[0]) === add.event && r.arguments.length >= 2);
  if (otherEvent) {
    why = `is removed under another event name ('${literalText(otherEvent.arguments[0])}', not '${add.event}'), so the removal finds nothing`;
  } else if (otherFunction && fresh) {
    why = fresh === 'bind'
      ? 'is removed with another `.bind(…)` result — `bind` makes a new function each time, so the removal finds nothing'
      : 'is an inline function, so the removal (with a different function) finds nothing';
  }
  const captured = capturedFrom(file, listenerFunction(file, add.listener), rep.node).filter((b) => b !== listenerBinding(file, add.listener))
    .map((b) => `\`${b.name}\``).slice(0, 3);
  const holds = captured.length ? `its closure (and ${captured.join(', ')})` : 'its closure';
  const message = `${where} ${why}, and ${repetitionClause(rep)}: each run adds another listener to \`${expressionText(add.target)}\` `
    + `that holds ${holds} ${holderLife(outlives, add.target)}.`;
  const related = [otherEvent ?? otherFunction].filter((n): n is ts.CallExpression => !!n).map((n) => ({ node: n, message: 'this removal does not match the listener' }));
  ctx.report({ node: add.call, message, related, fixes: listenerRemovalFixes(file, add, rep) });
}

/**
 * The listener is the caller's: an API wrapper (`on(event, handler) { this.emitter.on(event, handler) }`),
 * an `onmessage` setter, or a function handed in as a parameter — whoever passed it can remove it.
 */
function isDelegation(file: AnalyzedFile, add: ListenerAdd): boolean {
  const fn = file.enclosingFunction(add.call);
  if (!fn) return false;
  if (ts.isSetAccessorDeclaration(fn)) return true;
  const name = fn.name && !ts.isComputedPropertyName(fn.name) ? fn.name.getText() : ts.isPropertyAssignment(fn.parent) || ts.isBinaryExpression(fn.parent) ? expressionText(ts.isBinaryExpression(fn.parent) ? fn.parent.left : fn.parent.name as ts.Identifier) : '';
  if (/(^|\.)(#?on|once|addListener|addEventListener|prependListener|prependOnceListener|subscribe|listen|addHandler|onEvent|on[A-Z]\w*)$/.test(name)) return true;
  const listener = skipOuterExpressions(add.listener);
  const binding = ts.isIdentifier(listener) ? file.bindingOf(listener) : undefined;
  if (binding?.kind === 'param') return true;
  // a local listener handed back (returned, stored, passed on): whoever receives it removes it
  return binding !== undefined && binding.lifetime === 'local' && binding.references.some((ref) => {
    if (ref.use.kind !== 'escape') return false;
    const via = ref.use.via;
    if (ts.isCallExpression(via)) return !ADD_METHODS.has(calleeName(via) ?? '') && !REMOVE_METHODS.has(calleeName(via) ?? '');
    return !ts.isVariableDeclaration(via);
  });
}

/**
 * `process.on('SIGINT' | 'exit', …)` in a helper reached only from an exported entry point: set-up
 * of a command-line run, which happens once per process in practice.
 */
function isCliSetup(add: ListenerAdd, rep: Repetition): boolean {
  if (rep.kind !== 'called' || expressionText(add.target) !== 'process' || !add.event || !PROCESS_LIFECYCLE.test(add.event)) return false;
  let root: Repetition = rep;
  while (root.kind === 'called' && root.via) root = root.via;
  return root.kind === 'exported';
}

/** Added while tearing down (in close()/destroy()), or right before the target is destroyed in the same function. */
function isTeardown(file: AnalyzedFile, add: ListenerAdd): boolean {
  const fn = file.enclosingFunction(add.call);
  if (!fn) return false;
  const name = fn.name && !ts.isComputedPropertyName(fn.name) ? fn.name.getText().replace(/^[#_]+/, '') : '';
  if (name && (CLOSE_METHOD.test(name) || /^(close|destroy|dispose|teardown|cleanup|shutdown)/i.test(name))) return true;
  let chained: ts.Node = add.call;
  while (ts.isPropertyAccessExpression(chained.parent) && ts.isCallExpression(chained.parent.parent)) {
    if (/^(destroy|close|end|terminate|kill|abort|disconnect)$/.test(chained.parent.name.text)) return true;
    chained = chained.parent.parent;
  }
  return teardownCalls(file).some((c) => isInside(c, fn) && c.getStart() > add.call.getStart() && sameObject(file, calleeReceiver(c)!, add.target));
}

const teardownCache = new WeakMap<ts.SourceFile, ts.CallExpression[]>();
function teardownCalls(file: AnalyzedFile): ts.CallExpression[] {
  let calls = teardownCache.get(file.sourceFile);
  if (!calls) {
    calls = allCalls(file).filter((c) => /^(destroy|close|end|terminate|kill|abort|disconnect)$/.test(calleeName(c) ?? '') && calleeReceiver(c) !== undefined);
    teardownCache.set(file.sourceFile, calls);
  }
  return calls;
}

/**
 * A listener on an object the instance holds leaks only when the object outlives the listener's
 * owner: added on every call of a method the same instance serves repeatedly (not on itself, not
 * on an object the same call created), or added once per instance by a class that manages its
 * listeners (it has a close path and removes listeners somewhere) but forgot this one.
 */
function instanceTargetLeaks(file: AnalyzedFile, add: ListenerAdd, rep: Repetition, cls: ts.ClassLikeDeclaration | undefined,
  oncePerInstance: boolean, removals: readonly ts.CallExpression[]): boolean {
  const target = skipOuterExpressions(add.target);
  if (target.kind === ts.SyntaxKind.ThisKeyword) return false;
  // the component's own DOM: it dies with the component
  if (/^this\.(\$el|el|element|\$refs|refs|shadowRoot|root|container|host|nativeElement|elementRef)\b/.test(expressionText(target))) return false;
  if (!cls) return true;
  // Once per instance: trust shared lifetimes unless the class removes other listeners from the same object but not this one.
  if (oncePerInstance) return closeMethods(cls).length > 0 && removals.some((r) => isInside(r, cls) && sameObject(file, calleeReceiver(r)!, target));
  // `this.zipfile = await open(…); this.zipfile.on(…)`: the object is fresh for this call (or for each caller of this private method)
  const fn = rep.node;
  const member = firstThisMember(target);
  if (!member) return true;
  const assignments = allAssignmentsTo(file, member);
  const freshBefore = (site: ts.Node, container: ts.Node) => assignments.some((a) => isInside(a, container) && a.getStart() < site.getStart());
  if (freshBefore(add.call, fn)) return false;
  const method = file.enclosingFunction(add.call);
  if (method && ts.isMethodDeclaration(method) && /^[#_]/.test(method.name.getText())) {
    const sites = privateCallSites(cls, method.name.getText());
    if (sites.length > 0 && sites.every((site) => callRunsOncePerInstance(file, site, cls) || freshBefore(site, file.enclosingFunction(site) ?? cls))) return false;
  }
  return true;
}

function privateCallSites(cls: ts.ClassLikeDeclaration, name: string): ts.CallExpression[] {
  const sites: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.getText() === name) sites.push(n);
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return sites;
}

/**
 * Removals done by a helper: `this._removeListeners(this.socket)` where the helper calls
 * `socket.removeAllListeners(…)` / `removeListener(…)` on its parameter. Returned as the helper's
 * removal calls, which the matching treats as removals on `target`.
 */
function helperRemovals(file: AnalyzedFile, target: ts.Expression): ts.CallExpression[] {
  const result: ts.CallExpression[] = [];
  for (const call of helperCalls(file)) {
    const argIndex = call.arguments.findIndex((a) => sameObject(file, a, target));
    if (argIndex < 0) continue;
    const helper = helperDeclaration(file, call);
    const param = helper?.parameters[argIndex]?.name;
    if (!helper || !param || !ts.isIdentifier(param)) continue;
    const paramBinding = file.bindingOf(param);
    for (const ref of paramBinding?.references ?? []) {
      if (ref.use.kind === 'call' && REMOVE_METHODS.has(ref.use.method)) result.push(withReceiver(ref.use.call, target));
    }
  }
  return result;
}

/** Calls to functions/methods of this file that remove listeners from one of their parameters (computed once per file). */
const helperCallCache = new WeakMap<ts.SourceFile, ts.CallExpression[]>();
function helperCalls(file: AnalyzedFile): ts.CallExpression[] {
  let calls = helperCallCache.get(file.sourceFile);
  if (!calls) {
    const names = new Set<string>();
    for (const call of allCalls(file)) {
      const method = calleeName(call);
      const receiver = calleeReceiver(call);
      const root = receiver && skipOuterExpressions(receiver);
      if (!method || !REMOVE_METHODS.has(method) || !root || !ts.isIdentifier(root) || file.bindingOf(root)?.kind !== 'param') continue;
      const fn = file.enclosingFunction(call);
      const name = fn?.name && !ts.isComputedPropertyName(fn.name) ? fn.name.getText() : undefined;
      if (name) names.add(name);
    }
    calls = names.size ? allCalls(file).filter((c) => c.arguments.length > 0 && names.has(calleeName(c) ?? '')) : [];
    helperCallCache.set(file.sourceFile, calls);
  }
  return calls;
}

/** The function or method a call invokes, when it is declared in this file. */
function helperDeclaration(file: AnalyzedFile, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const decl = file.bindingOf(callee)?.declaration?.parent;
    return decl && ts.isFunctionDeclaration(decl) ? decl : undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && skipOuterExpressions(callee.expression).kind === ts.SyntaxKind.ThisKeyword) {
    const cls = thisClass(call);
    const method = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === callee.name.getText());
    return method;
  }
  return undefined;
}

/** The helper's removal call, re-read as if made on `target` (its receiver is the helper's parameter). */
function withReceiver(call: ts.CallExpression, target: ts.Expression): ts.CallExpression {
  helperTargets.set(call, target);
  return call;
}

const helperTargets = new WeakMap<ts.CallExpression, ts.Expression>();

function listenerBinding(file: AnalyzedFile, listener: ts.Expression) {
  const e = skipOuterExpressions(listener);
  return ts.isIdentifier(e) ? file.bindingOf(e) : undefined;
}

/** The function a listener expression names: the expression itself, or a local's function initializer. */
function listenerFunction(file: AnalyzedFile, listener: ts.Expression): ts.Node {
  const init = listenerBinding(file, listener)?.initializer;
  const fn = init && skipOuterExpressions(init);
  return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : skipOuterExpressions(listener);
}

function describeTarget(add: ListenerAdd): string {
  const event = add.eventNode ? (add.event !== undefined ? `'${add.event}'` : '…') : '';
  return `\`${expressionText(add.target)}.${add.method}(${event}${event ? ', ' : ''}…)\``;
}

/** `once` leaks only if the event may never come: process lifecycle events, a caller's abort signal. */
function onceMayNeverFire(add: ListenerAdd, outlives: Outlives): boolean {
  if (outlives.kind === 'signal') return true;
  if (add.event === 'abort') return true;
  // a pooled socket is already connected when it is reused: its 'connect' never comes again
  if (outlives.kind === 'socket') return add.event === 'connect' || add.event === 'secureConnect' || add.event === 'lookup';
  // a process-wide object's end-of-life event fires once, at the end: until then every `once` stays
  if (outlives.kind === 'global' || outlives.kind === 'module') return add.event !== undefined && (PROCESS_LIFECYCLE.test(add.event) || END_OF_LIFE.test(add.event));
  return false;
}

/** The call's result is stored, returned or passed on: the caller keeps a handle to undo it. */
function isKept(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return false; // chained: x.on(...).on(...)
  return ts.isVariableDeclaration(parent) || ts.isBinaryExpression(parent) || ts.isReturnStatement(parent) || ts.isArrowFunction(parent)
    || ts.isCallExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isPropertyAssignment(parent);
}

/** The add's result is kept in a variable or field that is later called: an unsubscribe function. */
function returnsCalledDisposer(file: AnalyzedFile, call: ts.CallExpression): boolean {
  const parent = call.parent;
  const holder = ts.isVariableDeclaration(parent) && parent.initializer === call ? parent.name
    : ts.isBinaryExpression(parent) && parent.right === call ? skipOuterExpressions(parent.left) : undefined;
  if (!holder || !(ts.isIdentifier(holder) || ts.isPropertyAccessExpression(holder))) return false;
  const binding = file.bindingOf(holder);
  return !!binding && binding.references.some((r) => ts.isCallExpression(r.node.parent) && r.node.parent.expression === r.node
    || r.use.kind === 'escape' || r.use.kind === 'call' && /^(dispose|unsubscribe|remove|off)$/.test(r.use.method));
}

/** `x.pipe(take(1))`, `first()`, `takeUntil(destroy$)`: the subscription completes by itself. */
function hasCompletingOperator(target: ts.Expression): boolean {
  const text = target.getText();
  // operators that complete the stream, or sources that emit once and complete (HTTP calls, of/from/timer)
  return /\b(take|first|takeUntil|takeWhile|takeUntilDestroyed|single|lastValueFrom|firstValueFrom)\s*\(/.test(text)
    || /(^|\.)(get|post|put|patch|delete|head|request|fetch|ajax|of|from|timer|forkJoin)\s*(<[^>]*>)?\s*\(/.test(text) && !/\b(interval|fromEvent|valueChanges|select)\b/.test(text);
}

function removesSameListener(file: AnalyzedFile, removal: ts.CallExpression, add: ListenerAdd, identity: string | undefined): boolean {
  const method = calleeName(removal);
  const event = literalText(removal.arguments[0]);
  if (method === 'removeAllListeners') return removal.arguments.length === 0 || event === undefined || event === add.event;
  if (method === 'unsubscribe') return false;
  if (event !== undefined && add.event !== undefined && event !== add.event) return false;
  const fn = removal.arguments[1];
  if (!fn) return false;
  // `bus.off('x', handlers.get(id))`: a function we cannot name may well be ours
  const removed = functionIdentity(file, fn);
  if (!removed && !isFreshFunction(fn)) return !isFreshFunction(add.listener);
  if (!identity) return !isFreshFunction(add.listener) && !removed;
  return removed === identity;
}

function eventMismatch(file: AnalyzedFile, removal: ts.CallExpression, add: ListenerAdd, identity: string | undefined): boolean {
  const event = literalText(removal.arguments[0]);
  const fn = removal.arguments[1];
  return event !== undefined && add.event !== undefined && event !== add.event && !!fn && !!identity && functionIdentity(file, fn) === identity;
}

const SUCCESS_EVENTS = /^(end|finish|response|connect|success|done|load|reply|complete|ready|open|upgrade)$/;
const FAILURE_EVENTS = /^(error|timeout|abort|aborted)$/;

/**
 * Every matching removal sits in a handler for a success event ('response', 'end'), while the same
 * run also handles a failure event ('error', 'timeout') without removing it: `x.on('connect', f)`
 * removed on 'response' only, so each timed-out request leaves `f` behind.
 */
function removedOnSuccessOnly(file: AnalyzedFile, add: ListenerAdd, removals: readonly ts.CallExpression[], rep: Repetition):
  { success: string; failure: string; node: ts.Node } | undefined {
  let success: string | undefined;
  for (const removal of removals) {
    const event = handlerEvent(file, removal, rep.node);
    if (!event || !SUCCESS_EVENTS.test(event)) return undefined;
    success = `'${event}'`;
  }
  for (const call of allCalls(file)) {
    if (!isInside(call, rep.node) || call === add.call) continue;
    const other = listenerAdd(call);
    if (!other?.event || !FAILURE_EVENTS.test(other.event)) continue;
    const handler = skipOuterExpressions(other.listener);
    if (!(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) continue;
    if (removals.some((r) => isInside(r, handler)) || callsRemovingHelper(file, handler, removals)) continue;
    return success ? { success, failure: `'${other.event}'`, node: call } : undefined;
  }
  return undefined;
}

/** The event whose inline handler (inside `container`) contains `node`. */
function handlerEvent(file: AnalyzedFile, node: ts.Node, container: ts.Node): string | undefined {
  for (let fn = file.enclosingFunction(node); fn && fn !== container && isInside(fn, container); fn = file.enclosingFunction(fn)) {
    if (ts.isCallExpression(fn.parent)) {
      const add = listenerAdd(fn.parent);
      if (add?.event && skipOuterExpressions(add.listener) === fn) return add.event;
    }
  }
  return undefined;
}

/** The handler calls a local function that contains one of the removals (`onError = () => finish(err)`). */
function callsRemovingHelper(file: AnalyzedFile, handler: ts.Node, removals: readonly ts.CallExpression[]): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      const init = file.bindingOf(n.expression)?.initializer;
      const fn = init && skipOuterExpressions(init);
      const decl = file.bindingOf(n.expression)?.declaration?.parent;
      const body = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : decl && ts.isFunctionDeclaration(decl) ? decl : undefined;
      if (body && removals.some((r) => isInside(r, body))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(handler);
  return found;
}

/**
 * All matching removals sit in the adding function after an `await` (or a call that may throw),
 * outside any `finally`: returns the awaited expression's text.
 */
function removalSkippedOnThrow(file: AnalyzedFile, add: ListenerAdd, removals: readonly ts.CallExpression[]): string | undefined {
  const addFn = enclosingNonCallback(file, add.call);
  let awaited: string | undefined;
  for (const removal of removals) {
    if (enclosingNonCallback(file, removal) !== addFn) return undefined;
    if (inFinally(removal, addFn) || insideCatch(removal, addFn)) return undefined;
    const between = awaitBetween(addFn, add.call.getEnd(), removal.getStart());
    if (!between) return undefined;
    awaited = between;
  }
  return awaited;
}

function enclosingNonCallback(file: AnalyzedFile, node: ts.Node): ts.Node {
  return file.enclosingFunction(node) ?? file.sourceFile;
}

function insideCatch(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) if (ts.isCatchClause(n.parent)) return true;
  return false;
}

function awaitBetween(container: ts.Node, from: number, to: number): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node !== container && (ts.isFunctionLike(node))) return;
    if (ts.isAwaitExpression(node) && node.getStart() >= from && node.getEnd() <= to) {
      found = node.getText().replace(/\s+/g, ' ');
      if (found.length > 40) found = `${found.slice(0, 37)}…`;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(container);
  return found;
}
