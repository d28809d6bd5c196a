/**
 * Rule 3, timer-leak: a setInterval (or a setTimeout chain that reschedules itself) started in
 * code that runs repeatedly — per request, per connection, per instance — that nothing stops:
 * its id is dropped, saved but never cleared, cleared only from inside its own callback while the
 * owner's close path forgets it, or overwritten by a restart without clearing the old one. A
 * running timer keeps its callback, and everything the callback's scope holds, alive.
 *
 * Not flagged: timers started once at start-up (module level, a singleton), timers cleared on a
 * close/dispose path or in the same function, one-shot timeouts, chains with a stop condition.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Repetition } from '../analyze';
import {
  allCalls, CLOSE_EVENTS, closeMethods, literalText, repetitionClause, repetitionOf, sameObject, thisClass,
} from '../facts/lifetime';
import { clearTimerFixes } from '../fixes/clear-timer';
import type { Rule, RuleContext } from './rule';

const TIMER_CLEARS = new Set(['clearInterval', 'clearTimeout']);

export const timerLeak: Rule = {
  id: 'timer-leak',
  defaultSeverity: 'warning',
  title: 'Interval or rescheduling timeout started repeatedly and never cleared',
  description: 'Flags setInterval calls, and setTimeout chains that reschedule themselves, started in code that runs many times '
    + '(per request, per connection, per instance) with no clearInterval/clearTimeout reachable on the owner\'s close/dispose '
    + 'path: ids that are dropped, saved and never cleared, cleared only inside the timer\'s own callback, or overwritten by a '
    + 'restart. Start-up timers, singletons, timers cleared on close or in the same function and one-shot timeouts are not '
    + 'flagged. Fix: keep the id and clear it on the close/dispose path.',
  check(ctx: RuleContext) {
    const file = ctx.file;
    const calls = allCalls(file);
    const clears = calls.filter((c) => TIMER_CLEARS.has(timerFunction(c) ?? ''));
    for (const call of calls) {
      const fn = timerFunction(call);
      if (fn === 'setInterval') checkInterval(ctx, call, clears);
      else if (fn === 'setTimeout') checkChain(ctx, call, clears);
    }
  },
};

/** `setInterval(…)`, `global.setInterval(…)`, `timers.setInterval(…)`: the timer function's name. */
function timerFunction(call: ts.CallExpression): string | undefined {
  const name = calleeName(call);
  if (!name || !/^(set|clear)(Interval|Timeout)$/.test(name)) return undefined;
  const receiver = calleeReceiver(call);
  if (receiver && !/^(global|globalThis|window|self|timers)$/.test(expressionText(receiver))) return undefined;
  return name;
}

export type TimerHome =
  /** The id is dropped: `setInterval(…);` */
  | { kind: 'dropped' }
  /** Kept in a local, a field or a module variable. */
  | { kind: 'stored'; holder: ts.Expression }
  /** Handed elsewhere (returned, pushed, passed): someone else may clear it. */
  | { kind: 'escaped' };

/** Where the timer's id goes. */
export function timerHome(call: ts.CallExpression): TimerHome {
  let node: ts.Node = call;
  // `setInterval(…).unref()` still drops the id
  while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent) && /^(unref|ref)$/.test(node.parent.name.text)) node = node.parent.parent;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return { kind: 'dropped' };
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) return { kind: 'stored', holder: parent.name };
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // `timers[id] = setInterval(…)`: kept in a collection that its owner may sweep
    return ts.isElementAccessExpression(skipOuterExpressions(parent.left)) ? { kind: 'escaped' } : { kind: 'stored', holder: parent.left };
  }
  return { kind: 'escaped' };
}

/** The clear calls that name the same id holder. */
function clearsOf(file: AnalyzedFile, holder: ts.Expression, clears: readonly ts.CallExpression[]): ts.CallExpression[] {
  return clears.filter((c) => c.arguments[0] && sameObject(file, skipOuterExpressions(c.arguments[0]), holder));
}

