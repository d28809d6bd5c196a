/**
 * Rule 6, unsettled-promise: work that never settles, piling up per call.
 *
 * - Resolvers parked in a long-lived collection (a pending-requests Map, a waiters queue) that a
 *   give-up path (timeout, abort, error reply) settles without removing, or that only a reply can
 *   remove while nothing cleans up when the peer goes away: each lost reply leaves an entry, and
 *   the caller's whole await chain, behind.
 * - In-flight promises cached for de-duplication and deleted only when they fulfil: a rejection
 *   stays cached for ever.
 * - `new Promise` executors that can end without settling: a swallowed error, or a resolve that
 *   happens only under a condition inside a listener on a long-lived emitter.
 *
 * Not flagged: entries removed on every path (delete on timeout, clear on close, splice on abort),
 * resolvers kept in locals, executors that settle on every path.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Binding, type Reference, type Repetition } from '../analyze';
import {
  allCalls, CLOSE_EVENTS, CLOSE_METHOD, holderLife, literalText, repetitionClause, repetitionOf, rootOf,
  targetOutlives, type Outlives,
} from '../facts/lifetime';
import { listenerAdd } from './listener-leak';
import type { Rule, RuleContext } from './rule';

const REMOVE_METHODS = /^(delete|splice|shift|pop|clear|remove|filter)$/;
const PARK_METHODS = /^(set|push|add|unshift)$/;

export const unsettledPromise: Rule = {
  id: 'unsettled-promise',
  defaultSeverity: 'warning',
  title: 'Pending work that never settles or is never removed piles up per call',
  description: 'Flags promise resolvers parked in a long-lived collection that a timeout, abort or error path settles without '
    + 'removing, or that only a reply removes while nothing cleans up when the peer goes away; in-flight promise caches that delete '
    + 'only on success; and promise executors that can finish without settling (a swallowed error, a conditional resolve inside '
    + 'a listener on a long-lived emitter). Fix: remove the entry on every path (timeout, abort, error, close) and settle on every path.',
  check(ctx: RuleContext) {
    const file = ctx.file;
    for (const call of allCalls(file)) {
      if (PARK_METHODS.test(calleeName(call) ?? '')) checkCachedPromise(ctx, call);
    }
    for (const node of file.nodesOfKinds([ts.SyntaxKind.NewExpression]) as readonly ts.NewExpression[]) {
      if (ts.isIdentifier(node.expression) && node.expression.text === 'Promise') checkPromise(ctx, node);
    }
    for (const facts of file.functions.values()) checkParkedCallbacks(ctx, facts.node);
  },
};

/** Parameter names of completion callbacks: `send(msg, cb)`, `request(opts, done)`. */
const CALLBACK_NAME = /^(cb|callback|done|fn|handler|reply|respond|ack|onReply|onResponse|onDone|resolve|reject)$/;

/**
 * The callback form of the same leak: `callbacks[id] = cb` for a request sent to a peer, with an
 * entry that a timeout/close path forgets (a never-removed entry is unbounded-cache's finding).
 */
function checkParkedCallbacks(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): void {
  const file = ctx.file;
  if (!fn.body || fn.parameters.length === 0) return;
  if (ts.isNewExpression(fn.parent) && ts.isIdentifier(fn.parent.expression) && fn.parent.expression.text === 'Promise') return; // checkPromise's case
  const callbacks = fn.parameters.map((p) => (ts.isIdentifier(p.name) && CALLBACK_NAME.test(p.name.text) ? file.bindingOf(p.name) : undefined))
    .filter((b): b is Binding => !!b);
  if (callbacks.length === 0) return;
  const rep = repetitionOf(file, fn.body);
  if (!rep) return;
  const executor: Executor = { fn: fn as ts.ArrowFunction, resolvers: callbacks };
  const parked = parkingSite(file, executor, rep);
  if (!parked || removals(parked.holderBinding).length === 0) return;
  checkParked(ctx, executor, parked, 'callback');
}

interface Executor {
  /** The promise executor (or, for parked callbacks, the function that receives the callback). */
  readonly fn: ts.ArrowFunction | ts.FunctionExpression;
  readonly resolvers: Binding[];
}

