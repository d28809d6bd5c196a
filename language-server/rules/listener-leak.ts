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
import * as ts from 'typescript';
import { calleeName, calleeReceiver, expressionText, skipOuterExpressions, type AnalyzedFile } from '../analyze';
import {
  allCalls, capturedFrom, functionIdentity, holderLife, inFinally, isFreshFunction, isRunOnceGuarded, literalText, repetitionClause, sameObject, targetOutlives,
  type Outlives,
} from '../facts/lifetime';
import { listenerRemovalFixes } from '../fixes/remove-listener';
import type { Rule, RuleContext } from './rule';

const ADD_METHODS = new Set(['on', 'addListener', 'prependListener', 'addEventListener', 'once', 'prependOnceListener', 'subscribe']);
const ONCE_METHODS = new Set(['once', 'prependOnceListener']);
const REMOVE_METHODS = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners', 'unsubscribe']);
/** process events that fire at most once, at the end: a `once` for them accumulates for the whole run. */
const PROCESS_LIFECYCLE = /^(exit|beforeExit|SIG[A-Z]+|uncaughtException|unhandledRejection|disconnect)$/;

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
  const args = call.arguments;
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

function checkAdd(ctx: RuleContext, add: ListenerAdd, removals: readonly ts.CallExpression[]): void {
  const file = ctx.file;
  const rep = file.repetitionAt(add.call);
  if (!rep) return;
  if (isRunOnceGuarded(file, add.call, rep.node)) return;
  const outlives = targetOutlives(file, add.target, rep, add.call);
  if (!outlives) return;
  if (add.once && !onceMayNeverFire(add, outlives)) return;
  if (add.method === 'subscribe' && (isKept(add.call) || hasCompletingOperator(add.target))) return;
  if (isKept(add.call) && add.method !== 'on' && add.method !== 'addListener') return; // a disposer handle is kept

  const sameTarget = removals.filter((r) => sameObject(file, calleeReceiver(r)!, add.target) && r !== add.call);
  const identity = functionIdentity(file, add.listener);
  const fresh = isFreshFunction(add.listener);
  const matching = sameTarget.filter((r) => removesSameListener(file, r, add, identity));
  const where = describeTarget(add);

  if (matching.length > 0) {
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
  const captured = capturedFrom(file, skipOuterExpressions(add.listener), rep.node).map((b) => `\`${b.name}\``).slice(0, 3);
  const holds = captured.length ? `its closure (and ${captured.join(', ')})` : 'its closure';
  const message = `${where} ${why}, and ${repetitionClause(rep)}: each run adds another listener to \`${expressionText(add.target)}\` `
    + `that holds ${holds} ${holderLife(outlives, add.target)}.`;
  const related = [otherEvent ?? otherFunction].filter((n): n is ts.CallExpression => !!n).map((n) => ({ node: n, message: 'this removal does not match the listener' }));
  ctx.report({ node: add.call, message, related, fixes: listenerRemovalFixes(file, add, rep) });
}

function describeTarget(add: ListenerAdd): string {
  const event = add.eventNode ? (add.event !== undefined ? `'${add.event}'` : '…') : '';
  return `\`${expressionText(add.target)}.${add.method}(${event}${event ? ', ' : ''}…)\``;
}

/** `once` leaks only if the event may never come: process lifecycle events, a caller's abort signal. */
function onceMayNeverFire(add: ListenerAdd, outlives: Outlives): boolean {
  if (outlives.kind === 'signal') return true;
  if (add.event === 'abort') return true;
  if (outlives.kind === 'global') return add.event !== undefined && PROCESS_LIFECYCLE.test(add.event);
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

/** `x.pipe(take(1))`, `first()`, `takeUntil(destroy$)`: the subscription completes by itself. */
function hasCompletingOperator(target: ts.Expression): boolean {
  return /\b(take|first|takeUntil|takeWhile|takeUntilDestroyed|single|lastValueFrom|firstValueFrom)\s*\(/.test(target.getText());
}

function removesSameListener(file: AnalyzedFile, removal: ts.CallExpression, add: ListenerAdd, identity: string | undefined): boolean {
  const method = calleeName(removal);
  const event = literalText(removal.arguments[0]);
  if (method === 'removeAllListeners') return removal.arguments.length === 0 || event === undefined || event === add.event;
  if (method === 'unsubscribe') return false;
  if (event !== undefined && add.event !== undefined && event !== add.event) return false;
  const fn = removal.arguments[1];
  if (!fn) return false;
  if (!identity) return false;
  return functionIdentity(file, fn) === identity;
}

function eventMismatch(file: AnalyzedFile, removal: ts.CallExpression, add: ListenerAdd, identity: string | undefined): boolean {
  const event = literalText(removal.arguments[0]);
  const fn = removal.arguments[1];
  return event !== undefined && add.event !== undefined && event !== add.event && !!fn && !!identity && functionIdentity(file, fn) === identity;
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
