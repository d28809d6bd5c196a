/**
 * Facts shared by the listener, timer, closure, slice and promise rules, built on analyze.ts:
 * does the object an expression names outlive one run of the code that touches it, where is the
 * owner's close/dispose path, is a statement guarded so it runs once, which expressions denote the
 * same object or the same function.
 */
import ts = require('typescript');
import {
  calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Binding, type FunctionLike, type Repetition,
} from '../analyze';

/** Globals that live as long as the process (or the page). */
const GLOBAL_OBJECTS = new Set(['process', 'window', 'document', 'globalThis', 'global', 'self', 'navigator']);

/** Method names that end an object's life: where cleanup belongs. */
export const CLOSE_METHOD = /^(close|dispose|destroy|stop|end|shutdown|teardown|disconnect|unmount|cleanup|cleanUp|release|terminate|detach|kill|quit|free|reset|unload|deactivate|unsubscribe|unwatch|ngOnDestroy|componentWillUnmount|disconnectedCallback|onDestroy|onClose|\[Symbol\.dispose\])$/i;

/** Events after which an object is done: handlers for them are its close path. */
export const CLOSE_EVENTS = new Set(['close', 'end', 'disconnect', 'disconnected', 'exit', 'finish', 'destroy', 'destroyed', 'closed', 'abort', 'aborted', 'terminate']);

export type OutlivesKind = 'global' | 'module' | 'outer' | 'instance' | 'signal' | 'socket';

export interface Outlives {
  readonly kind: OutlivesKind;
  /** A clause for messages: "`process` lives as long as the process". */
  readonly reason: string;
}

/** The object at the root of `a.b.c(…).d`: `this`, an identifier, or undefined. */
export function rootOf(expr: ts.Expression): ts.Expression | undefined {
  let e = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) e = skipOuterExpressions(e.expression);
  return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword ? e : undefined;
}

/** The class whose instance `this` denotes at `node` (arrow functions see through). */
export function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isClassLike(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

export function className(cls: ts.ClassLikeDeclaration): string {
  return cls.name?.text ?? 'class';
}

/** The class's close/dispose-style methods. */
export function closeMethods(cls: ts.ClassLikeDeclaration): ts.MethodDeclaration[] {
  return cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && CLOSE_METHOD.test(m.name.getText()));
}

/** The constructor or method of `cls` whose body contains `node` (arrow functions see through). */
export function enclosingMember(node: ts.Node, cls: ts.ClassLikeDeclaration): ts.ConstructorDeclaration | ts.MethodDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n && n !== cls; n = n.parent) {
    if ((ts.isConstructorDeclaration(n) || ts.isMethodDeclaration(n)) && n.parent === cls) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n)) return undefined;
  }
  return undefined;
}

/**
 * Does the code at `node` run once per instance: in the constructor, or in a private/set-up
 * method that only the constructor (or another such method) calls — `#initialize()`, `_bind()`?
 */
const onceCache = new WeakMap<ts.Node, boolean>();
export function runsOncePerInstance(file: AnalyzedFile, node: ts.Node, cls: ts.ClassLikeDeclaration, depth = 0): boolean {
  const member = enclosingMember(node, cls);
  if (!member) return false;
  if (ts.isConstructorDeclaration(member)) return true;
  if (depth > 3) return false;
  const cached = onceCache.get(member);
  if (cached !== undefined) return cached;
  const result = memberRunsOncePerInstance(file, member, cls, depth);
  if (depth === 0) onceCache.set(member, result);
  return result;
}

function memberRunsOncePerInstance(file: AnalyzedFile, member: ts.MethodDeclaration, cls: ts.ClassLikeDeclaration, depth: number): boolean {
  const name = member.name.getText();
  const isPrivate = name.startsWith('#') || name.startsWith('_') || (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  if (!isPrivate && !/^(init|initialize|setup|setUp|bindEvents|attachListeners|registerListeners)$/.test(name)) return false;
  const callSites: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.getText() === name) callSites.push(n);
    ts.forEachChild(n, visit);
  };
  visit(cls);
  // called on `this` from once-per-instance code, or on a fresh instance by a static factory (`const f = new C(); f.#init()`)
  return callSites.length > 0 && callSites.every((site) => !isInside(site, member) && callRunsOncePerInstance(file, site, cls, depth + 1));
}

