/**
 * Rule 5, retained-slice: a small piece of a big buffer or string kept long-term pins the whole
 * parent. `buf.subarray()` and `Buffer#slice()` are views that share the parent's memory; in V8 a
 * substring of 13 or more characters (`substring`, `slice`, `substr`, regexp captures, `split`
 * parts) is a SlicedString that points at its parent. Keeping such a piece in a long-lived
 * collection or field keeps every parent alive (Go's sub-slice trap, in JavaScript).
 *
 * Not flagged: copies (`Buffer.from(view)`, `Buffer.concat`, `toString()`, `(' ' + s).slice(1)`,
 * `JSON.parse` values), `Uint8Array#slice` (it copies), substrings shorter than 13 characters,
 * slices used within the call, slices of values not known to be big.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, isInside, skipOuterExpressions, type AnalyzedFile, type Binding, type Repetition } from '../analyze';
import { bigExpression } from '../facts/big-values';
import { allCalls, holderLife, repetitionOf, rootOf, targetOutlives, type Outlives } from '../facts/lifetime';
import { copySliceFix } from '../fixes/copy-slice';
import type { Rule, RuleContext } from './rule';

/** V8 copies substrings shorter than this (SlicedString::kMinLength). */
const MIN_SLICED_LENGTH = 13;
const STRING_NAME = /^(contents?|body|rawBody|payload|html|markup|source|text|document|csv|xml|raw|input|page|template|message|msg|line|log|output|stdout|stderr|response|str|string)$/i;
const BUFFER_NAME = /^(chunk|buf|buffer|data|packet|frame|message|msg|bytes|payload|readBuffer|record|block|body|raw)$/i;
const BUFFER_ONLY_METHOD = /^((read|write)(U?Int|Float|Double|BigU?Int)\w*|copy|equals|swap(16|32|64)|readUIntBE|compare)$/;
const STORE_METHODS = /^(set|push|add|unshift|splice|enqueue)$/;

export type SliceKind = 'bytes' | 'string';

export interface RetainedSlice {
  readonly slice: ts.Expression;
  readonly parent: ts.Expression;
  readonly kind: SliceKind;
  /** What the parent is, for messages. */
  readonly parentWhat: string;
  /** The expression handed to the long-lived holder (the one a copy should wrap). */
  readonly stored: ts.Expression;
  readonly holder: ts.Expression;
  readonly outlives: Outlives;
  readonly rep: Repetition;
  readonly wholeArray: boolean;
}

export const retainedSlice: Rule = {
  id: 'retained-slice',
  defaultSeverity: 'warning',
  title: 'Small slice of a big buffer or string kept long-term pins the whole parent',
  description: 'Flags subarray/Buffer#slice views and V8 sliced strings (substring/slice/substr of 13+ characters, regexp captures, '
    + 'split parts) of big buffers or strings — file contents, response bodies, network chunks — that are kept in a long-lived '
    + 'collection or field: each kept piece keeps its whole parent alive. Copies, Uint8Array#slice, short substrings and slices '
    + 'used only within the call are not flagged. Fix: copy the piece (`Buffer.from(view)`, `(\' \' + s).slice(1)`; `String(s)` does not copy).',
  check(ctx: RuleContext) {
    const file = ctx.file;
    for (const call of allCalls(file)) {
      const origin = sliceOrigin(file, call);
      if (!origin) continue;
      const store = findStore(file, origin.expr, 0, origin.wholeArray);
      if (!store || isRemainder(origin, store)) continue;
      const finding: RetainedSlice = { slice: origin.expr, parent: origin.parent, kind: origin.kind, parentWhat: origin.what, wholeArray: !!origin.wholeArray, ...store };
      ctx.report({
        node: call, message: messageFor(finding), fixes: [copySliceFix(file, finding)],
        related: [{ node: store.stored, message: `kept in \`${expressionText(store.holder)}\` here` }],
      });
    }
  },
};

/**
 * `this.pending = buf.subarray(offset)`, `queue.unshift(buf.subarray(n, buf.length))`: a parser
 * keeping the unconsumed tail of its input until the next read — mostly the tail itself.
 */