function executorOf(file: AnalyzedFile, promise: ts.NewExpression): Executor | undefined {
  const arg = promise.arguments?.[0] && skipOuterExpressions(promise.arguments[0]);
  if (!arg || !(ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) return undefined;
  const resolvers = arg.parameters.map((p) => (ts.isIdentifier(p.name) ? file.bindingOf(p.name) : undefined)).filter((b): b is Binding => !!b);
  return resolvers.length ? { fn: arg, resolvers } : undefined;
}

/** Does `node` call a resolver (or `x.resolve(…)` / `x.reject(…)`, or a local helper that does)? */
function settles(file: AnalyzedFile, node: ts.Node, resolvers: readonly Binding[], depth = 0): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (ts.isIdentifier(callee) && resolvers.includes(file.bindingOf(callee)!)) found = true;
      if (ts.isPropertyAccessExpression(callee) && /^(resolve|reject)$/.test(callee.name.text)) found = true;
      // `cb.call(this, err)` / `cb.apply(this, args)`
      if (ts.isPropertyAccessExpression(callee) && /^(call|apply)$/.test(callee.name.text) && ts.isIdentifier(callee.expression)
        && resolvers.includes(file.bindingOf(callee.expression)!)) found = true;
      // `const done = (v) => { cleanup(); resolve(v); }` … `done(false)`
      const helper = ts.isIdentifier(callee) && depth < 2 ? localFunction(file, callee) : undefined;
      if (helper && settles(file, helper, resolvers, depth + 1)) found = true;
    }
    // a resolver handed straight to a callback API: `once('done', resolve)`, `setTimeout(resolve, ms)`
    if (ts.isIdentifier(n) && resolvers.includes(file.bindingOf(n)!) && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The body of a function a local name is bound to (`function done() {…}`, `const done = () => …`). */
function localFunction(file: AnalyzedFile, id: ts.Identifier): ts.Node | undefined {
  const binding = file.bindingOf(id);
  if (!binding || binding.lifetime !== 'local' && binding.kind !== 'function') return undefined;
  const decl = binding.declaration?.parent;
  if (decl && ts.isFunctionDeclaration(decl)) return decl.body;
  const init = binding.initializer && skipOuterExpressions(binding.initializer);
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init.body : undefined;
}

function checkPromise(ctx: RuleContext, promise: ts.NewExpression): void {
  const file = ctx.file;
  const executor = executorOf(file, promise);
  if (!executor) return;
  const rep = repetitionOf(file, promise);
  if (!rep) return;
  const parked = parkingSite(file, executor, rep);
  if (parked) {
    checkParked(ctx, executor, parked);
    return;
  }
  if (resolversEscape(executor)) return; // settled by code that received them
  const swallowed = swallowedError(file, executor);
  if (swallowed) {
    ctx.report({
      node: promise,
      message: `This promise never settles when ${swallowed} runs: it handles the failure without calling ${resolverNames(executor)}, and ${repetitionClause(rep)}, `
        + 'so every failed run leaves a caller waiting for ever, holding everything its await chain references.',
    });
    return;
  }
  const conditional = conditionalSettleOnLongLivedEmitter(file, executor, rep);
  if (conditional) {
    ctx.report({
      node: promise,
      message: `This promise settles only when the condition in its ${conditional.event} listener on \`${expressionText(conditional.target)}\` holds, and nothing rejects otherwise; `
        + `${repetitionClause(rep)}, and the listener keeps \`${executor.resolvers[0].name}\` ${holderLife(conditional.outlives, conditional.target)}, so every run that misses its reply never settles and is never released.`,
    });
  }
}

/** The resolvers are stored or handed on (`stream[kConsume] = { resolve, reject }`), so someone else settles. */
function resolversEscape(executor: Executor): boolean {
  return executor.resolvers.some((b) => b.references.some((r) => {
    if (r.use.kind !== 'escape') return false;
    const via = r.use.via;
    if (ts.isCallExpression(via)) return !listenerAdd(via) && !/^(setTimeout|setImmediate|queueMicrotask|then|catch|finally)$/.test(calleeName(via) ?? '');
    return true;
  }));
}

function resolverNames(executor: Executor): string {
  return executor.resolvers.map((b) => `\`${b.name}\``).join(' or ');
}

// --- resolvers parked in a long-lived collection ------------------------------------------------

interface Parking {
  readonly site: ts.CallExpression | ts.BinaryExpression;
  readonly holder: ts.Expression;
  readonly holderBinding: Binding;
  readonly outlives: Outlives;
  readonly rep: Repetition;
}

/** `pending.set(id, { resolve, reject })`, `waiters.push(resolve)`, `this.requests[id] = …` inside the executor. */
function parkingSite(file: AnalyzedFile, executor: Executor, rep: Repetition): Parking | undefined {
  for (const resolver of executor.resolvers) {
    for (const ref of resolver.references) {
      if (ref.use.kind === 'declare' || !isInside(ref.node, executor.fn)) continue;
      const site = storeSiteOf(ref.node, executor.fn);
      if (!site) continue;
      const holder = site.holder;
      const root = rootOf(holder);
      const holderBinding = root ? file.bindingOf(ts.isPropertyAccessExpression(skipOuterExpressions(holder)) ? skipOuterExpressions(holder) : root) : undefined;
      if (!holderBinding) continue;
      const outlives = targetOutlives(file, holder, rep, site.node);
      if (outlives) return { site: site.node, holder, holderBinding, outlives, rep };
    }
  }
  return undefined;
}

/** Walks from a resolver reference up through wrapping literals/closures to a collection store. */
function storeSiteOf(ref: ts.Node, stop: ts.Node): { node: ts.CallExpression | ts.BinaryExpression; holder: ts.Expression } | undefined {
  let value: ts.Node = ref;
  for (let n: ts.Node = ref; n.parent && n !== stop; n = n.parent) {
    const parent = n.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(n as ts.Expression)) {
      const method = calleeName(parent);
      const receiver = calleeReceiver(parent);
      if (receiver && PARK_METHODS.test(method ?? '') && !(method === 'set' && parent.arguments[0] === n)) return { node: parent, holder: receiver };
      if (n !== value) return undefined; // passed to some other call: not parked by us
      return undefined;
    }
    if (ts.isBinaryExpression(parent) && parent.right === n && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(parent.left);
      if (ts.isElementAccessExpression(target)) return { node: parent, holder: target.expression };
      return undefined;
    }
    if (ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent)
      || ts.isArrowFunction(parent) || ts.isFunctionExpression(parent) || ts.isBlock(parent) || ts.isExpressionStatement(parent)
      || ts.isParenthesizedExpression(parent) || ts.isArrayLiteralExpression(parent)) {
      value = parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.expression === n) continue; // `resolve(x)` inside a wrapper closure
    if (ts.isPropertyAccessExpression(parent) && parent.expression === n && /^(call|apply)$/.test(parent.name.text)) continue; // `ack.apply(this, args)`
    return undefined;
  }
  return undefined;
}

