/**
 * Parse one file and compute the module facts every leak rule needs, in one pass over the AST
 * (no type checker unless a rule asks for one):
 *
 * - bindings and their references: variables, parameters, functions, classes, imports, and the
 *   members rules care about (`this.x` of a class, `C.x` statics, `obj.x` of module-level objects);
 *   each reference is classified (method call, `x[k] = v`, `delete x[k]`, `.length = n`, reassignment…);
 * - lifetime: which bindings live as long as the process (module scope, statics, fields of a
 *   singleton) and which die with a call or an instance;
 * - repetition: which functions run many times and why (event handlers, intervals, request
 *   handlers, methods, exported functions, helpers called from any of those, infinite loops),
 *   following calls to helper functions inside the module until nothing changes.
 *
 * Rules read these facts through `AnalyzedFile`; `growthSource` answers the question most rules
 * ask: "does this line run many times while that binding stays alive, and why?".
 */
import * as path from 'path';
import ts = require('typescript');

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'field' | 'static' | 'property' | 'global';
export type Lifetime = 'process' | 'instance' | 'local';

export interface Binding {
  /** As the user writes it: `cache`, `this.sessions`, `Registry.instances`, `state.cache`. */
  readonly name: string;
  readonly kind: BindingKind;
  /** The declaring name node (undefined for members only ever assigned, e.g. `this.x = …`, and for globals). */
  declaration: ts.Node | undefined;
  /** The value at declaration, or the first value assigned in a constructor / at module level. */
  initializer: ts.Expression | undefined;
  /** The declared type (TS annotation or JSDoc-free: annotation only). */
  typeNode: ts.TypeNode | undefined;
  /** Every value assigned to it after declaration (`x = …`, `this.x = …`). */
  readonly assignments: ts.Expression[];
  lifetime: Lifetime;
  /** Why it lives that long, for messages: "module-level", "a static field of `Registry`". */
  lifetimeReason: string;
  exported: boolean;
  /** The scope node whose execution creates the binding (SourceFile, function, block, class). */
  readonly scopeNode: ts.Node;
  /** For members: the class (instance/static fields) or the object binding (`state.x`). */
  readonly owner: ts.ClassLikeDeclaration | Binding | undefined;
  readonly references: Reference[];
}

export type Use =
  | { kind: 'declare' }
  | { kind: 'read' }
  /** `x = value`, `x ||= value`, `this.x = value`. */
  | { kind: 'assign'; value: ts.Expression; operator: ts.SyntaxKind }
  /** `x.method(args)`, including `x?.method(args)`. */
  | { kind: 'call'; method: string; call: ts.CallExpression }
  /** `x[key] = value` or `x.name = value` (for objects used as dictionaries). */
  | { kind: 'member-write'; key: ts.Expression | ts.Identifier | ts.PrivateIdentifier; computed: boolean; value: ts.Expression }
  /** `delete x[key]` / `delete x.name`. */
  | { kind: 'member-delete'; key: ts.Expression | ts.Identifier | ts.PrivateIdentifier; computed: boolean }
  /** `x.length = value` (truncation). */
  | { kind: 'length-write'; value: ts.Expression }
  /** Passed as an argument, returned, stored elsewhere, spread: code we cannot see may use it. */
  | { kind: 'escape'; via: ts.Node };

export interface Reference {
  /** The Identifier, `this.x`/`C.x` property access, as written. */
  readonly node: ts.Expression;
  readonly binding: Binding;
  readonly use: Use;
}

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export type RepetitionKind =
  /** A listener: runs on every event. `emitter` and `event` say which. */
  | 'event'
  /** A setInterval callback, or a setTimeout chain that reschedules itself. */
  | 'interval'
  /** A request/route/connection handler: http.createServer, app.get, router.use, ipcMain.handle… */
  | 'request'
  /** A class or object method: runs on every call. */
  | 'method'
  /** A constructor of a class instantiated many times. */
  | 'constructor'
  /** Exported: callers elsewhere may call it any number of times. */
  | 'exported'
  /** Handed out (returned, stored in a property): code we cannot see may call it any number of times. */
  | 'escaped'
  /** A helper called from code that runs repeatedly. */
  | 'called'
  /** Inside an endless loop (`while (true)`, `for (;;)`, `for await`). */
  | 'loop';

export interface Repetition {
  readonly kind: RepetitionKind;
  /** The function (or loop) that repeats. */
  readonly node: ts.Node;
  /** A readable name for that function: `onConnect`, `the 'connection' listener`, `UserCache.get`. */
  readonly name: string;
  /** Why it repeats, as a clause: "runs on every 'connection' event of `io`". */
  readonly why: string;
  /** For 'event': the emitter expression and event name (when a string literal). */
  readonly emitter?: ts.Expression;
  readonly event?: string;
  /** For 'called': the repetition of the caller. */
  readonly via?: Repetition;
}

export interface FunctionFacts {
  readonly node: FunctionLike;
  readonly name: string;
  /** Set when the function repeats for a reason of its own (not merely because its caller does). */
  repetition: Repetition | undefined;
  /** Set when it repeats only because the function that contains it does (e.g. a `.then` or `forEach` callback). */
  inherited: boolean;
}

export interface ClassFacts {
  readonly node: ts.ClassLikeDeclaration;
  readonly name: string;
  /** Instantiated exactly once at module level (or via a static instance): its fields live as long as the process. */
  singleton: boolean;
  /** Instantiated in code that runs repeatedly in this file (per request, per event): its instances are short-lived. */
  perCall: boolean;
}

export interface AnalyzeOptions {
  /** Packages the workspace depends on, name -> version range (package.json dependencies + devDependencies); fixes use it. */
  readonly dependencies?: ReadonlyMap<string, string>;
}