function isRemainder(origin: Origin, store: Store): boolean {
  const call = skipOuterExpressions(origin.expr);
  if (!ts.isCallExpression(call) || origin.wholeArray) return false;
  // `this.html = this.html.substring(pos)`: the holder drops its parent for the piece
  if (expressionText(store.holder) === expressionText(origin.parent) || store.stored.parent && ts.isBinaryExpression(store.stored.parent)
    && expressionText(store.stored.parent.left) === expressionText(origin.parent)) return true;
  if (origin.kind !== 'bytes') return call.arguments.length === 1 && ts.isBinaryExpression(store.stored.parent) && store.stored.parent.right === store.stored;
  const end = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  const parentText = expressionText(origin.parent);
  return call.arguments.length === 1 || !!end && ts.isPropertyAccessExpression(end) && end.name.text === 'length' && expressionText(end.expression) === parentText;
}

interface Origin {
  /** The expression whose value is the pinned piece(s): the slice call, a capture `m[1]`, a split result. */
  readonly expr: ts.Expression;
  readonly parent: ts.Expression;
  readonly kind: SliceKind;
  readonly what: string;
  /** A split/match/exec array: only elements picked out of it are small pieces of the parent. */
  readonly wholeArray?: boolean;
}

function sliceOrigin(file: AnalyzedFile, call: ts.CallExpression): Origin | undefined {
  const method = calleeName(call);
  const receiver = calleeReceiver(call);
  if (!method) return undefined;
  if (method === 'exec' && receiver && call.arguments[0]) {
    const subject = call.arguments[0];
    const what = bigStringWhat(file, subject);
    return what ? { expr: call, parent: subject, kind: 'string', what, wholeArray: true } : undefined;
  }
  if (!receiver) return undefined;
  if (method === 'subarray') {
    const what = bytesWhat(file, receiver) ?? `\`${expressionText(receiver)}\``;
    return { expr: call, parent: receiver, kind: 'bytes', what };
  }
  if (method === 'slice' && isBuffer(file, receiver)) {
    return { expr: call, parent: receiver, kind: 'bytes', what: bytesWhat(file, receiver) ?? `the Buffer \`${expressionText(receiver)}\`` };
  }
  if (/^(slice|substring|substr|match|split|trim|trimStart|trimEnd)$/.test(method)) {
    if (method !== 'match' && method !== 'split' && isShortLiteralRange(call, method)) return undefined;
    const what = bigStringWhat(file, receiver) ?? (isTruncation(call) && stringish(file, receiver) ? `the string \`${expressionText(receiver)}\`, truncated here because it can be long` : undefined);
    return what ? { expr: call, parent: receiver, kind: 'string', what, wholeArray: method === 'match' || method === 'split' } : undefined;
  }
  return undefined;
}

/** `s.slice(0, 8)`: both ends literal and the piece shorter than V8's sliced-string minimum (a copy). */
function isShortLiteralRange(call: ts.CallExpression, method: string): boolean {
  const [a, b] = call.arguments.map((x) => skipOuterExpressions(x));
  const num = (e: ts.Expression | undefined) => (e && ts.isNumericLiteral(e) ? Number(e.text) : undefined);
  const start = num(a);
  const end = num(b);
  if (method === 'trim' || method === 'trimStart' || method === 'trimEnd') return false;
  if (start === undefined || end === undefined) return false;
  const length = method === 'substr' ? end : end - start;
  return length < MIN_SLICED_LENGTH;
}

/** `s.slice(0, N)` / `substring(0, N)` / `substr(0, N)`: keeping a bounded head of something that may be long. */
function isTruncation(call: ts.CallExpression): boolean {
  const [a, b] = call.arguments.map((x) => skipOuterExpressions(x));
  return !!a && ts.isNumericLiteral(a) && a.text === '0' && !!b && (ts.isNumericLiteral(b) && Number(b.text) >= MIN_SLICED_LENGTH || ts.isIdentifier(b) && /^[A-Z][A-Z0-9_]*$/.test(b.text));
}

function bindingOfExpr(file: AnalyzedFile, expr: ts.Expression): Binding | undefined {
  const e = skipOuterExpressions(expr);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? file.bindingOf(e) : undefined;
}