/** References that take entries out of the holder (`delete`, `splice`, `shift`, `clear`, `delete h[k]`, reassignment). */
function removals(binding: Binding): Reference[] {
  return binding.references.filter((r) => r.use.kind === 'call' && REMOVE_METHODS.test(r.use.method)
    || r.use.kind === 'member-delete' || r.use.kind === 'length-write'
    || r.use.kind === 'assign' && r.use.value !== binding.initializer && isFreshCollection(r.use.value));
}

function isFreshCollection(value: ts.Expression): boolean {
  const v = skipOuterExpressions(value);
  return ts.isNewExpression(v) || ts.isArrayLiteralExpression(v) || ts.isObjectLiteralExpression(v);
}

function checkParked(ctx: RuleContext, executor: Executor, parked: Parking, what: 'promise' | 'callback' = 'promise'): void {
  const file = ctx.file;
  const holderText = expressionText(parked.holder);
  const life = holderLife(parked.outlives, parked.holder);
  const removes = removals(parked.holderBinding);
  const where = `\`${holderText}\``;
  const parkedWhat = what === 'promise' ? "The promise's resolvers are" : `The completion callback \`${executor.resolvers[0].name}\` is`;
  const lead = `${parkedWhat} parked in ${where} (${parked.outlives.reason}), and ${repetitionClause(parked.rep)}`;
  if (removes.length === 0) {
    ctx.report({ node: parked.site, message: `${lead}; nothing ever removes them, so every entry — and the caller awaiting it — stays reachable ${life}.` });
    return;
  }
  const giveUp = giveUpPaths(file, executor, parked.rep);
  const leaky = giveUp.find((g) => !removes.some((r) => isInside(r.node, g.node)));
  if (leaky) {
    ctx.report({
      node: parked.site,
      message: `${lead}; ${leaky.name} ${what === 'promise' ? 'settles the promise' : 'calls it'} but leaves its entry in ${where}, so every ${leaky.what} adds an entry that stays reachable ${life}.`,
      related: [{ node: leaky.node, message: `${leaky.name}: settles without removing the entry` }],
    });
    return;
  }
  const errorBranch = settleWithoutRemoval(file, parked.holderBinding, removes);
  if (errorBranch) {
    ctx.report({
      node: parked.site,
      message: `${lead}; the branch that settles with \`${errorBranch.getText().replace(/\s+/g, ' ').slice(0, 40)}\` returns before the entry is removed, so every such reply leaves its entry in ${where} ${life}.`,
      related: [{ node: errorBranch, message: 'settles here without removing the entry' }],
    });
    return;
  }
  // Queues (waiters, mutex acquirers) are drained by their own owner; only id-keyed requests sent to a peer wait on it.
  if (sentToPeer(file, parked) && giveUp.length === 0 && !cleanedOnClose(file, removes)) {
    const closeNote = closePathWithoutCleanup(file);
    ctx.report({
      node: parked.site,
      message: `${lead}; entries are removed only when a reply arrives — there is no timeout, and ${closeNote ?? 'nothing rejects and removes them when the other side goes away'} — so every request whose reply never comes stays pending and reachable ${life}.`,
    });
  }
}