/** A method call `this.m()` / `fresh.m()` that happens once per instance: from once-per-instance code, or on a new instance in a static factory. */
export function callRunsOncePerInstance(file: AnalyzedFile, site: ts.CallExpression, cls: ts.ClassLikeDeclaration, depth = 0): boolean {
  if (!ts.isPropertyAccessExpression(site.expression)) return false;
  const receiver = skipOuterExpressions(site.expression.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) return runsOncePerInstance(file, site, cls, depth);
  const caller = enclosingMember(site, cls);
  return !!caller && ts.isMethodDeclaration(caller) && (ts.getModifiers(caller) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

/** Is the value created by this class itself (`new X()`, a literal), so it dies with the instance? */
function isOwnedValue(value: ts.Expression | undefined): boolean {
  if (!value) return false;
  const v = skipOuterExpressions(value);
  return ts.isNewExpression(v) || ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v);
}

/**
 * Does the object `target` names outlive one run of the repeating code at `site` (whose
 * repetition is `rep`)? Undefined when it is created by (or handed fresh to) each run.
 */
export function targetOutlives(file: AnalyzedFile, target: ts.Expression, rep: Repetition, site: ts.Node): Outlives | undefined {
  const expr = skipOuterExpressions(target);
  const root = rootOf(expr);
  if (!root) return undefined;
  const text = expressionText(expr);
  if (root.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = thisClass(site);
    if (!cls) return undefined;
    const name = className(cls);
    if (runsOncePerInstance(file, site, cls)) {
      // Once per instance: only a leak when the instance dies before the object it listens to.
      if (expr.kind === ts.SyntaxKind.ThisKeyword) return undefined;
      const member = firstMember(expr);
      const binding = member ? file.bindingOf(member) : undefined;
      if (binding && isOwnedValue(binding.initializer)) return undefined;
      if (closeMethods(cls).length === 0) return undefined;
      return { kind: 'instance', reason: `\`${text}\` is handed to each \`${name}\` and outlives it once it is closed` };
    }
    if (expr.kind === ts.SyntaxKind.ThisKeyword) return { kind: 'instance', reason: `the \`${name}\` instance outlives each call` };
    return { kind: 'instance', reason: `\`${text}\` lives as long as the \`${name}\` instance, across calls` };
  }
  const id = root as ts.Identifier;
  const binding = file.bindingOf(id);
  if (!binding || binding.kind === 'global') {
    return GLOBAL_OBJECTS.has(id.text) ? { kind: 'global', reason: `\`${id.text}\` lives as long as the process` } : undefined;
  }
  if (binding.kind === 'class' || binding.kind === 'function') return undefined;
  if (binding.lifetime === 'process') {
    return { kind: 'module', reason: `\`${text}\` is ${binding.kind === 'import' ? 'imported, a module-level object' : 'module-level'} and lives as long as the process` };
  }
  if (binding.kind === 'param' && isSignalExpression(expr, binding)) {
    return { kind: 'signal', reason: `\`${text}\` is the caller's AbortSignal, which may live much longer than this call` };
  }
  if (!isInside(binding.scopeNode, rep.node)) {
    return { kind: 'outer', reason: `\`${text}\` is created outside ${rep.name} and outlives each run of it` };
  }
  // A local alias of something long-lived: `const socket = this.socket`.
  if (binding.kind === 'const' && binding.initializer && expr === id) {
    const init = skipOuterExpressions(binding.initializer);
    if ((ts.isPropertyAccessExpression(init) || ts.isIdentifier(init)) && init !== expr) {
      const aliased = targetOutlives(file, init, rep, site);
      if (aliased) return aliased;
    }
  }
  if (binding.kind === 'param') {
    if (rep.kind === 'request' && ts.isPropertyAccessExpression(expr) && /^(socket|connection)$/.test(expr.name.text) && expr.expression === id) {
      return { kind: 'socket', reason: `\`${text}\` is a keep-alive socket shared by many requests` };
    }
    // `req.on('socket', (socket) => …)`: with a keep-alive agent the same pooled socket comes back for many requests
    if (expr === id && isPooledSocketParam(binding)) {
      return { kind: 'socket', reason: `\`${text}\` is a pooled keep-alive socket handed to many requests` };
    }
    // `req.app`, `ctx.app`: the application object, reachable from every request
    if (rep.kind === 'request' && ts.isPropertyAccessExpression(expr) && expr.name.text === 'app' && expr.expression === id) {
      return { kind: 'module', reason: `\`${text}\` is the application, which lives as long as the process` };
    }
  }
  return undefined;
}

/** The parameter of a `req.on('socket', (socket) => …)` / `agent.on('free', …)` listener. */
function isPooledSocketParam(binding: Binding): boolean {
  const param = binding.declaration?.parent;
  const fn = param && ts.isParameter(param) ? param.parent : undefined;
  const call = fn?.parent;
  if (!fn || !call || !ts.isCallExpression(call) || !/^(on|once|addListener)$/.test(calleeName(call) ?? '')) return false;
  const event = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  return !!event && ts.isStringLiteralLike(event) && /^(socket|free)$/.test(event.text);
}

function firstMember(expr: ts.Expression): ts.PropertyAccessExpression | undefined {
  let e: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) {
    const inner = skipOuterExpressions(e.expression);
    if (inner.kind === ts.SyntaxKind.ThisKeyword) return ts.isPropertyAccessExpression(e) ? e : undefined;
    e = inner;
  }
  return undefined;
}