function bigStringWhat(file: AnalyzedFile, expr: ts.Expression): string | undefined {
  if (checkedKind(file, skipOuterExpressions(expr)) === 'other') return undefined;
  const big = bigExpression(file, expr);
  if (big) return big.kind === 'string' ? big.what : undefined;
  const e = skipOuterExpressions(expr);
  // `res.body`, `req.rawBody`, `response.text`: request/response bodies
  if (ts.isPropertyAccessExpression(e) && /^(body|rawBody|text|data|payload|html)$/.test(e.name.text) && !isBuffer(file, e)) return `\`${expressionText(e)}\``;
  const binding = bindingOfExpr(file, e);
  if (binding?.kind === 'param' && !binding.typeNode && STRING_NAME.test(binding.name)) return undefined; // untyped: only as truncation
  return undefined;
}

/** Probably a string: typed so, or an untyped value named like text. */
function stringish(file: AnalyzedFile, expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  const checked = checkedKind(file, e);
  if (checked) return checked === 'string';
  const binding = bindingOfExpr(file, e);
  const typeText = binding?.typeNode?.getText();
  if (typeText) return typeText === 'string';
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return STRING_NAME.test(name);
}

/**
 * What the type checker knows about a TS value: a string, something else (an array, an object),
 * or nothing (`any`, an unresolved import type). JS files are left to provenance and names.
 */
function checkedKind(file: AnalyzedFile, expr: ts.Expression): 'string' | 'other' | undefined {
  if (!file.isTypeScript) return undefined;
  const type = file.typeChecker().getTypeAtLocation(expr);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return undefined;
  if (type.flags & ts.TypeFlags.StringLike) return 'string';
  if (type.isUnion() && type.types.every((t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null))) return 'string';
  if (type.isUnion() && type.types.some((t) => t.flags & ts.TypeFlags.Any)) return undefined;
  // an unresolved named type (`Buffer` without @types/node) is an error type: unknown
  const name = file.typeChecker().typeToString(type);
  return /^(any|error)$/.test(name) ? undefined : 'other';
}

function bytesWhat(file: AnalyzedFile, expr: ts.Expression): string | undefined {
  const big = bigExpression(file, expr);
  if (big?.kind === 'bytes') return big.what;
  const binding = bindingOfExpr(file, expr);
  if (binding && isDataListenerParam(binding)) return `the network chunk \`${binding.name}\` (up to 64 KiB)`;
  return undefined;
}

/** A parameter of an `.on('data', (chunk) => …)` / `'message'` listener: a chunk handed over by a stream or socket. */
function isDataListenerParam(binding: Binding): boolean {
  if (binding.kind !== 'param' || !binding.declaration) return false;
  const param = binding.declaration.parent;
  const fn = ts.isParameter(param) ? param.parent : undefined;
  const call = fn?.parent;
  if (!fn || !call || !ts.isCallExpression(call) || !/^(on|once|addListener)$/.test(calleeName(call) ?? '')) return false;
  const event = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  return !!event && ts.isStringLiteralLike(event) && /^(data|message|chunk|packet|frame)$/.test(event.text);
}

/** Is the expression a Node Buffer (so `.slice` is a view)? */
function isBuffer(file: AnalyzedFile, expr: ts.Expression): boolean {
  const big = bigExpression(file, expr);
  if (big) return big.kind === 'bytes' && /Buffer|file read|readFile|network/.test(big.what);
  const binding = bindingOfExpr(file, expr);
  if (!binding) return false;
  const typeText = binding.typeNode?.getText();
  if (typeText) return /^Buffer\b/.test(typeText);
  if (isDataListenerParam(binding)) return true;
  const usesBufferApi = binding.references.some((r) => r.use.kind === 'call' && (BUFFER_ONLY_METHOD.test(r.use.method)
    || r.use.method === 'toString' && r.use.call.arguments.length > 0 && ts.isStringLiteralLike(skipOuterExpressions(r.use.call.arguments[0]))));
  return usesBufferApi || BUFFER_NAME.test(binding.name) && binding.references.some((r) => r.use.kind === 'call' && r.use.method === 'subarray');
}

interface Store {
  readonly stored: ts.Expression;
  readonly holder: ts.Expression;
  readonly outlives: Outlives;
  readonly rep: Repetition;
}