export interface AnalyzedFile {
  readonly fileName: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
  readonly isTypeScript: boolean;
  readonly bindings: readonly Binding[];
  readonly functions: ReadonlyMap<ts.Node, FunctionFacts>;
  readonly classes: ReadonlyMap<ts.Node, ClassFacts>;
  /**
   * Every node of the file in source order, type annotations excepted: scanning this flat list
   * (e.g. for CallExpressions) is several times cheaper than another recursive walk of the tree.
   */
  readonly nodes: readonly ts.Node[];
  /**
   * Every node of one of `kinds`, in source order, as a full walk of the tree would find them
   * (types, enums and namespaces included): a filter over `nodes` unless those skipped subtrees
   * hold such a node. Built on first use per set of kinds, then shared by every rule.
   */
  nodesOfKinds(kinds: readonly ts.SyntaxKind[]): readonly ts.Node[];
  /** Every call expression in source order (`nodesOfKinds([CallExpression])`). */
  calls(): readonly ts.CallExpression[];
  /** The calls whose `calleeName` is `name` (`name(…)`, `x.name(…)`), in source order. */
  callsNamed(name: string): readonly ts.CallExpression[];
  dependsOn(pkg: string): boolean;
  /** The version range the workspace's package.json gives for `pkg`, if it depends on it. */
  dependencyRange(pkg: string): string | undefined;
  /** The binding an Identifier, `this.x`, `C.x` or `obj.x` refers to. */
  bindingOf(node: ts.Node): Binding | undefined;
  /** The innermost function containing `node` (undefined at module level). */
  enclosingFunction(node: ts.Node): FunctionLike | undefined;
  /** Why the code at `node` runs many times (its own function's reason, or an enclosing one's), or undefined. */
  repetitionAt(node: ts.Node): Repetition | undefined;
  /**
   * Why the code at `node` runs many times while `binding` stays alive, or undefined when each
   * run gets a fresh binding (a local in a per-request function) or the code runs a bounded
   * number of times (start-up code, a loop over a fixed list).
   */
  growthSource(binding: Binding, node: ts.Node): Repetition | undefined;
  /** A type checker over this file alone (lazy: created on first call, then reused). */
  typeChecker(): ts.TypeChecker;
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.ts') || lower.endsWith('.mts') || lower.endsWith('.cts')) return ts.ScriptKind.TS;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function analyzeFile(fileName: string, text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  const kind = scriptKindOf(fileName);
  // Parent pointers are set by the analyzer's own walk (one traversal fewer than setParentNodes).
  // JSDoc is not parsed: no rule reads it, and in JS libraries it is a large share of parse time.
  const sourceFile = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  return new Analyzer(sourceFile, kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX, options).run();
}

// ---------------------------------------------------------------------------------------------
// Scopes and bindings

interface Scope {
  readonly node: ts.Node;
  readonly parent: Scope | undefined;
  /** true for SourceFile and function-like scopes (where `var` lands). */
  readonly isFunctionScope: boolean;
  /** Created on the first declaration: most blocks declare nothing. */
  bindings: Map<string, Binding> | undefined;
}

const GLOBAL_OBJECTS = new Set(['global', 'globalThis', 'window', 'self']);
const EVENT_METHODS = new Set(['on', 'addListener', 'prependListener', 'addEventListener', 'subscribe', 'onmessage', 'onDidChange', 'watch', 'observe']);
const ONCE_METHODS = new Set(['once', 'prependOnceListener']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route', 'handle', 'ws', 'register', 'hook', 'addHook', 'middleware']);
const SERVER_FACTORIES = new Set(['createServer', 'createSecureServer', 'Server', 'WebSocketServer']);

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)
    || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

const endlessLoops = new WeakMap<ts.Node, boolean>();

/**
 * `while (true)` / `for (;;)` / `do … while (true)` with no way out: no `break` of its own, no
 * `return` or `throw` in its body. (A `for await` over a stream ends with the stream, and a
 * `for (;;)` that breaks is a search loop, not a service loop.)
 */
function isInfiniteLoop(node: ts.Node): boolean {
  let endless: boolean;
  if (ts.isWhileStatement(node) || ts.isDoStatement(node)) endless = node.expression.kind === ts.SyntaxKind.TrueKeyword;
  else if (ts.isForStatement(node)) endless = !node.condition || node.condition.kind === ts.SyntaxKind.TrueKeyword;
  else return false;
  if (!endless) return false;
  const cached = endlessLoops.get(node);
  if (cached !== undefined) return cached;
  const result = !hasExit(node.statement, 0);
  endlessLoops.set(node, result);
  return result;
}

/** Does `node` leave the loop: return/throw, or a break that targets it (depth 0: not inside a nested loop/switch)? */
function hasExit(node: ts.Node, depth: number): boolean {
  if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) return true;
  if (ts.isBreakStatement(node)) return depth === 0 || node.label !== undefined;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  const nested = ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) ? depth + 1 : depth;
  return ts.forEachChild(node, (child) => hasExit(child, nested) || undefined) ?? false;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** `a.b.c` as text for messages; `…` for anything more complex. */
export function expressionText(node: ts.Expression): string {
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) return `${expressionText(node.expression)}.${node.name.text}`;
  if (ts.isCallExpression(node)) return `${expressionText(node.expression)}(…)`;
  if (ts.isParenthesizedExpression(node)) return expressionText(node.expression);
  return '…';
}

/** Strips parentheses, `as`, `!` and `satisfies` around an expression. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node)) node = node.expression;
    else return node;
  }
}

/** The method name of a call `x.name(...)` / `x?.name(...)`, or the callee name of `name(...)`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The receiver of a method call `x.name(...)`, or undefined for a plain call. */
export function calleeReceiver(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
}

class Analyzer {
  private readonly bindings: Binding[] = [];
  private readonly scopes = new Map<ts.Node, Scope>();
  private readonly refByNode = new Map<ts.Node, Binding>();
  private readonly functions = new Map<ts.Node, FunctionFacts>();
  private readonly classes = new Map<ts.Node, ClassFacts>();
  /** Members keyed by owner then name: class instance fields, statics, and properties of module-level objects. */
  private readonly members = new Map<object, Map<string, Binding>>();
  private readonly staticMembers = new Map<ts.ClassLikeDeclaration, Map<string, Binding>>();
  private readonly globals = new Map<string, Binding>();
  private checker: ts.TypeChecker | undefined;

  constructor(private readonly sourceFile: ts.SourceFile, private readonly isTypeScript: boolean, private readonly options: AnalyzeOptions) {}

  run(): AnalyzedFile {
    const moduleScope = this.createScope(this.sourceFile, undefined, true);
    this.declareIn(this.sourceFile, moduleScope);
    this.resolvePending();
    this.computeClasses();
    this.computeLifetimes();
    this.computeRepetition();
    for (const facts of this.classes.values()) facts.perCall = this.instantiations(facts.node).some((site) => this.repetitionAtNode(site));
    return this.result();
  }

  // --- pass 1: scopes and declarations ------------------------------------------------------

  private createScope(node: ts.Node, parent: Scope | undefined, isFunctionScope: boolean): Scope {
    const scope: Scope = { node, parent, isFunctionScope, bindings: undefined };
    this.scopes.set(node, scope);
    return scope;
  }

  private newBinding(name: string, kind: BindingKind, scopeNode: ts.Node, declaration: ts.Node | undefined, owner?: ts.ClassLikeDeclaration | Binding): Binding {
    const binding: Binding = {
      name, kind, declaration, initializer: undefined, typeNode: undefined, assignments: [], lifetime: 'local', lifetimeReason: '',
      exported: false, scopeNode, owner, references: [],
    };
    this.bindings.push(binding);
    return binding;
  }

