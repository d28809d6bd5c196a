/**
 * What kind of collection a binding holds and how each reference changes its size: the shared
 * vocabulary of the cache and array rules (and of any rule asking "is this stored long-term?").
 */
import ts = require('typescript');
import { calleeName, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Binding, type Reference, type Repetition } from './analyze';

/** 'bounded' = a collection that evicts by itself (an LRU, a WeakMap…); 'unknown' = we cannot tell. */
export type CollectionKind = 'Map' | 'Set' | 'object' | 'array' | 'bounded' | 'unknown';

const BOUNDED_CONSTRUCTORS = /^(WeakMap|WeakSet|WeakRef|FinalizationRegistry|LRU\w*|\w*LRU|QuickLRU|\w*Lru\w*|TTLCache|NodeCache|BoundedMap|BoundedSet|\w*Bounded\w*|\w*Ring\w*|CircularBuffer)$/;

function typeNameKind(type: ts.TypeNode | undefined): CollectionKind | undefined {
  if (!type) return undefined;
  if (ts.isArrayTypeNode(type)) return 'array';
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    if (name === 'Map') return 'Map';
    if (name === 'Set') return 'Set';
    if (name === 'Array') return 'array';
    if (name === 'Record') return 'object';
    if (BOUNDED_CONSTRUCTORS.test(name)) return 'bounded';
  }
  if (ts.isTypeLiteralNode(type) && type.members.some(ts.isIndexSignatureDeclaration)) return 'object';
  return undefined;
}

function valueKind(value: ts.Expression | undefined): CollectionKind | undefined {
  if (!value) return undefined;
  const expr = skipOuterExpressions(value);
  if (ts.isArrayLiteralExpression(expr)) return 'array';
  if (ts.isObjectLiteralExpression(expr)) return 'object';
  if (ts.isNewExpression(expr)) {
    const name = calleeName(expr);
    if (name === 'Map') return 'Map';
    if (name === 'Set') return 'Set';
    if (name === 'Array') return 'array';
    if (name === 'Object') return 'object';
    return name && BOUNDED_CONSTRUCTORS.test(name) ? 'bounded' : 'unknown';
  }
  if (ts.isCallExpression(expr)) {
    const text = expressionText(expr.expression);
    if (text === 'Object.create' && expr.arguments[0]?.kind === ts.SyntaxKind.NullKeyword) return 'object';
    if (text === 'Array' || text === 'Array.of') return 'array';
    const name = calleeName(expr);
    return name && BOUNDED_CONSTRUCTORS.test(name) ? 'bounded' : 'unknown';
  }
  return 'unknown';
}

/**
 * The collection a binding holds, from its declared type, its initializer and what is assigned to
 * it later. When those disagree (a Map replaced by an LRU) the bounded kind wins; otherwise the
 * first known kind. (Allocation-free: both the cache and the array rule ask it for every binding.)
 */
export function collectionKind(binding: Binding): CollectionKind {
  let known = typeNameKind(binding.typeNode);
  if (known === 'bounded') return 'bounded';
  const initial = valueKind(binding.initializer);
  if (initial === 'bounded') return 'bounded';
  if (!known && initial !== 'unknown') known = initial;
  for (const value of binding.assignments) {
    const kind = valueKind(value);
    if (kind === 'bounded') return 'bounded';
    if (!known && kind !== 'unknown') known = kind;
  }
  return known ?? 'unknown';
}

export type SizeEffect =
  /** Adds an entry/element. `key` is the map key / object key when there is one. */
  | { kind: 'grow'; key?: ts.Expression; value?: ts.Expression }
  /** Removes or may remove entries (delete, clear, shift, splice, truncation, reassignment). */
  | { kind: 'shrink' }
  /** A size check (`x.size > MAX`, `x.length >= N`, `Object.keys(x).length`) that can bound growth. */
  | { kind: 'size-check' }
  /** A call that looks like it shrinks the array but does not mutate it (`arr.slice(1)` with the result dropped). */
  | { kind: 'no-op-cap'; node: ts.Node; reason: string }
  /** Handed to code we cannot see, which may remove entries. */
  | { kind: 'escape' }
  | { kind: 'none' };