function checkInterval(ctx: RuleContext, call: ts.CallExpression, clears: readonly ts.CallExpression[]): void {
  const file = ctx.file;
  const rep = repetitionOf(file, call);
  if (!rep) return;
  const callback = call.arguments[0];
  const home = timerHome(call);
  if (home.kind === 'escaped') return;
  const cls = thisClass(call);
  if (cls && file.classes.get(cls)?.singleton && home.kind === 'stored' && skipOuterExpressions(home.holder).kind !== ts.SyntaxKind.Identifier) return;
  const holds = describeHeld(file, callback, rep);
  const started = `\`setInterval\` ${startedWhere(rep)}`;
  if (home.kind === 'dropped') {
    report(ctx, call, rep, `${started}, and ${repetitionClause(rep)}; its id is not kept, so nothing can clear it: every run adds a timer that fires forever and holds ${holds}.`);
    return;
  }
  const holderText = expressionText(home.holder);
  const matching = clearsOf(file, home.holder, clears);
  if (matching.length === 0) {
    report(ctx, call, rep, `${started}, and ${repetitionClause(rep)}; its id \`${holderText}\` is saved but never cleared: every run adds a timer that fires forever and holds ${holds}.`, home.holder);
    return;
  }
  const callbackNode = callback && skipOuterExpressions(callback);
  const outside = matching.filter((c) => !callbackNode || !isInside(c, callbackNode));
  if (outside.length === 0) {
    const closePath = forgottenClosePath(file, call, rep);
    if (closePath) {
      report(ctx, call, rep, `${started} and is cleared only from inside its own callback; ${closePath} does not clear \`${holderText}\`, `
        + `so once the owner closes first the timer fires forever and holds ${holds}.`, home.holder);
    }
    return;
  }
  const overwrite = overwritesWithoutClearing(file, call, home.holder, matching, rep);
  if (overwrite) {
    report(ctx, call, rep, `${overwrite} overwrites \`${holderText}\` without clearing the interval already stored there, so a second call leaves the first `
      + `timer running with nothing left to clear it; it fires forever and holds ${holds}.`, home.holder);
  }
}

function startedWhere(rep: Repetition): string {
  if (rep.kind === 'loop') return 'starts inside an endless loop';
  return `starts in ${rep.name}`;
}