  private declare(scope: Scope, nameNode: ts.Identifier, kind: BindingKind, initializer?: ts.Expression, typeNode?: ts.TypeNode): Binding {
    scope.bindings ??= new Map();
    const existing = scope.bindings.get(nameNode.text);
    if (existing) return existing; // `var x` twice, or a function overload list
    const binding = this.newBinding(nameNode.text, kind, scope.node, nameNode);
    binding.initializer = initializer;
    binding.typeNode = typeNode;
    scope.bindings.set(nameNode.text, binding);
    this.refByNode.set(nameNode, binding);
    binding.references.push({ node: nameNode, binding, use: { kind: 'declare' } });
    return binding;
  }

  private declarePattern(scope: Scope, name: ts.BindingName, kind: BindingKind, initializer?: ts.Expression, typeNode?: ts.TypeNode): void {
    if (ts.isIdentifier(name)) {
      this.declare(scope, name, kind, initializer, typeNode);
      return;
    }
    for (const element of name.elements) {
      if (ts.isBindingElement(element)) this.declarePattern(scope, element.name, kind);
    }
  }

  private nearestFunctionScope(scope: Scope): Scope {
    let s = scope;
    while (!s.isFunctionScope && s.parent) s = s.parent;
    return s;
  }

  /** Walks `node`'s subtree, creating scopes and declaring names (hoisting included: a later `function f` is visible earlier). */
  private declareIn(node: ts.Node, scope: Scope): void {
    this.moduleScope = scope;
    this.current = scope;
    this.parentNode = node;
    ts.forEachChild(node, this.declareVisitor);
  }

  /** The node whose children the walk is visiting: the walk sets parent pointers as it goes. */
  private parentNode!: ts.Node;
  /** Every node in source order (types excepted): rules can scan this instead of walking the tree again. */
  private readonly nodes: ts.Node[] = [];
  /** References to resolve once every declaration (including hoisted ones) is known, with their scope. */
  private readonly pendingReferences: { node: ts.Node; scope: Scope }[] = [];

  /** The kinds of node found in subtrees the walk skips: `nodesOfKinds` must walk the whole tree for these. */
  private readonly skippedKinds = new Set<ts.SyntaxKind>();

  /** Sets parent pointers in a subtree the analysis itself skips (types, interfaces, enums). */
  private readonly setParentsOnly = (child: ts.Node): void => {
    setParent(child, this.parentNode);
    this.skippedKinds.add(child.kind);
    const saved = this.parentNode;
    this.parentNode = child;
    ts.forEachChild(child, this.setParentsOnly);
    this.parentNode = saved;
  };

  private skipSubtree(child: ts.Node): void {
    this.skippedKinds.add(child.kind);
    const saved = this.parentNode;
    this.parentNode = child;
    ts.forEachChild(child, this.setParentsOnly);
    this.parentNode = saved;
  }