/** Calls that read a collection they are given and never change it. */
const READ_ONLY_CALLEES = /^(console\.\w+|JSON\.stringify|Array\.from|Array\.isArray|Object\.(keys|values|entries|freeze|getOwnPropertyNames)|String|Number|Boolean|util\.(inspect|format)|assert(\.\w+)?|expect|Promise\.(all|race|allSettled|any)|Math\.\w+|\w+\.(json|send|end|write|log|debug|info|warn|error|trace|has|get|includes|indexOf))$/;

const ARRAY_SHRINKERS = new Set(['shift', 'pop', 'splice', 'fill']);
const NON_MUTATING_ARRAY = new Set(['slice', 'filter', 'concat', 'toSpliced']);

function isComparison(node: ts.Node): boolean {
  return ts.isBinaryExpression(node) && [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken,
    ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(node.operatorToken.kind);
}

/** `x.size` / `x.length` compared with something, or `Object.keys(x).length` compared. */
function isSizeComparison(ref: Reference): boolean {
  const parent = ref.node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === ref.node && (parent.name.text === 'size' || parent.name.text === 'length')) {
    return isComparison(parent.parent) || ts.isCallExpression(parent.parent) && expressionText(parent.parent.expression).startsWith('Math.');
  }
  if (ts.isCallExpression(parent) && /^Object\.(keys|values|entries)$/.test(expressionText(parent.expression))) {
    const outer = parent.parent;
    return ts.isPropertyAccessExpression(outer) && outer.name.text === 'length' && isComparison(outer.parent);
  }
  return false;
}

/** Is `value` built from the binding itself plus more (`arr.concat(x)`, `[...arr, x]`, `{...obj, [k]: v}`)? */
function isSelfExtension(value: ts.Expression, binding: Binding, file: AnalyzedFile): boolean {
  const expr = skipOuterExpressions(value);
  if (ts.isCallExpression(expr) && calleeName(expr) === 'concat') {
    const receiver = ts.isPropertyAccessExpression(expr.expression) ? expr.expression.expression : undefined;
    return !!receiver && file.bindingOf(receiver) === binding;
  }
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.some((e) => ts.isSpreadElement(e) && file.bindingOf(skipOuterExpressions(e.expression)) === binding) && expr.elements.length > 1;
  if (ts.isObjectLiteralExpression(expr)) return expr.properties.some((p) => ts.isSpreadAssignment(p) && file.bindingOf(skipOuterExpressions(p.expression)) === binding) && expr.properties.length > 1;
  return false;
}