/**
 * The entry is keyed by an id that also goes out in a message (`socket.write(JSON.stringify({ id }))`,
 * `send(id, data)`): a request/reply protocol, where only the peer's answer would remove it.
 */
function sentToPeer(file: AnalyzedFile, parked: Parking): boolean {
  const site = parked.site;
  const key = ts.isBinaryExpression(site) ? (skipOuterExpressions(site.left) as ts.ElementAccessExpression).argumentExpression
    : calleeName(site) === 'set' ? site.arguments[0] : undefined;
  const id = key && skipOuterExpressions(key);
  if (!id) return false;
  // a fresh id made for this request (`const id = ++this.seq`), not a name the caller passed in
  const idBinding = ts.isIdentifier(id) ? file.bindingOf(id) : undefined;
  if (!idBinding || idBinding.lifetime !== 'local') return false;
  if (idBinding.kind === 'param' && !/^(id|seq|seqNo|ackId|reqId|requestId|msgId|messageId|callId|correlationId|nonce)$/i.test(idBinding.name)) return false;
  const keyText = id.getText();
  const scope = file.enclosingFunction(parked.rep.node) ?? parked.rep.node;
  return allCalls(file).some((c) => c !== site && isInside(c, parked.rep.node.kind === ts.SyntaxKind.SourceFile ? scope : parked.rep.node)
    && !/^(set|get|has|delete)$/.test(calleeName(c) ?? '') && c.arguments.some((arg) => containsText(arg, keyText)));
}

function containsText(node: ts.Node, text: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && n.getText() === text) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

interface GiveUp {
  readonly node: ts.Node;
  readonly name: string;
  readonly what: string;
}

/** Callbacks inside the executor that settle the promise on failure: a setTimeout, an 'abort'/'error'/'close' listener. */
function giveUpPaths(file: AnalyzedFile, executor: Executor, rep: Repetition): GiveUp[] {
  const result: GiveUp[] = [];
  // the executor, or the function that creates the promise (a timeout armed next to it)
  const scope = file.enclosingFunction(executor.fn) ?? executor.fn;
  for (const call of allCalls(file)) {
    if (!isInside(call, scope) && !isInside(call, executor.fn)) continue;
    if (!isInside(call, rep.node) && !isInside(call, executor.fn)) continue;
    const name = calleeName(call);
    const cb = name === 'setTimeout' ? call.arguments[0] : listenerAdd(call)?.listener;
    if (!cb) continue;
    const event = name === 'setTimeout' ? undefined : listenerAdd(call)?.event;
    if (name !== 'setTimeout' && !(event && (CLOSE_EVENTS.has(event) || event === 'error' || event === 'timeout'))) continue;
    if (!settles(file, cb, executor.resolvers)) continue;
    result.push(name === 'setTimeout'
      ? { node: cb, name: 'the timeout', what: 'timed-out call' }
      : { node: cb, name: `the '${event}' listener`, what: event === 'abort' ? 'aborted call' : `call ended by '${event}'` });
  }
  return result;
}