  private moduleScope!: Scope;
  /** The scope the walkers are in (kept in a field so the walk allocates no closure per node). */
  private current!: Scope;
  private readonly allFunctions: FunctionLike[] = [];
  /** Names used with `new X(…)` or `X.prototype`: a `function X` with one of them is an ES5 constructor. */
  private readonly constructorNames = new Set<string>();
  private readonly declareVisitor = (child: ts.Node): void => {
    setParent(child, this.parentNode);
    const current = this.current;
    let inner = current;
    // A switch on the kind: this runs once per node of every file, so it avoids chains of type guards.
    switch (child.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        this.skipSubtree(child);
        return;
      case ts.SyntaxKind.Identifier:
        this.nodes.push(child);
        this.pendingReferences.push({ node: child, scope: current });
        return;
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = child as ts.PropertyAccessExpression;
        if (access.name.text === 'prototype' && ts.isIdentifier(access.expression)) this.constructorNames.add(access.expression.text);
        this.pendingReferences.push({ node: child, scope: current });
        break;
      }
      case ts.SyntaxKind.ElementAccessExpression:
        this.pendingReferences.push({ node: child, scope: current });
        break;
      case ts.SyntaxKind.NewExpression: {
        const callee = (child as ts.NewExpression).expression;
        if (ts.isIdentifier(callee)) this.constructorNames.add(callee.text);
        break;
      }
      case ts.SyntaxKind.PropertyDeclaration:
        this.pendingReferences.push({ node: child, scope: current });
        break;
      case ts.SyntaxKind.VariableDeclaration: {
        const declaration = child as ts.VariableDeclaration;
        if (ts.isCatchClause(declaration.parent)) break; // declared with the catch clause's scope
        const flags = ts.isVariableDeclarationList(declaration.parent) ? declaration.parent.flags : 0;
        const kind: BindingKind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
        this.declarePattern(kind === 'var' ? this.nearestFunctionScope(current) : current, declaration.name, kind, declaration.initializer, declaration.type);
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration: {
        const fn = child as ts.FunctionDeclaration;
        this.allFunctions.push(fn);
        if (fn.name) this.declare(this.nearestFunctionScope(current), fn.name, 'function', undefined);
        inner = this.createScope(fn, current, true);
        break;
      }
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor: {
        const fn = child as FunctionLike;
        this.allFunctions.push(fn);
        inner = this.createScope(fn, current, true);
        if (ts.isFunctionExpression(fn) && fn.name) this.declare(inner, fn.name, 'function');
        break;
      }
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression: {
        const cls = child as ts.ClassLikeDeclaration;
        this.classes.set(cls, { node: cls, name: cls.name?.text ?? '(anonymous class)', singleton: false, perCall: false });
        if (ts.isClassDeclaration(cls) && cls.name) this.declare(current, cls.name, 'class');
        inner = this.createScope(cls, current, false);
        if (ts.isClassExpression(cls) && cls.name) this.declare(inner, cls.name, 'class');
        break;
      }
      case ts.SyntaxKind.Parameter: {
        const parameter = child as ts.ParameterDeclaration;
        this.declarePattern(current, parameter.name, 'param', parameter.initializer, parameter.type);
        break;
      }
      case ts.SyntaxKind.ImportClause:
      case ts.SyntaxKind.NamespaceImport:
      case ts.SyntaxKind.ImportSpecifier:
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const name = (child as ts.ImportClause | ts.NamespaceImport | ts.ImportSpecifier | ts.ImportEqualsDeclaration).name;
        if (name) this.declare(this.moduleScope, name, 'import');
        break;
      }
      case ts.SyntaxKind.CatchClause: {
        const clause = child as ts.CatchClause;
        inner = this.createScope(clause, current, false);
        if (clause.variableDeclaration) this.declarePattern(inner, clause.variableDeclaration.name, 'let');
        this.nodes.push(child);
        this.current = inner;
        this.parentNode = clause;
        if (clause.variableDeclaration) this.declareVisitor(clause.variableDeclaration);
        this.declareVisitor(clause.block);
        this.parentNode = clause.parent;
        this.current = current;
        return;
      }
      case ts.SyntaxKind.Block:
        if (!isFunctionLike(child.parent)) inner = this.createScope(child, current, false);
        break;
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForInStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.CaseBlock:
        inner = this.createScope(child, current, false);
        break;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration: {
        const name = (child as ts.EnumDeclaration | ts.ModuleDeclaration).name;
        this.skipSubtree(child);
        if (ts.isIdentifier(name)) this.declare(current, name, 'const');
        return;
      }
      default:
        if (ts.isTypeNode(child)) {
          this.skipSubtree(child);
          return;
        }
    }
    this.nodes.push(child);
    const parent = this.parentNode;
    this.current = inner;
    this.parentNode = child;
    ts.forEachChild(child, this.declareVisitor);
    this.parentNode = parent;
    this.current = current;
  };

  // --- pass 2: references -------------------------------------------------------------------

  private lookup(name: string, scope: Scope | undefined): Binding | undefined {
    for (let s = scope; s; s = s.parent) {
      const found = s.bindings?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Identifier positions that are names, not references (property names, labels, declarations). */
  private isReferencePosition(id: ts.Identifier): boolean {
    const parent = id.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
    if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessorDeclaration(parent)
      || ts.isSetAccessorDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isEnumMember(parent)) && parent.name === id) return false;
    if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
    if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
    if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return ts.isExportSpecifier(parent) && (parent.propertyName ?? parent.name) === id && !parent.parent.parent.moduleSpecifier;
    if (ts.isJsxAttribute(parent) || ts.isQualifiedName(parent)) return false;
    if (ts.isMetaProperty(parent)) return false;
    return true;
  }

  /** Resolves the references the walk collected, in source order (so each binding's references are too). */
  private resolvePending(): void {
    for (const { node, scope } of this.pendingReferences) {
      if (ts.isIdentifier(node)) {
        if (this.refByNode.has(node) || !this.isReferencePosition(node)) continue;
        this.addReference(node, this.lookup(node.text, scope) ?? this.globalBinding(node.text));
      } else if (ts.isPropertyDeclaration(node)) {
        this.declareField(node);
      } else {
        const member = this.memberBinding(node as ts.PropertyAccessExpression | ts.ElementAccessExpression, scope);
        if (member) this.addReference(node as ts.Expression, member);
      }
    }
  }

  private globalBinding(name: string): Binding {
    let binding = this.globals.get(name);
    if (!binding) {
      binding = this.newBinding(name, 'global', this.sourceFile, undefined);
      this.globals.set(name, binding);
    }
    return binding;
  }

  private membersOf(owner: object): Map<string, Binding> {
    let map = this.members.get(owner);
    if (!map) {
      map = new Map();
      this.members.set(owner, map);
    }
    return map;
  }

  private memberNamed(owner: ts.ClassLikeDeclaration | Binding, name: string, isStatic: boolean): Binding {
    const map = this.membersOf(isStatic ? { static: owner } : owner);
    const key = name;
    let binding = map.get(key);
    if (!binding) {
      const ownerName = 'kind' in owner && typeof owner.kind === 'string' ? (owner as Binding).name : (owner as ts.ClassLikeDeclaration).name?.text ?? '(class)';
      const display = isStatic || 'references' in owner ? `${ownerName}.${name}` : `this.${name}`;
      const kind: BindingKind = 'references' in owner ? 'property' : isStatic ? 'static' : 'field';
      binding = this.newBinding(display, kind, 'references' in owner ? owner.scopeNode : owner as ts.Node, undefined, owner);
      map.set(key, binding);
    }
    return binding;
  }

  /** Class property declarations (`cache = new Map()`, `static cache = …`, `private cache: Map<…>`). */
  private declareField(node: ts.PropertyDeclaration): void {
    const name = propertyNameText(node.name);
    const cls = node.parent;
    if (!name || !ts.isClassLike(cls)) return;
    const binding = this.classMember(cls, name, hasModifier(node, ts.SyntaxKind.StaticKeyword));
    if (!binding.declaration) {
      binding.declaration = node.name;
      binding.initializer = node.initializer;
      binding.typeNode = node.type;
      binding.references.push({ node: node.name as ts.Expression, binding, use: { kind: 'declare' } });
    }
  }

  private classMember(cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean): Binding {
    if (!isStatic) return this.memberNamed(cls, name, false);
    let map = this.staticMembers.get(cls);
    if (!map) {
      map = new Map();
      this.staticMembers.set(cls, map);
    }
    let binding = map.get(name);
    if (!binding) {
      binding = this.newBinding(`${cls.name?.text ?? '(class)'}.${name}`, 'static', cls, undefined, cls);
      map.set(name, binding);
    }
    return binding;
  }

  /** What `this` means at `node`: a class (instance or static side), an object literal's binding, or nothing known. */
  private thisOwner(node: ts.Node): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | { object: Binding } | undefined {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isArrowFunction(n)) continue;
      if (ts.isClassLike(n)) return { cls: n, isStatic: false };
      if (ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) {
        if (ts.isClassLike(n.parent)) return { cls: n.parent, isStatic: hasModifier(n, ts.SyntaxKind.StaticKeyword) || ts.isClassStaticBlockDeclaration(n) };
        if (ts.isObjectLiteralExpression(n.parent)) return this.objectLiteralOwner(n.parent);
        return undefined;
      }
      if (ts.isConstructorDeclaration(n)) return { cls: n.parent, isStatic: false };
      if (ts.isFunctionExpression(n) && ts.isPropertyAssignment(n.parent) && ts.isObjectLiteralExpression(n.parent.parent)) return this.objectLiteralOwner(n.parent.parent);
      if (ts.isFunctionExpression(n) && ts.isBinaryExpression(n.parent) && n.parent.right === n) {
        const ctor = this.prototypeOwner(n.parent.left);
        if (ctor) return { cls: ctor, isStatic: false };
      }
      if (ts.isFunctionDeclaration(n) && n.name && this.constructorNames.has(n.name.text)) return { cls: n as unknown as ts.ClassLikeDeclaration, isStatic: false };
      if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isSourceFile(n)) return undefined;
    }
    return undefined;
  }

  /**
   * The ES5 constructor `function A` behind `A.prototype.m` (a method assignment) or `A.prototype`
   * (an object literal of methods). Typed as a class: its instances have fields like a class's.
   */
  private prototypeOwner(target: ts.Expression): ts.ClassLikeDeclaration | undefined {
    let proto = skipOuterExpressions(target);
    if (ts.isPropertyAccessExpression(proto) && proto.name.text !== 'prototype') proto = skipOuterExpressions(proto.expression);
    if (!ts.isPropertyAccessExpression(proto) || proto.name.text !== 'prototype' || !ts.isIdentifier(proto.expression)) return undefined;
    const declaration = this.moduleScope.bindings?.get(proto.expression.text)?.declaration?.parent;
    return declaration && ts.isFunctionDeclaration(declaration) ? declaration as unknown as ts.ClassLikeDeclaration : undefined;
  }

  private objectLiteralOwner(literal: ts.ObjectLiteralExpression): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | { object: Binding } | undefined {
    const parent = literal.parent;
    if (ts.isBinaryExpression(parent) && parent.right === literal) {
      const ctor = this.prototypeOwner(parent.left);
      if (ctor) return { cls: ctor, isStatic: false };
    }
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      const binding = this.refByNode.get(parent.name);
      if (binding) return { object: binding };
    }
    return undefined;
  }

  /** `this.x`, `C.x` (class), `obj.x` (module-level object literal / `module.exports`), `this[k]` is not a member. */
  private memberBinding(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, scope: Scope): Binding | undefined {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text
      : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
    if (name === undefined) return undefined;
    const target = skipOuterExpressions(node.expression);
    if (target.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = this.thisOwner(node);
      if (!owner) return undefined;
      return 'cls' in owner ? this.classMember(owner.cls, name, owner.isStatic) : this.memberNamed(owner.object, name, false);
    }
    if (!ts.isIdentifier(target)) return undefined;
    const base = this.lookup(target.text, scope);
    if (!base) {
      // `global.x`, `globalThis.x`, `window.x`: a property of the global object lives as long as the process
      return GLOBAL_OBJECTS.has(target.text) ? this.memberNamed(this.globalBinding(target.text), name, false) : undefined;
    }
    if (base.kind === 'class' && base.declaration && ts.isClassLike(base.declaration.parent)) return this.classMember(base.declaration.parent, name, true);
    const init = base.initializer && skipOuterExpressions(base.initializer);
    if ((base.kind === 'const' || base.kind === 'let' || base.kind === 'var') && init && ts.isObjectLiteralExpression(init)) {
      const member = this.memberNamed(base, name, false);
      if (!member.declaration) {
        const prop = init.properties.find((p) => propertyNameText(p.name) === name);
        if (prop && ts.isPropertyAssignment(prop)) {
          member.declaration = prop.name;
          member.initializer = prop.initializer;
        }
      }
      return member;
    }
    return undefined;
  }

  private addReference(node: ts.Expression, binding: Binding): void {
    this.refByNode.set(node, binding);
    const use = classifyUse(node);
    binding.references.push({ node, binding, use });
    if (use.kind === 'assign') {
      binding.assignments.push(use.value);
      if (!binding.initializer && (binding.kind === 'field' || binding.kind === 'static' || binding.kind === 'property' || binding.kind === 'let' || binding.kind === 'var')) {
        binding.initializer = use.value;
      }
    }
  }

  // --- classes and lifetimes ----------------------------------------------------------------

  private computeClasses(): void {
    for (const fn of this.allFunctions) {
      if (ts.isFunctionDeclaration(fn) && fn.name && this.constructorNames.has(fn.name.text)) {
        const node = fn as unknown as ts.ClassLikeDeclaration;
        this.classes.set(node, { node, name: fn.name.text, singleton: false, perCall: false });
      }
    }
    for (const facts of this.classes.values()) facts.singleton = this.isSingletonClass(facts.node);
  }

  /** The places a class is instantiated with `new C(...)`. */
  private instantiations(cls: ts.ClassLikeDeclaration): ts.NewExpression[] {
    const result: ts.NewExpression[] = [];
    const binding = cls.name ? this.refByNode.get(cls.name) : undefined;
    if (ts.isClassExpression(cls) && ts.isNewExpression(cls.parent)) result.push(cls.parent);
    for (const ref of binding?.references ?? []) {
      if (ts.isNewExpression(ref.node.parent) && ref.node.parent.expression === ref.node) result.push(ref.node.parent);
    }
    return result;
  }

  private isSingletonClass(cls: ts.ClassLikeDeclaration): boolean {
    const news = this.instantiations(cls);
    // `static instance` / `getInstance()`: the class itself keeps its one instance.
    const hasStaticInstance = (cls.members ?? []).some((m) => hasModifier(m, ts.SyntaxKind.StaticKeyword) && /^(instance|_instance|default|shared|singleton)$/i.test(propertyNameText(m.name) ?? '')
      || ts.isMethodDeclaration(m) && /^getInstance$/i.test(propertyNameText(m.name) ?? ''));
    if (hasStaticInstance) return true;
    if (news.length !== 1) return false;
    // one `new C()` that runs once: at module level, outside any function
    const site = news[0];
    for (let n: ts.Node = site.parent; !ts.isSourceFile(n); n = n.parent) {
      if (isFunctionLike(n) || ts.isIterationStatement(n, false)) return false;
    }
    return true;
  }

  private computeLifetimes(): void {
    for (const binding of this.bindings) {
      binding.exported = ts.isSourceFile(binding.scopeNode) && this.isExported(binding);
      if (binding.kind === 'global') {
        binding.lifetime = 'process';
        binding.lifetimeReason = 'a global';
      } else if (binding.kind === 'static') {
        binding.lifetime = 'process';
        binding.lifetimeReason = `a static field of \`${(binding.owner as ts.ClassLikeDeclaration).name?.text ?? 'a class'}\``;
      } else if (binding.kind === 'field') {
        const cls = binding.owner as ts.ClassLikeDeclaration;
        const facts = this.classes.get(cls);
        binding.lifetime = facts?.singleton ? 'process' : 'instance';
        binding.lifetimeReason = facts?.singleton ? `a field of \`${facts.name}\`, which has a single instance for the life of the process` : `a field of \`${facts?.name ?? 'a class'}\``;
      } else if (binding.kind === 'property') {
        const owner = binding.owner as Binding;
        binding.lifetime = owner.lifetime === 'process' || ts.isSourceFile(owner.scopeNode) ? 'process' : 'local';
        binding.lifetimeReason = `a property of the module-level object \`${owner.name}\``;
      } else if (ts.isSourceFile(binding.scopeNode) || this.isModuleLevelBlock(binding.scopeNode)) {
        binding.lifetime = 'process';
        binding.lifetimeReason = 'module-level';
      } else {
        binding.lifetime = 'local';
        binding.lifetimeReason = 'a local variable';
      }
    }
  }

  /** A block at module level (not inside any function): its bindings live as long as the module. */
  private isModuleLevelBlock(node: ts.Node): boolean {
    for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
      if (isFunctionLike(n) || ts.isClassLike(n)) return false;
    }
    return true;
  }

  private isExported(binding: Binding): boolean {
    const decl = binding.declaration;
    if (decl) {
      for (let n: ts.Node | undefined = decl.parent; n && !ts.isSourceFile(n); n = n.parent) {
        if (ts.isVariableStatement(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) {
          if (hasModifier(n, ts.SyntaxKind.ExportKeyword)) return true;
          break;
        }
      }
    }
    return binding.references.some((ref) => {
      const parent = ref.node.parent;
      if (ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)) return true;
      // module.exports = x, exports.x = x, module.exports = { x }
      if (ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) && parent.initializer === ref.node) {
        return isCommonJsExportTarget(assignmentTargetOf(parent.parent));
      }
      return ts.isBinaryExpression(parent) && parent.right === ref.node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && isCommonJsExportTarget(parent.left);
    });
  }

  // --- repetition ---------------------------------------------------------------------------

  private functionName(fn: FunctionLike): string {
    if (ts.isConstructorDeclaration(fn)) return `${fn.parent.name?.text ?? 'the class'} constructor`;
    if ((ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) && ts.isClassLike(fn.parent)) {
      return `${fn.parent.name?.text ?? '(class)'}.${propertyNameText(fn.name) ?? '…'}`;
    }
    if (fn.name) {
      const text = propertyNameText(fn.name);
      if (text) return text;
    }
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent)) return propertyNameText(parent.name) ?? 'an anonymous function';
    if (ts.isBinaryExpression(parent) && parent.right === fn) return expressionText(parent.left);
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      const event = parent.arguments?.[0];
      const name = calleeName(parent);
      if (event && ts.isStringLiteralLike(event) && name && (EVENT_METHODS.has(name) || ONCE_METHODS.has(name))) return `the '${event.text}' listener`;
      if (event && ts.isStringLiteralLike(event) && name && ROUTE_METHODS.has(name)) return `the ${name.toUpperCase()} ${event.text} handler`;
      if (name && SERVER_FACTORIES.has(name)) return `the ${expressionText(parent.expression)} request handler`;
      if (name && ROUTE_METHODS.has(name) && calleeReceiver(parent)) return `the ${expressionText(parent.expression)} handler`;
      if (name) return `the callback passed to ${expressionText(parent.expression)}`;
    }
    return 'an anonymous function';
  }

  /** Why a function that is passed as a callback (or registered) repeats on its own, if it does. */
  private callbackRepetition(fn: ts.Node, name: string, call: ts.CallExpression | ts.NewExpression): Repetition | undefined {
    const method = calleeName(call);
    if (!method) return undefined;
    const receiver = calleeReceiver(call);
    const receiverText = receiver ? expressionText(receiver) : undefined;
    const first = call.arguments?.[0];
    if (EVENT_METHODS.has(method) && receiver) {
      const event = first && ts.isStringLiteralLike(first) ? first.text : undefined;
      return {
        kind: 'event', node: fn, name, emitter: receiver, event,
        why: event ? `runs on every '${event}' event of \`${receiverText}\`` : `runs on every notification from \`${receiverText}\``,
      };
    }
    if (method === 'setInterval') return { kind: 'interval', node: fn, name, why: 'runs on every tick of a setInterval' };
    if (SERVER_FACTORIES.has(method)) return { kind: 'request', node: fn, name, why: 'runs for every request the server receives' };
    if (ROUTE_METHODS.has(method) && receiver && call.arguments && call.arguments.length >= 1) {
      const path = first && (ts.isStringLiteralLike(first) || ts.isRegularExpressionLiteral(first)) ? first.text : undefined;
      if (path !== undefined || method === 'use' || method === 'handle' || method === 'middleware') {
        return { kind: 'request', node: fn, name, why: path !== undefined ? `runs for every ${method.toUpperCase()} ${path} request` : `runs for every request through \`${receiverText}.${method}\`` };
      }
    }
    return undefined;
  }

  private computeRepetition(): void {
    const all = this.allFunctions;
    for (const fn of all) this.functions.set(fn, { node: fn, name: this.functionName(fn), repetition: undefined, inherited: false });

    // Seeds: reasons a function repeats that do not depend on other functions.
    for (const fn of all) {
      const facts = this.functions.get(fn)!;
      facts.repetition = this.ownRepetition(fn, facts.name);
    }
    // Propagate along calls until nothing changes: a helper called from repeated code repeats.
    for (let changed = true, rounds = 0; changed && rounds < 20; rounds++) {
      changed = false;
      for (const fn of all) {
        const facts = this.functions.get(fn)!;
        if (facts.repetition) continue;
        const via = this.callerRepetition(fn);
        if (via) {
          facts.repetition = { kind: 'called', node: fn, name: facts.name, via: via.rep, why: `is called from ${via.rep.name}, which ${via.rep.kind === 'called' ? 'repeats' : via.rep.why}` };
          changed = true;
        }
      }
    }
    for (const fn of all) {
      const facts = this.functions.get(fn)!;
      if (!facts.repetition && this.isInlineCallback(fn)) facts.inherited = true;
    }
  }

  /** A function literal passed to a call we know nothing special about (forEach, then, setTimeout…): it runs when its caller does. */
  private isInlineCallback(fn: FunctionLike): boolean {
    const parent = fn.parent;
    return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && argumentsOf(parent).includes(fn as ts.Expression)
      || ts.isCallExpression(parent) && parent.expression === fn
      || ts.isParenthesizedExpression(parent) && ts.isCallExpression(parent.parent);
  }

  private ownRepetition(fn: FunctionLike, name: string): Repetition | undefined {
    if (ts.isConstructorDeclaration(fn)) {
      const cls = this.classes.get(fn.parent);
      if (cls?.singleton) return undefined;
      const news = this.instantiations(fn.parent);
      const clsBinding = fn.parent.name ? this.refByNode.get(fn.parent.name) : undefined;
      if (clsBinding?.exported || news.some((site) => this.repetitionAtNode(site))) {
        return { kind: 'constructor', node: fn, name, why: `runs for every \`new ${cls?.name ?? 'instance'}()\`` };
      }
      return undefined;
    }
    if ((ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn))) {
      return { kind: 'method', node: fn, name, why: 'is a method, so it runs on every call' };
    }
    const parent = fn.parent;
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      if (argumentsOf(parent).includes(fn as ts.Expression)) {
        const rep = this.callbackRepetition(fn, name, parent);
        if (rep) return rep;
        if (calleeName(parent) === 'setTimeout' && this.reschedulesItself(fn)) {
          return { kind: 'interval', node: fn, name, why: 'reschedules itself with setTimeout, so it runs again and again' };
        }
      }
    }
    // function values stored in object literals that are exported or handed to an API: methods
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
      return { kind: 'method', node: fn, name, why: 'is an object method, so it runs on every call' };
    }
    if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent) && parent.body === fn) {
      return { kind: 'escaped', node: fn, name, why: 'is returned to callers, who may run it any number of times' };
    }
    if (ts.isBinaryExpression(parent) && parent.right === fn && this.prototypeOwner(parent.left)) {
      return { kind: 'method', node: fn, name, why: 'is a method, so it runs on every call' };
    }
    if (ts.isBinaryExpression(parent) && parent.right === fn && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left) && !isCommonJsExportTarget(parent.left)) {
      return { kind: 'escaped', node: fn, name, why: `is installed as \`${expressionText(parent.left)}\`, which callers may run any number of times` };
    }
    const binding = this.functionBinding(fn);
    if (binding?.exported || this.isDirectlyExported(fn)) return { kind: 'exported', node: fn, name, why: `is exported, so callers may run it any number of times` };
    if (binding) {
      // a named function handed to a registration: server.on('x', handler), setInterval(tick)
      for (const ref of binding.references) {
        const call = ref.node.parent;
        if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && argumentsOf(call).includes(ref.node)) {
          const rep = this.callbackRepetition(fn, name, call);
          if (rep) return rep;
          if (calleeName(call) === 'setTimeout' && isInside(call, fn)) {
            return { kind: 'interval', node: fn, name, why: 'reschedules itself with setTimeout, so it runs again and again' };
          }
        }
      }
    }
    return undefined;
  }

  private isDirectlyExported(fn: FunctionLike): boolean {
    const parent = fn.parent;
    if (ts.isExportAssignment(parent)) return true;
    if ((ts.isFunctionDeclaration(fn) || ts.isClassDeclaration(fn)) && hasModifier(fn, ts.SyntaxKind.ExportKeyword)) return true;
    return ts.isBinaryExpression(parent) && parent.right === fn && isCommonJsExportTarget(parent.left);
  }

  /** The binding that names a function: `function f`, `const f = () => …`. */
  private functionBinding(fn: FunctionLike): Binding | undefined {
    if (ts.isFunctionDeclaration(fn) && fn.name) return this.refByNode.get(fn.name);
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return this.refByNode.get(parent.name);
    return undefined;
  }

  private reschedulesItself(fn: FunctionLike): boolean {
    const binding = this.functionBinding(fn) ?? (ts.isFunctionExpression(fn) && fn.name ? this.refByNode.get(fn.name) : undefined);
    return !!binding?.references.some((ref) => isInside(ref.node, fn) && ts.isCallExpression(ref.node.parent) && calleeName(ref.node.parent) === 'setTimeout');
  }

  /** A call site of this function (direct call, or passed to a plain call) that runs repeatedly. */
  private callerRepetition(fn: FunctionLike): { rep: Repetition } | undefined {
    const binding = this.functionBinding(fn);
    if (binding) {
      for (const ref of binding.references) {
        if (ref.use.kind === 'declare' || isInside(ref.node, fn)) continue;
        const parent = ref.node.parent;
        const isCall = ts.isCallExpression(parent) && parent.expression === ref.node;
        const isPassed = (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && argumentsOf(parent).includes(ref.node);
        if (!isCall && !isPassed) continue;
        const rep = this.repetitionAtNode(parent);
        if (rep) return { rep };
      }
    }
    // methods called as this.m() are already 'method'; object methods likewise
    return undefined;
  }

  /** Why the code at `node` repeats: the nearest enclosing endless loop or repeating function. */
  private repetitionAtNode(node: ts.Node): Repetition | undefined {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (isInfiniteLoop(n) && n !== node) return { kind: 'loop', node: n, name: 'an endless loop', why: 'runs on every iteration of an endless loop' };
      const facts = this.functions.get(n);
      if (facts) {
        if (facts.repetition) return facts.repetition;
        if (!this.isInlineCallback(facts.node)) return undefined;
      }
    }
    return undefined;
  }

  /** See AnalyzedFile.growthSource. */
  private growthSource(binding: Binding, node: ts.Node): Repetition | undefined {
    const stop = binding.kind === 'field' || binding.kind === 'static' ? undefined : binding.scopeNode;
    let found: Repetition | undefined;
    for (let n: ts.Node | undefined = node.parent; n && n !== stop; n = n.parent) {
      if (isInfiniteLoop(n)) {
        found = { kind: 'loop', node: n, name: 'an endless loop', why: 'runs on every iteration of an endless loop' };
        break;
      }
      const facts = this.functions.get(n);
      if (facts) {
        if (facts.repetition) {
          found = facts.repetition;
          break;
        }
        if (!this.isInlineCallback(facts.node)) break;
      }
    }
    if (!found) return undefined;
    if (binding.lifetime === 'process') return found;
    if (binding.lifetime === 'instance') {
      // A field grows for as long as the instance lives. Methods of a short-lived instance run a
      // bounded number of times; listeners and intervals it registered keep firing.
      return found.kind === 'event' || found.kind === 'interval' || found.kind === 'request' || found.kind === 'loop' ? found : undefined;
    }
    // A local: grows only when the repeating code sits between the mutation and the binding's
    // scope (a listener registered inside the function that declares it), on an emitter that is
    // not itself local to that function.
    if (!isInside(found.node, binding.scopeNode) || found.node === binding.scopeNode) return undefined;
    if (found.kind === 'event' && found.emitter) {
      const root = rootIdentifier(found.emitter);
      const emitterBinding = root ? this.refByNode.get(root) : undefined;
      if (emitterBinding && emitterBinding.lifetime === 'local' && isInside(emitterBinding.scopeNode, binding.scopeNode)) return undefined;
      if (emitterBinding && emitterBinding.lifetime === 'local' && emitterBinding.scopeNode === binding.scopeNode) return undefined;
    }
    return found.kind === 'method' || found.kind === 'called' || found.kind === 'exported' || found.kind === 'constructor' || found.kind === 'escaped' ? undefined : found;
  }

  /** Every node of the tree in pre-order, as `ts.forEachChild` visits them (only needed when a skipped subtree holds a kind asked for). */
  private everyNode: ts.Node[] | undefined;
  private readonly nodesByKinds = new Map<string, readonly ts.Node[]>();
  private callsByName: Map<string, ts.CallExpression[]> | undefined;

  /** `nodes` grouped by kind (index = SyntaxKind), in one pass on first use. */
  private nodesByKind: ts.Node[][] | undefined;

  private nodesOfKinds(kinds: readonly ts.SyntaxKind[]): readonly ts.Node[] {
    const key = kinds.join(',');
    let found = this.nodesByKinds.get(key);
    if (!found) {
      if (kinds.some((kind) => this.skippedKinds.has(kind))) {
        found = this.allNodesInTree().filter((node) => kinds.includes(node.kind));
      } else if (kinds.length === 1) {
        found = this.groupedByKind()[kinds[0]] ?? [];
      } else {
        found = this.nodes.filter((node) => kinds.includes(node.kind));
      }
      this.nodesByKinds.set(key, found);
    }
    return found;
  }

  private groupedByKind(): ts.Node[][] {
    if (!this.nodesByKind) {
      const groups: ts.Node[][] = [];
      for (const node of this.nodes) (groups[node.kind] ??= []).push(node);
      this.nodesByKind = groups;
    }
    return this.nodesByKind;
  }

  private allNodesInTree(): ts.Node[] {
    if (!this.everyNode) {
      const all: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        all.push(node);
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(this.sourceFile, visit);
      this.everyNode = all;
    }
    return this.everyNode;
  }

  private calls(): readonly ts.CallExpression[] {
    return this.nodesOfKinds([ts.SyntaxKind.CallExpression]) as readonly ts.CallExpression[];
  }

  private callsNamed(name: string): readonly ts.CallExpression[] {
    if (!this.callsByName) {
      this.callsByName = new Map();
      for (const call of this.calls()) {
        const callee = calleeName(call);
        if (callee === undefined) continue;
        const list = this.callsByName.get(callee);
        if (list) list.push(call);
        else this.callsByName.set(callee, [call]);
      }
    }
    return this.callsByName.get(name) ?? [];
  }

  private result(): AnalyzedFile {
    const { sourceFile, options } = this;
    return {
      fileName: sourceFile.fileName,
      text: sourceFile.text,
      sourceFile,
      isTypeScript: this.isTypeScript,
      bindings: this.bindings,
      functions: this.functions,
      classes: this.classes,
      nodes: this.nodes,
      nodesOfKinds: (kinds) => this.nodesOfKinds(kinds),
      calls: () => this.calls(),
      callsNamed: (name) => this.callsNamed(name),
      dependsOn: (pkg) => options.dependencies?.has(pkg) ?? false,
      dependencyRange: (pkg) => options.dependencies?.get(pkg),
      bindingOf: (node) => this.refByNode.get(node),
      enclosingFunction: (node) => {
        for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
        return undefined;
      },
      repetitionAt: (node) => this.repetitionAtNode(node),
      growthSource: (binding, node) => this.growthSource(binding, node),
      typeChecker: () => {
        this.checker ??= createSingleFileChecker(sourceFile);
        return this.checker;
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by rules

/** Parent pointers are readonly in the public typings; the analyzer sets them itself while walking. */
function setParent(child: ts.Node, parent: ts.Node): void {
  (child as { parent: ts.Node }).parent = parent;
}

export function argumentsOf(call: ts.CallExpression | ts.NewExpression): readonly ts.Expression[] {
  return call.arguments ?? [];
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === container) return true;
  return false;
}

export function rootIdentifier(node: ts.Expression): ts.Identifier | undefined {
  let n = skipOuterExpressions(node);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n)) n = skipOuterExpressions(n.expression);
  return ts.isIdentifier(n) ? n : undefined;
}