/** How one reference changes the size of a collection of the given kind. */
export function sizeEffect(ref: Reference, kind: CollectionKind, file: AnalyzedFile): SizeEffect {
  const use = ref.use;
  if (isSizeComparison(ref)) return { kind: 'size-check' };
  if (kind === 'array' && use.kind === 'read') {
    // `arr.shift;` — the call's parentheses are missing, so nothing is removed
    const access = ref.node.parent;
    if (ts.isPropertyAccessExpression(access) && ARRAY_SHRINKERS.has(access.name.text) && ts.isExpressionStatement(access.parent)) {
      return { kind: 'no-op-cap', node: access, reason: `\`${access.getText()}\` is never called (the parentheses are missing)` };
    }
  }
  switch (use.kind) {
    case 'call': {
      const args = use.call.arguments;
      if (kind === 'Map' || kind === 'object') {
        if (use.method === 'set') return { kind: 'grow', key: args[0], value: args[1] };
        if (use.method === 'delete' || use.method === 'clear') return { kind: 'shrink' };
      }
      if (kind === 'Set') {
        if (use.method === 'add') return { kind: 'grow', key: args[0] };
        if (use.method === 'delete' || use.method === 'clear') return { kind: 'shrink' };
      }
      if (kind === 'array') {
        if (use.method === 'push' || use.method === 'unshift') return args.length ? { kind: 'grow', value: args[0] } : { kind: 'none' };
        if (use.method === 'splice') {
          // splice(i, 0, x) only inserts; splice(i) / splice(i, n) removes
          const count = args[1];
          if (count && ts.isNumericLiteral(count) && Number(count.text) === 0) return args.length > 2 ? { kind: 'grow' } : { kind: 'none' };
          return { kind: 'shrink' };
        }
        if (ARRAY_SHRINKERS.has(use.method)) return { kind: 'shrink' };
        if (NON_MUTATING_ARRAY.has(use.method) && ts.isExpressionStatement(use.call.parent)) {
          return { kind: 'no-op-cap', node: use.call, reason: `\`${use.call.getText().slice(0, 60)}\` returns a new array that is thrown away` };
        }
      }
      return { kind: 'none' };
    }
    case 'member-write': {
      if (kind !== 'object' && kind !== 'array') return { kind: 'none' };
      if (!use.computed) return { kind: 'none' }; // obj.fixedName = … is one slot, not growth
      const key = use.key as ts.Expression;
      if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) return { kind: 'none' };
      if (kind === 'array') {
        // arr[arr.length] = x appends; arr[i] = x overwrites
        return ts.isPropertyAccessExpression(key) && key.name.text === 'length' && file.bindingOf(key.expression) === ref.binding ? { kind: 'grow', value: use.value } : { kind: 'none' };
      }
      return { kind: 'grow', key, value: use.value };
    }
    case 'member-delete':
      return { kind: 'shrink' };
    case 'length-write':
      return { kind: 'shrink' };
    case 'assign':
      if (use.value === ref.binding.initializer) return { kind: 'none' }; // `C.log = []` right after the class: the declaration
      return isSelfExtension(use.value, ref.binding, file) ? { kind: 'grow' } : { kind: 'shrink' };
    case 'escape': {
      const via = use.via;
      if (ts.isCallExpression(via) || ts.isNewExpression(via)) {
        const callee = expressionText(via.expression);
        if (READ_ONLY_CALLEES.test(callee)) return { kind: 'none' };
        if (/^Object\.assign$/.test(callee) && via.arguments?.[0] === ref.node) return { kind: 'grow' };
        if (/^Object\.assign$/.test(callee)) return { kind: 'none' };
      }
      if (ts.isSpreadElement(via) || ts.isVariableDeclaration(via) && ts.isArrayBindingPattern(via.name)) return { kind: 'none' };
      if (ts.isSpreadAssignment(via)) return { kind: 'none' };
      return { kind: 'escape' };
    }
    default:
      return { kind: 'none' };
  }
}

/** Is the key a constant (literal, or a const initialised with one): a fixed key set cannot grow. */
export function isConstantKey(key: ts.Expression | undefined, file: AnalyzedFile): boolean {
  if (!key) return false;
  const expr = skipOuterExpressions(key);
  if (ts.isStringLiteralLike(expr) || ts.isNumericLiteral(expr) || expr.kind === ts.SyntaxKind.TrueKeyword || expr.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isIdentifier(expr)) {
    const binding = file.bindingOf(expr);
    const init = binding?.kind === 'const' ? binding.initializer && skipOuterExpressions(binding.initializer) : undefined;
    return !!init && (ts.isStringLiteralLike(init) || ts.isNumericLiteral(init));
  }
  if (ts.isPropertyAccessExpression(expr)) {
    // Enum.Member, CONSTANTS.NAME
    const root = expr.expression;
    return ts.isIdentifier(root) && /^[A-Z][A-Z0-9_]*$/.test(expr.name.text) || ts.isIdentifier(root) && file.bindingOf(root)?.declaration?.parent !== undefined && ts.isEnumDeclaration(file.bindingOf(root)!.declaration!.parent);
  }
  return false;
}

/**
 * Does a size check (`if (x.size > MAX) …`) actually bound growth? Only when it guards the
 * addition (the addition sits inside the checked branch) or leaves early (return/throw), so a
 * check whose branch does nothing useful (`arr.slice(1)`) is not mistaken for a cap.
 */
export function sizeCheckBounds(check: ts.Node, growthSites: readonly ts.Node[]): boolean {
  let guard: ts.Node | undefined;
  for (let n: ts.Node | undefined = check.parent; n && !ts.isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isWhileStatement(n)) {
      guard = n;
      break;
    }
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      guard = n;
      break;
    }
  }
  if (!guard) return false;
  if (growthSites.some((g) => isInside(g, guard!))) return true;
  let jumps = false;
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node) || ts.isContinueStatement(node) || ts.isBreakStatement(node)) jumps = true;
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (ts.isIfStatement(guard)) visit(guard.thenStatement);
  return jumps;
}