/** Follows the piece's value (through locals, object/array literals, `m[1]`, destructuring) to a long-lived holder. */
function findStore(file: AnalyzedFile, expr: ts.Expression, depth: number, wholeArray = false): Store | undefined {
  if (depth > 4) return undefined;
  let value: ts.Node = expr;
  for (;;) {
    const p = value.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isConditionalExpression(p) && p.condition !== value
      || ts.isBinaryExpression(p) && /^(\|\||\?\?)$/.test(p.operatorToken.getText()) || ts.isAwaitExpression(p)) value = p;
    else break;
  }
  const parent = value.parent;
  // a regexp result or split array: its elements are the pieces
  if (ts.isElementAccessExpression(parent) && parent.expression === value) return findStore(file, parent, depth + 1);
  if (ts.isVariableDeclaration(parent) && parent.initializer === value) {
    if (ts.isIdentifier(parent.name)) return viaBinding(file, file.bindingOf(parent.name), depth, wholeArray);
    if (ts.isArrayBindingPattern(parent.name)) {
      for (const element of parent.name.elements) {
        if (ts.isBindingElement(element) && ts.isIdentifier(element.name)) {
          const found = viaBinding(file, file.bindingOf(element.name), depth);
          if (found) return found;
        }
      }
    }
    return undefined;
  }
  if (wholeArray) return undefined;
  if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipOuterExpressions(parent.left);
    if (ts.isIdentifier(target)) {
      const binding = file.bindingOf(target);
      if (binding && binding.lifetime === 'local') return viaBinding(file, binding, depth);
      return storeIn(file, target, value as ts.Expression, parent);
    }
    const holder = ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target) ? target.expression : undefined;
    if (!holder) return undefined;
    if (skipOuterExpressions(holder).kind === ts.SyntaxKind.ThisKeyword) return storeIn(file, target, value as ts.Expression, parent);
    return storeIn(file, holder, value as ts.Expression, parent);
  }
  if ((ts.isPropertyAssignment(parent) && parent.initializer === value || ts.isShorthandPropertyAssignment(parent)) && ts.isObjectLiteralExpression(parent.parent)) {
    const found = findStore(file, parent.parent, depth + 1);
    return found ? { ...found, stored: value as ts.Expression } : undefined;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const found = findStore(file, parent, depth + 1);
    return found ? { ...found, stored: value as ts.Expression } : undefined;
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(value as ts.Expression)) {
    const method = calleeName(parent);
    const receiver = calleeReceiver(parent);
    if (!method || !receiver || !STORE_METHODS.test(method)) return undefined;
    if (method === 'set' && parent.arguments[0] === value) return undefined; // a key, not a value
    return storeIn(file, receiver, value as ts.Expression, parent);
  }
  return undefined;
}

function viaBinding(file: AnalyzedFile, binding: Binding | undefined, depth: number, wholeArray = false): Store | undefined {
  if (!binding) return undefined;
  for (const ref of binding.references) {
    if (ref.use.kind === 'declare' || ref.use.kind === 'assign') continue;
    const found = findStore(file, ref.node, depth + 1, wholeArray);
    if (found) return found;
  }
  return undefined;
}

function storeIn(file: AnalyzedFile, holder: ts.Expression, stored: ts.Expression, site: ts.Node): Store | undefined {
  const rep = repetitionOf(file, site);
  if (!rep || !rootOf(holder)) return undefined;
  const outlives = targetOutlives(file, holder, rep, site);
  if (!outlives) return undefined;
  return { stored, holder, outlives, rep };
}

function messageFor(f: RetainedSlice): string {
  const piece = f.wholeArray ? `\`${truncate(f.stored.getText())}\`, a piece of \`${truncate(f.slice.getText())}\`,` : `\`${truncate(f.slice.getText())}\``;
  const holder = `\`${expressionText(f.holder)}\``;
  const kept = f.wholeArray || isInside(f.stored, f.slice) || f.stored === f.slice ? '' : ` (as \`${truncate(f.stored.getText())}\`)`;
  if (f.kind === 'bytes') {
    return `${piece} is a view that shares memory with ${f.parentWhat}, and it is kept in ${holder}${kept} ${holderLife(f.outlives, f.holder)}: `
      + `each kept view pins its whole parent buffer, once per run of ${f.rep.name}. Copy it with \`Buffer.from(…)\`.`;
  }
  return `${piece} is a V8 sliced string (13+ characters) that points into ${f.parentWhat}, and it is kept in ${holder}${kept} ${holderLife(f.outlives, f.holder)}: `
    + `each kept piece pins its whole parent string, once per run of ${f.rep.name}. Copy it, e.g. \`(' ' + s).slice(1)\` (\`String(s)\` and \`s + ''\` do not copy).`;
}

function truncate(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 48 ? `${one.slice(0, 45)}…` : one;
}