function assignmentTargetOf(literal: ts.Node): ts.Expression | undefined {
  const parent = literal.parent;
  return ts.isBinaryExpression(parent) && parent.right === literal ? parent.left : undefined;
}

/** `module.exports`, `module.exports.x`, `exports.x`. */
function isCommonJsExportTarget(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const text = expressionText(node);
  return text === 'module.exports' || text.startsWith('module.exports.') || text.startsWith('exports.');
}

/** How the expression at a reference is used by its parent. */
function classifyUse(node: ts.Expression): Use {
  let current: ts.Node = node;
  let parent = current.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
    current = parent;
    parent = parent.parent;
  }
  if (ts.isBinaryExpression(parent) && parent.left === current && isAssignmentOperator(parent.operatorToken.kind)) {
    return { kind: 'assign', value: parent.right, operator: parent.operatorToken.kind };
  }
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === current) {
    const key = ts.isPropertyAccessExpression(parent) ? parent.name : parent.argumentExpression;
    const computed = ts.isElementAccessExpression(parent);
    const grand = parent.parent;
    if (ts.isCallExpression(grand) && grand.expression === parent && ts.isPropertyAccessExpression(parent)) return { kind: 'call', method: parent.name.text, call: grand };
    if (ts.isBinaryExpression(grand) && grand.left === parent && isAssignmentOperator(grand.operatorToken.kind)) {
      if (!computed && ts.isIdentifier(key) && key.text === 'length') return { kind: 'length-write', value: grand.right };
      return { kind: 'member-write', key, computed, value: grand.right };
    }
    if (ts.isDeleteExpression(grand)) return { kind: 'member-delete', key, computed };
    return { kind: 'read' };
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    if (parent.expression === current) return { kind: 'read' };
    return { kind: 'escape', via: parent };
  }
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent) && parent.body === current || ts.isSpreadElement(parent) || ts.isPropertyAssignment(parent)
    || ts.isShorthandPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent) || ts.isExportAssignment(parent) || ts.isExportSpecifier(parent)
    || ts.isVariableDeclaration(parent) && parent.initializer === current || ts.isBinaryExpression(parent) && parent.right === current && isAssignmentOperator(parent.operatorToken.kind)) {
    return { kind: 'escape', via: parent };
  }
  return { kind: 'read' };
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

// ---------------------------------------------------------------------------------------------
// The lazy type checker: one program over this file alone, with the default lib parsed once per process.

const libCache = new Map<string, ts.SourceFile | undefined>();

function createSingleFileChecker(sourceFile: ts.SourceFile): ts.TypeChecker {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, allowJs: true, checkJs: false, noResolve: true, types: [], lib: ['lib.es2022.d.ts'] };
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const host: ts.CompilerHost = {
    getSourceFile(fileName) {
      if (fileName === sourceFile.fileName) return sourceFile;
      if (!libCache.has(fileName)) {
        const text = ts.sys.readFile(fileName);
        libCache.set(fileName, text === undefined ? undefined : ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false));
      }
      return libCache.get(fileName);
    },
    getDefaultLibFileName: () => path.join(libDir, 'lib.es2022.d.ts'),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === sourceFile.fileName || ts.sys.fileExists(f),
    readFile: (f) => (f === sourceFile.fileName ? sourceFile.text : ts.sys.readFile(f)),
  };
  return ts.createProgram([sourceFile.fileName], options, host).getTypeChecker();
}