/** A function that nothing can call: declared here, not exported, never referenced, not a method or callback. */
export function isDeadFunction(file: AnalyzedFile, fn: ts.Node): boolean {
  const facts = file.functions.get(fn);
  if (!facts || facts.repetition || facts.inherited) return false;
  let nameNode: ts.Identifier | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name) nameNode = fn.name;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) nameNode = fn.parent.name;
  if (!nameNode) return false;
  const binding = file.bindingOf(nameNode);
  return !!binding && !binding.exported && binding.references.every((r) => r.use.kind === 'declare');
}

/**
 * Can this code run while the collection grows? A removal at module level, in a one-off callback
 * (`process.once('SIGINT', …)`) or in a function nobody calls never runs between additions.
 */
export function runsAlongsideGrowth(file: AnalyzedFile, site: ts.Node, growthSites: readonly ts.Node[]): boolean {
  if (file.repetitionAt(site)) return true;
  const fn = file.enclosingFunction(site);
  if (!fn) return false;
  if (isDeadFunction(file, fn)) return false;
  if (growthSites.some((g) => file.enclosingFunction(g) === fn)) return true;
  // Called from somewhere we cannot see (e.g. a function returned or passed on): assume it can run.
  const facts = file.functions.get(fn);
  return !!facts && !facts.inherited && !ts.isSourceFile(fn.parent) && !isOnceCallback(fn);
}

function isOnceCallback(fn: ts.Node): boolean {
  const parent = fn.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && /^(once|prependOnceListener|setTimeout|setImmediate|nextTick|queueMicrotask|then|catch|finally)$/.test(calleeName(parent) ?? '');
}

/** `UPPER_SNAKE` from a binding name: `this.userCache` -> `USER_CACHE`. */
export function constantNameFor(binding: Binding, suffix: string): string {
  const base = binding.name.replace(/^this\./, '').replace(/^.*\./, '').replace(/^[#_]+/, '');
  return `${base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_${suffix}`;
}

export function ownerName(binding: Binding): string {
  const owner = binding.owner as ts.ClassLikeDeclaration | undefined;
  return owner?.name ? `\`${owner.name.text}\`` : 'owning';
}

/** "a Map held at module level", "a Set held by the single `Registry` instance"… */
export function describeHolder(file: AnalyzedFile, binding: Binding, kindWord: string): string {
  const a = /^[aeiou]/i.test(kindWord) ? 'an' : 'a';
  const cls = binding.owner as ts.ClassLikeDeclaration | undefined;
  switch (binding.kind) {
    case 'static': return `${a} ${kindWord} in a static field of ${ownerName(binding)}`;
    case 'field': return file.classes.get(cls!)?.singleton ? `${a} ${kindWord} held by the single ${ownerName(binding)} instance` : `${a} ${kindWord} held by each ${ownerName(binding)} instance`;
    case 'property': {
      const owner = binding.owner as Binding;
      return owner.kind === 'global' ? `${a} ${kindWord} on the global object` : `${a} ${kindWord} in the module-level object \`${owner.name}\``;
    }
    default: return binding.lifetime === 'local' ? `${a} ${kindWord} captured by code that keeps running after its function returns` : `a module-level ${kindWord}`;
  }
}

/**
 * Functions that fill a table from a bounded set of call sites, by their purpose: registries filled
 * at start-up by callers (`registerHandler`, `define`, `use`, `addPlugin`) and warn-once dedupe sets
 * (`warnOnce`, `deprecate`). Only when they repeat because unseen callers call them (exported, a
 * method); the same code in a request handler or listener is still flagged.
 */
const REGISTRATION = /^(register|define|declare|install|provide|use|extend|plugin|add(Plugin|Hook|Command|Rule|Format|Type|Language|Provider|Extension|Handler|Route|Middleware|Helper|Filter|Transform|Schema|Keyword|Method|Loader|Parser))|warn|deprecat|once$/i;

export function isRegistrationOrWarnOnce(repetition: Repetition): boolean {
  for (let rep: Repetition | undefined = repetition; rep; rep = rep.via) {
    if (rep.kind !== 'exported' && rep.kind !== 'method' && rep.kind !== 'called') return false;
    if (REGISTRATION.test(rep.name.replace(/^.*\./, ''))) return true;
  }
  return false;
}