/**
 * `signal` / `opts.signal` where the root is a parameter: an AbortSignal the caller may reuse for
 * many calls. Not `req.signal` / `request.signal`: a request's own signal dies with the request.
 */
function isSignalExpression(expr: ts.Expression, param: Binding): boolean {
  const typeText = param.typeNode?.getText() ?? '';
  if (ts.isIdentifier(expr)) return /\bAbortSignal\b/.test(typeText) || /signal$/i.test(expr.text);
  return ts.isPropertyAccessExpression(expr) && /^signal$/i.test(expr.name.text) && ts.isIdentifier(expr.expression)
    && /^(opts|options|init|config|settings|params|args|o|props|cfg|fetchOptions|requestOptions|\w*Options)$/.test(expr.expression.text);
}

/** Do two receiver expressions denote the same object (`this.socket` / `this.socket`, `bus` / `bus`)? */
export function sameObject(file: AnalyzedFile, a: ts.Expression, b: ts.Expression): boolean {
  const x = skipOuterExpressions(a);
  const y = skipOuterExpressions(b);
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) {
    const bx = file.bindingOf(x);
    const by = file.bindingOf(y);
    return bx !== undefined && bx === by || x.text === y.text && (!bx || !by);
  }
  const tx = expressionText(x);
  return tx !== '…' && !tx.includes('(…)') && tx === expressionText(y);
}

/** A key identifying a function value, or undefined when every evaluation makes a new function (inline, `.bind`). */
export function functionIdentity(file: AnalyzedFile, expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isIdentifier(e)) {
    const binding = file.bindingOf(e);
    return binding ? `binding:${bindingKey(binding)}` : `name:${e.text}`;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const text = expressionText(e);
    return text.includes('…') ? undefined : `member:${text}`;
  }
  return undefined;
}

const bindingKeys = new WeakMap<Binding, number>();
let nextBindingKey = 0;
function bindingKey(binding: Binding): number {
  let key = bindingKeys.get(binding);
  if (key === undefined) {
    key = nextBindingKey++;
    bindingKeys.set(binding, key);
  }
  return key;
}

/** Is the function a fresh value each time (inline function, arrow, `.bind(…)`)? */
export function isFreshFunction(expr: ts.Expression): 'inline' | 'bind' | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return 'inline';
  if (ts.isCallExpression(e) && calleeName(e) === 'bind') return 'bind';
  return undefined;
}

/** Every call expression in the file, in source order (the analyzer's shared index). */
export function allCalls(file: AnalyzedFile): readonly ts.CallExpression[] {
  return file.calls();
}

/** The string value of a literal argument, if it is one. */
export function literalText(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = skipOuterExpressions(expr);
  return ts.isStringLiteralLike(e) ? e.text : undefined;
}

/**
 * Is `node` guarded to run once: inside `if (!flag) { flag = true; … }`, or after
 * `if (flag) return;` in a function that sets `flag`?
 */