/** "its closure (and `res`, `req`)". */
function describeHeld(file: AnalyzedFile, callback: ts.Expression | undefined, rep: Repetition): string {
  const fn = callback && skipOuterExpressions(callback);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return 'its callback';
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.ThisKeyword && rep.node.kind !== ts.SyntaxKind.SourceFile) names.add('this');
    if (ts.isIdentifier(node)) {
      const binding = file.bindingOf(node);
      if (binding && (binding.kind === 'param' || binding.kind === 'const' || binding.kind === 'let' || binding.kind === 'var')
        && binding.lifetime === 'local' && !isInside(binding.scopeNode, fn)) names.add(binding.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  const list = [...names].slice(0, 3).map((n) => `\`${n}\``);
  return list.length ? `its callback's scope (${list.join(', ')})` : 'its callback';
}

/**
 * The owner's close path that exists but does not clear the timer: a close/dispose method of the
 * class, or a 'close'-style listener on the per-connection object.
 */
function forgottenClosePath(file: AnalyzedFile, call: ts.CallExpression, rep: Repetition): string | undefined {
  const cls = thisClass(call);
  const method = cls ? closeMethods(cls)[0] : undefined;
  if (method) return `${method.name.getText()}()`;
  const fn = rep.node;
  const params = ts.isFunctionLike(fn) ? fn.parameters.map((p) => p.name).filter(ts.isIdentifier) : [];
  for (const c of allCalls(file)) {
    if (!isInside(c, fn) || calleeName(c) !== 'on' && calleeName(c) !== 'once' && calleeName(c) !== 'addEventListener') continue;
    const event = literalText(c.arguments[0]);
    const receiver = calleeReceiver(c);
    if (event && CLOSE_EVENTS.has(event) && receiver && params.some((p) => sameObject(file, receiver, p))) {
      return `the '${event}' handler of \`${expressionText(receiver)}\``;
    }
  }
  return undefined;
}

/**
 * A method other than the constructor stores a new interval in a field without clearing (or
 * checking) the one already there: "Clock.start".
 */
function overwritesWithoutClearing(file: AnalyzedFile, call: ts.CallExpression, holder: ts.Expression, clears: readonly ts.CallExpression[], rep: Repetition): string | undefined {
  const h = skipOuterExpressions(holder);
  if (!ts.isPropertyAccessExpression(h) || skipOuterExpressions(h.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const method = file.enclosingFunction(call);
  if (!method || !ts.isMethodDeclaration(method) || rep.kind !== 'method' || !method.body) return undefined;
  if (clears.some((c) => isInside(c, method) && c.getStart() < call.getStart())) return undefined;
  // a guard before the re-arm (`if (this.timer) return;`, `if (this.isSpinning) return this;`) or around it prevents the overwrite
  const guarded = method.body.statements.some((s) => s.getStart() < call.getStart() && ts.isIfStatement(s)
    && (mentions(s.expression, h.name.text) || exitsEarly(s.thenStatement)));
  if (guarded || insideConditional(call, method)) return undefined;
  return `${file.functions.get(method)?.name ?? 'this method'}`;
}

function insideConditional(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) if (ts.isIfStatement(n.parent) && n.parent.expression !== n) return true;
  return false;
}

function mentions(expr: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === name) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

// --- rescheduling setTimeout chains ----------------------------------------------------------

/** The function a `setTimeout` reschedules: the enclosing function whose name the callback calls. */
function rescheduledFunction(file: AnalyzedFile, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const callback = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!callback) return undefined;
  for (let fn = file.enclosingFunction(call); fn; fn = file.enclosingFunction(fn)) {
    const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text
      : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
    if (!name) continue;
    if (ts.isIdentifier(callback) && callback.text === name) return fn;
    if (ts.isPropertyAccessExpression(callback) && callback.name.text === name) return fn;
    if ((ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callsName(callback, name)) return fn;
  }
  return undefined;
}

function callsName(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee) && callee.text === name || ts.isPropertyAccessExpression(callee) && callee.name.text === name) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function checkChain(ctx: RuleContext, call: ts.CallExpression, clears: readonly ts.CallExpression[]): void {
  const file = ctx.file;
  const chain = rescheduledFunction(file, call);
  if (!chain) {
    checkSavedTimeout(ctx, call, clears);
    return;
  }
  if (!chain.body) return;
  const rep = startRepetition(file, chain);
  if (!rep) return;
  const home = timerHome(call);
  if (home.kind === 'escaped') return;
  if (home.kind === 'stored' && clearsOf(file, home.holder, clears).length > 0) return;
  if (hasStopCondition(chain, call)) return;
  const name = file.functions.get(chain as never)?.name ?? 'the function';
  const holds = describeHeld(file, call.arguments[0], rep);
  report(ctx, call, rep, `\`setTimeout\` reschedules ${name} with no stop condition and no clearTimeout, and ${repetitionClause(rep)}: `
    + `every start adds a timer chain that runs forever and holds ${holds}.`, home.kind === 'stored' ? home.holder : undefined);
}

/**
 * `this.retryTimer = setTimeout(…, 5000)` in a class that has a close path but never clears that
 * field: after close() the pending timeout keeps the instance alive until it fires, then runs on
 * a closed object. Short literal delays (under a second) are not worth a finding.
 */
function checkSavedTimeout(ctx: RuleContext, call: ts.CallExpression, clears: readonly ts.CallExpression[]): void {
  const file = ctx.file;
  const home = timerHome(call);
  if (home.kind !== 'stored') return;
  const holder = skipOuterExpressions(home.holder);
  if (!ts.isPropertyAccessExpression(holder) || skipOuterExpressions(holder.expression).kind !== ts.SyntaxKind.ThisKeyword) return;
  const cls = thisClass(call);
  const close = cls ? closeMethods(cls)[0] : undefined;
  if (!cls || !close || file.classes.get(cls)?.singleton || clearsOf(file, holder, clears).length > 0) return;
  const delay = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (!delay || ts.isNumericLiteral(delay) && Number(delay.text) < 1000) return;
  const rep = repetitionOf(file, call);
  if (!rep) return;
  const holds = describeHeld(file, call.arguments[0], rep);
  report(ctx, call, rep, `\`${expressionText(holder)}\` is saved but never cleared: ${close.name.getText()}() leaves the pending timeout, which keeps `
    + `${holds} — and so the closed \`${cls.name?.text ?? 'instance'}\` — alive until it fires, and then runs on a closed object.`, holder);
}

/** Why the chain gets started many times: the chain function is a method of a non-singleton class, or is started from repeated code. */
function startRepetition(file: AnalyzedFile, chain: ts.FunctionLikeDeclaration): Repetition | undefined {
  const facts = file.functions.get(chain as never);
  // `setTimeout(function tick() { …; setTimeout(tick, ms); }, ms)`: started where that first call runs
  if (ts.isFunctionExpression(chain) && ts.isCallExpression(chain.parent) && chain.parent.arguments.includes(chain)) {
    return repetitionOf(file, chain.parent);
  }
  if (ts.isMethodDeclaration(chain) && ts.isClassLike(chain.parent)) {
    if (file.classes.get(chain.parent)?.singleton) return undefined;
    return facts?.repetition?.kind === 'interval' ? { ...facts.repetition, kind: 'method', why: `runs on every call of ${facts.name}` } : facts?.repetition;
  }
  // a plain function: started from code that repeats (not from its own timer)
  const name = chain.name && ts.isIdentifier(chain.name) ? chain.name.text : ts.isVariableDeclaration(chain.parent) && ts.isIdentifier(chain.parent.name) ? chain.parent.name.text : undefined;
  for (const c of name ? file.callsNamed(name) : []) {
    if (!ts.isIdentifier(skipOuterExpressions(c.expression)) || isInside(c, chain)) continue;
    const rep = repetitionOf(file, c);
    if (rep && rep.node !== chain) return rep;
  }
  if (facts?.repetition && facts.repetition.kind !== 'interval' && facts.repetition.kind !== 'called') return facts.repetition;
  return undefined;
}

/** An `if` before (or around) the reschedule that reads state: `if (this.closed) return;`, `if (running) setTimeout(…)`. */
function hasStopCondition(chain: ts.FunctionLikeDeclaration, call: ts.CallExpression): boolean {
  for (let n: ts.Node = call; n !== chain && n.parent; n = n.parent) {
    if (ts.isIfStatement(n.parent) || ts.isConditionalExpression(n.parent)) return true;
    if (ts.isBinaryExpression(n.parent) && /&&|\|\|/.test(n.parent.operatorToken.getText())) return true;
  }
  const body = chain.body;
  if (!body || !ts.isBlock(body)) return false;
  return body.statements.some((s) => s.getStart() < call.getStart() && ts.isIfStatement(s) && exitsEarly(s.thenStatement));
}

function exitsEarly(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
}

function report(ctx: RuleContext, call: ts.CallExpression, rep: Repetition, message: string, holder?: ts.Expression): void {
  ctx.report({
    node: call,
    message,
    related: rep.node.kind !== ts.SyntaxKind.SourceFile ? [{ node: rep.node, message: `${rep.name} ${rep.kind === 'loop' ? 'repeats' : rep.why}` }] : [],
    fixes: clearTimerFixes(ctx.file, call, rep, holder),
  });
}