/** In a function that removes entries, an `if` branch that settles an entry and returns before the removal. */
function settleWithoutRemoval(file: AnalyzedFile, holder: Binding, removes: readonly Reference[]): ts.Node | undefined {
  for (const removal of removes) {
    const fn = file.enclosingFunction(removal.node);
    if (!fn?.body || !ts.isBlock(fn.body)) continue;
    for (const statement of fn.body.statements) {
      if (statement.getStart() >= removal.node.getStart()) break;
      if (!ts.isIfStatement(statement)) continue;
      const branch = statement.thenStatement;
      const returns = ts.isReturnStatement(branch) || ts.isBlock(branch) && branch.statements.some(ts.isReturnStatement);
      if (!returns) continue;
      const settle = findSettleCall(branch);
      const removesHere = holder.references.some((r) => isInside(r.node, branch) && removes.includes(r));
      if (settle && !removesHere) return settle;
    }
  }
  return undefined;
}

function findSettleCall(node: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(resolve|reject)$/.test(n.expression.name.text)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** A removal that runs on a close path: in a close/dispose method, a close-event listener, or an `onClose`-style function. */
function cleanedOnClose(file: AnalyzedFile, removes: readonly Reference[]): boolean {
  return removes.some((r) => {
    const clears = r.use.kind === 'call' && /^(clear|splice)$/.test(r.use.method) || r.use.kind === 'assign' || r.use.kind === 'length-write'
      || isInsideLoop(r.node) || insideInterval(file, r.node);
    if (!clears) return false;
    for (let fn = file.enclosingFunction(r.node); fn; fn = file.enclosingFunction(fn)) {
      const name = file.functions.get(fn)?.name ?? '';
      if (ts.isCallExpression(fn.parent) && calleeName(fn.parent) === 'setInterval') return true; // a periodic sweep
      const last = name.split('.').pop() ?? '';
      if (CLOSE_METHOD.test(last) || /close|disconnect|destroy|dispose|teardown|shutdown|exit|error|abort|fail|cleanup|reset|terminate|kill/i.test(last)) return true;
      const parent = fn.parent;
      if (ts.isCallExpression(parent)) {
        const event = literalText(parent.arguments[0]);
        if (event && (CLOSE_EVENTS.has(event) || event === 'error')) return true;
      }
    }
    return false;
  });
}

function insideInterval(file: AnalyzedFile, node: ts.Node): boolean {
  for (let fn = file.enclosingFunction(node); fn; fn = file.enclosingFunction(fn)) {
    if (ts.isCallExpression(fn.parent) && calleeName(fn.parent) === 'setInterval') return true;
  }
  return false;
}

function isInsideLoop(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n && !ts.isFunctionLike(n); n = n.parent) if (ts.isIterationStatement(n, false)) return true;
  return false;
}

/** "the 'close' handler of `socket` does not clean them up": an existing close path that forgets the entries. */
function closePathWithoutCleanup(file: AnalyzedFile): string | undefined {
  for (const call of allCalls(file)) {
    const add = listenerAdd(call);
    if (add?.event && CLOSE_EVENTS.has(add.event)) return `the '${add.event}' handler of \`${expressionText(add.target)}\` does not reject or remove them`;
  }
  return undefined;
}

// --- in-flight promise caches -----------------------------------------------------------------

/** `inflight.set(key, p)` where `p` is a promise whose entry is deleted only in a fulfilment handler. */
function checkCachedPromise(ctx: RuleContext, call: ts.CallExpression): void {
  const file = ctx.file;
  const receiver = calleeReceiver(call);
  const value = call.arguments[calleeName(call) === 'set' ? 1 : 0];
  if (!receiver || !value) return;
  const promise = promiseValue(file, value);
  if (!promise) return;
  const rep = repetitionOf(file, call);
  if (!rep) return;
  const outlives = targetOutlives(file, receiver, rep, call);
  const root = rootOf(receiver);
  const holder = root ? file.bindingOf(ts.isPropertyAccessExpression(skipOuterExpressions(receiver)) ? skipOuterExpressions(receiver) : root) : undefined;
  if (!outlives || !holder) return;
  const removes = removals(holder);
  if (removes.length === 0) return; // never removed at all: an unbounded cache, not this rule's case
  const onFulfilOnly = removes.every((r) => inFulfilmentHandler(r.node));
  if (!onFulfilOnly) return;
  ctx.report({
    node: call,
    message: `\`${expressionText(receiver)}\` caches in-flight promises, and ${repetitionClause(rep)}; entries are deleted only when the promise fulfils, `
      + `so a rejected promise stays cached ${holderLife(outlives, receiver)} (and is handed to every later caller). Delete it in \`.finally()\` or on rejection too.`,
  });
}