export function isRunOnceGuarded(file: AnalyzedFile, node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) {
    const parent = n.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === n && assignsAny(n, namesIn(file, parent.expression))) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      const statements = (parent as ts.Block).statements;
      const index = statements.indexOf(n as ts.Statement);
      for (const earlier of statements.slice(0, Math.max(0, index))) {
        if (ts.isIfStatement(earlier) && exits(earlier.thenStatement)) {
          const names = namesIn(file, earlier.expression);
          const fn = file.enclosingFunction(node);
          if (names.length && fn && assignsAny(fn, names)) return true;
        }
      }
    }
  }
  return false;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
}

/** Bindings (identifiers, `this.x`) read by an expression. */
function namesIn(file: AnalyzedFile, expr: ts.Expression): Binding[] {
  const found: Binding[] = [];
  const visit = (node: ts.Node): void => {
    const binding = (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) ? file.bindingOf(node) : undefined;
    if (binding && binding.kind !== 'global' && binding.kind !== 'function' && binding.kind !== 'class') found.push(binding);
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

function assignsAny(container: ts.Node, bindings: readonly Binding[]): boolean {
  return bindings.some((b) => b.references.some((ref) => ref.use.kind === 'assign' && isInside(ref.node, container))
    || b.references.some((ref) => ref.use.kind === 'call' && /^(add|set)$/.test(ref.use.method) && isInside(ref.node, container)));
}

/** Framework hooks that run every time a component mounts: React effects, Vue/Angular/web-component lifecycle methods. */
const MOUNT_HOOK_CALLS = /^(useEffect|useLayoutEffect|useInsertionEffect|onMounted|onBeforeMount|onActivated)$/;
const MOUNT_HOOK_METHODS = /^(componentDidMount|componentDidUpdate|mounted|beforeMount|created|activated|ngOnInit|ngAfterViewInit|connectedCallback|firstUpdated|onMount|onInit)$/;

/**
 * Why the code at `node` runs many times: the analysis's answer, or — when the analysis sees no
 * caller (a component used only through JSX or a framework) — a mount hook around it.
 */
export function repetitionOf(file: AnalyzedFile, node: ts.Node): Repetition | undefined {
  const rep = file.repetitionAt(node);
  // `new ReadableStream({ start(controller) { … } })`: an options-object method runs when that call does
  const literal = rep && (rep.kind === 'method' || rep.kind === 'event') ? optionsObjectOf(rep.node) : undefined;
  if (literal) {
    const outer = repetitionOf(file, literal);
    if (outer) return outer;
  } else if (rep && rep.kind === 'method' && ONCE_METHOD_NAMES.test(memberName(rep.node))) {
    return undefined; // `initialize()`, `activate()`: set-up that runs once per object by contract
  } else if (rep) {
    return rep;
  }
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent) && n.parent.arguments[0] === n
      && MOUNT_HOOK_CALLS.test(calleeName(n.parent) ?? '')) {
      return { kind: 'method', node: n, name: `the ${calleeName(n.parent)} callback`, why: 'runs every time the component mounts' };
    }
    if ((ts.isMethodDeclaration(n) || ts.isFunctionExpression(n) && ts.isPropertyAssignment(n.parent)) && MOUNT_HOOK_METHODS.test(ts.isMethodDeclaration(n) ? n.name.getText() : (n.parent as ts.PropertyAssignment).name.getText())) {
      return { kind: 'method', node: n, name: ts.isMethodDeclaration(n) ? n.name.getText() : (n.parent as ts.PropertyAssignment).name.getText(), why: 'runs every time the component mounts' };
    }
  }
  return undefined;
}