function promiseValue(file: AnalyzedFile, value: ts.Expression): ts.Expression | undefined {
  let v = skipOuterExpressions(value);
  if (ts.isIdentifier(v)) {
    const binding = file.bindingOf(v);
    const candidates = [binding?.initializer, ...(binding?.assignments ?? [])].filter((x): x is ts.Expression => !!x);
    v = candidates.map((c) => skipOuterExpressions(c)).find((c) => isPromiseExpression(c)) ?? v;
  }
  return isPromiseExpression(v) ? v : undefined;
}

function isPromiseExpression(e: ts.Expression): boolean {
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise') return true;
  return ts.isCallExpression(e) && /^(then|catch|finally)$/.test(calleeName(e) ?? '');
}

/** Inside the first argument of a `.then(…)` (and not a `.catch`/`.finally`/rejection handler). */
function inFulfilmentHandler(node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    const parent = n.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(n as ts.Expression)) {
      const name = calleeName(parent);
      if (name === 'then') return parent.arguments[0] === n;
      if (name === 'catch' || name === 'finally') return false;
    }
  }
  return false;
}

// --- executors that can end without settling -------------------------------------------------

/** An error handler in the executor (an 'error' listener or a catch clause) that neither settles nor rethrows. */
function swallowedError(file: AnalyzedFile, executor: Executor): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const add = listenerAdd(node);
      const cb = add?.listener && skipOuterExpressions(add.listener);
      if (add?.event === 'error' && cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && !settles(file, cb, executor.resolvers) && !throws(cb)) {
        found = `the 'error' listener on \`${expressionText(add.target)}\``;
        return;
      }
    }
    if (ts.isCatchClause(node) && !settles(file, node.block, executor.resolvers) && !throws(node.block) && !settlesAfter(file, node.parent, executor)) {
      found = 'the `catch` block';
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(executor.fn.body);
  return found;
}

/** After a try statement, does the rest of its block settle (the catch falls through to it)? */
function settlesAfter(file: AnalyzedFile, tryStatement: ts.Node, executor: Executor): boolean {
  const block = tryStatement.parent;
  if (!ts.isBlock(block)) return false;
  return block.statements.some((s) => s.getStart() > tryStatement.getEnd() && settles(file, s, executor.resolvers));
}

function throws(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isThrowStatement(n)) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The executor's only settle is conditional, inside a listener registered on an emitter that outlives the call. */
function conditionalSettleOnLongLivedEmitter(file: AnalyzedFile, executor: Executor, rep: Repetition): { event: string; target: ts.Expression; outlives: Outlives } | undefined {
  const settleCalls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && executor.resolvers.includes(file.bindingOf(n.expression)!)) settleCalls.push(n);
    ts.forEachChild(n, visit);
  };
  visit(executor.fn.body);
  if (settleCalls.length === 0) return undefined;
  // a reject anywhere, or an else branch, means the author handles the other outcome
  const reject = executor.resolvers[1];
  if (reject && reject.references.some((r) => r.use.kind !== 'declare')) return undefined;
  let listener: { event: string; target: ts.Expression; outlives: Outlives } | undefined;
  for (const settle of settleCalls) {
    const cb = file.enclosingFunction(settle);
    if (!cb || cb === executor.fn || !ts.isCallExpression(cb.parent)) return undefined;
    const add = listenerAdd(cb.parent);
    if (!add || add.once || skipOuterExpressions(add.listener) !== cb || add.event && CLOSE_EVENTS.has(add.event)) return undefined;
    if (hasElse(settle, cb)) return undefined;
    const outlives = targetOutlives(file, add.target, rep, add.call);
    if (!outlives || !isConditional(settle, cb)) return undefined;
    listener = { event: add.event ? `'${add.event}'` : 'event', target: add.target, outlives };
  }
  return listener;
}

function hasElse(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) if (ts.isIfStatement(n.parent) && n.parent.elseStatement) return true;
  return false;
}

function isConditional(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) {
    if (ts.isIfStatement(n.parent) && n !== n.parent.expression || ts.isConditionalExpression(n.parent) && n !== n.parent.condition) return true;
    if (ts.isBinaryExpression(n.parent) && n === n.parent.right && /&&|\|\|/.test(n.parent.operatorToken.getText())) return true;
  }
  return false;
}