const ONCE_METHOD_NAMES = /^[#_]?(init|initialize|setup|setUp|bootstrap|activate|configure|install|main)$/;

function memberName(fn: ts.Node): string {
  if ((ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.getText();
  if (ts.isPropertyAssignment(fn.parent)) return fn.parent.name.getText();
  return '';
}

/** The object literal a method/function belongs to, when that literal is passed straight to a call or `new`. */
function optionsObjectOf(fn: ts.Node): ts.ObjectLiteralExpression | undefined {
  const holder = ts.isMethodDeclaration(fn) ? fn.parent : (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && ts.isPropertyAssignment(fn.parent) ? fn.parent.parent : undefined;
  if (!holder || !ts.isObjectLiteralExpression(holder)) return undefined;
  const call = holder.parent;
  return (ts.isCallExpression(call) || ts.isNewExpression(call)) && (call.arguments ?? ts.factory.createNodeArray<ts.Expression>()).includes(holder) && !/^(on|once|addListener|subscribe)$/.test(calleeName(call) ?? '') ? holder : undefined;
}

/** "connect is exported, so callers may run it any number of times": the repetition as a clause. */
export function repetitionClause(rep: Repetition): string {
  if (rep.kind === 'loop') return 'it runs on every iteration of an endless loop';
  if (rep.kind === 'method') return rep.why.includes('mounts') ? `${rep.name} ${rep.why}` : `${rep.name} can be called any number of times`;
  return `${rep.name} ${rep.why}`;
}

/** "for the life of the process", "for as long as the `Modem` instance lives": how long a holder keeps what it holds. */
export function holderLife(outlives: Outlives, target: ts.Expression): string {
  switch (outlives.kind) {
    case 'global':
    case 'module': return 'for the life of the process';
    case 'instance': return `for as long as \`${expressionText(target)}\` lives`;
    case 'signal': return `until the caller's signal \`${expressionText(target)}\` is aborted or dropped`;
    case 'socket': return 'until the keep-alive socket closes, across all its requests';
    default: return `for as long as \`${expressionText(target)}\` lives`;
  }
}

/** The innermost function-like node containing `node`, stopping at `stop`. */
export function functionsBetween(node: ts.Node, stop: ts.Node): FunctionLike[] {
  const result: FunctionLike[] = [];
  for (let n: ts.Node | undefined = node.parent; n && n !== stop; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n)) result.push(n);
  }
  return result;
}

/** Is `node` inside the `finally` block of a try statement? */
export function inFinally(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return true;
  }
  return false;
}

/** Is the call a method call `x.name(…)` whose receiver is `receiver`? */
export function isMethodCallOn(file: AnalyzedFile, call: ts.CallExpression, names: ReadonlySet<string>, receiver: ts.Expression): boolean {
  const name = calleeName(call);
  const target = calleeReceiver(call);
  return !!name && names.has(name) && !!target && sameObject(file, target, receiver);
}

/** Identifiers used in `fn` that are declared in `scope` (what a closure created there keeps). */
export function capturedFrom(file: AnalyzedFile, fn: ts.Node, scope: ts.Node): Binding[] {
  const found = new Set<Binding>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const binding = file.bindingOf(node);
      if (binding && binding.kind !== 'global' && binding.kind !== 'function' && binding.kind !== 'class' && binding.kind !== 'import'
        && binding.scopeNode !== fn && isInside(binding.scopeNode, scope) && !isInside(binding.scopeNode, fn)) found.add(binding);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return [...found];
}

/** The first member name of `this.a.b.c` (`a`), or undefined when the root is not `this`. */
export function firstThisMember(expr: ts.Expression): string | undefined {
  let e = skipOuterExpressions(expr);
  let last: string | undefined;
  while (ts.isPropertyAccessExpression(e)) {
    last = e.name.getText();
    e = skipOuterExpressions(e.expression);
  }
  return e.kind === ts.SyntaxKind.ThisKeyword ? last : undefined;
}

/** `this.<name> = …` assignments in the file (indexed once per file). */
const assignmentIndex = new WeakMap<ts.SourceFile, Map<string, ts.BinaryExpression[]>>();
export function allAssignmentsTo(file: AnalyzedFile, name: string): ts.BinaryExpression[] {
  let index = assignmentIndex.get(file.sourceFile);
  if (!index) {
    const built = new Map<string, ts.BinaryExpression[]>();
    for (const n of file.nodesOfKinds([ts.SyntaxKind.BinaryExpression]) as readonly ts.BinaryExpression[]) {
      if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = skipOuterExpressions(n.left);
      if (ts.isPropertyAccessExpression(left) && skipOuterExpressions(left.expression).kind === ts.SyntaxKind.ThisKeyword) {
        const key = left.name.getText();
        built.set(key, [...(built.get(key) ?? []), n]);
      }
    }
    assignmentIndex.set(file.sourceFile, built);
    index = built;
  }
  return index.get(name) ?? [];
}

/** `this.x = open(…); … this.x.on(…)`: the object behind `this.x` was created earlier in the same run of `container`. */
export function freshInRun(file: AnalyzedFile, target: ts.Expression, container: ts.Node, site: ts.Node): boolean {
  const member = firstThisMember(target);
  return !!member && allAssignmentsTo(file, member).some((a) => isInside(a, container) && a.getStart() < site.getStart());
}
