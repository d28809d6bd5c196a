/**
 * Which values are big (file contents, buffers, response bodies, parsed documents, large arrays)
 * and which strings/buffers a slice would pin. Syntax first — where a value comes from — then the
 * declared type; never the value's name alone unless its type says it is text or bytes.
 */
import ts = require('typescript');
import { calleeName, calleeReceiver, expressionText, skipOuterExpressions, type AnalyzedFile, type Binding } from '../analyze';

export type BigKind = 'bytes' | 'string' | 'object';

export interface BigValue {
  readonly kind: BigKind;
  /** For messages: "the file read by readFileSync", "a response body". */
  readonly what: string;
}

const BYTE_TYPES = /^(Buffer|ArrayBuffer|SharedArrayBuffer|Uint8Array|Uint8ClampedArray|Int8Array|Uint16Array|Int16Array|Uint32Array|Int32Array|Float32Array|Float64Array|BigInt64Array|BigUint64Array|DataView|Blob)$/;
/** Names that, on a string- or bytes-typed value, mean document-sized content. */
const CONTENT_NAME = /^(contents?|body|rawBody|payload|html|markup|source|sourceText|text|fileText|document|doc|csv|xml|json|raw|input|page|template|data|buffer|buf|bytes|blob|file|fileContents|snapshot|log|dump|chunk|message|msg|packet|frame|response|res)$/i;
const FILE_READS = /^(readFileSync|readFile)$/;
const BODY_READS = /^(text|json|arrayBuffer|buffer|blob|formData|bytes)$/;

function unwrap(expr: ts.Expression): ts.Expression {
  let e = skipOuterExpressions(expr);
  while (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  return e;
}

/** Is the (unwrapped) expression a big value, judging by where it comes from? */
export function bigExpression(file: AnalyzedFile, expr: ts.Expression, depth = 0): BigValue | undefined {
  const e = unwrap(expr);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(e)) {
    const binding = file.bindingOf(e);
    return binding && binding.kind !== 'global' ? bigBinding(file, binding, depth + 1) : undefined;
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const prop of e.properties) {
      const big = ts.isPropertyAssignment(prop) ? bigExpression(file, prop.initializer, depth + 1) : undefined;
      if (big) return { kind: 'object', what: big.what.startsWith('an object holding') ? big.what : `an object holding ${big.what}` };
    }
    return undefined;
  }
  if (ts.isNewExpression(e)) {
    const name = calleeName(e);
    if (name && BYTE_TYPES.test(name)) return { kind: 'bytes', what: `a \`new ${name}\`` };
    if (name === 'Array' && e.arguments?.length === 1) return { kind: 'object', what: 'a preallocated array' };
    return undefined;
  }
  if (ts.isTemplateExpression(e) || ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts = ts.isTemplateExpression(e) ? e.templateSpans.map((s) => s.expression) : [e.left, e.right];
    for (const part of parts) {
      const big = bigExpression(file, part, depth + 1);
      if (big && big.kind !== 'object') return { kind: 'string', what: big.what };
    }
    return undefined;
  }
  // `req.body`, `event.payload`, `msg.data` read off a parameter: a request or message body
  if (ts.isPropertyAccessExpression(e) && /^(body|rawBody|payload|files|buffer)$/.test(e.name.text)) {
    const root = skipOuterExpressions(e.expression);
    const owner = ts.isIdentifier(root) ? file.bindingOf(root) : undefined;
    if (owner?.kind === 'param') return { kind: e.name.text === 'buffer' ? 'bytes' : 'object', what: `the ${e.name.text === 'files' ? 'uploaded files' : 'body'} \`${expressionText(e)}\`` };
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const name = calleeName(e);
  const receiver = calleeReceiver(e);
  const receiverText = receiver ? expressionText(receiver) : '';
  if (!name) return undefined;
  if (FILE_READS.test(name)) {
    const encoding = e.arguments[1];
    const text = encoding ? encoding.getText() : '';
    const isString = /utf-?8|encoding|latin1|ascii|base64|hex|ucs2|utf16le/i.test(text);
    return { kind: isString ? 'string' : 'bytes', what: `the file read by ${name}` };
  }
  if (receiverText === 'Buffer' && /^(alloc|allocUnsafe|allocUnsafeSlow|concat|from)$/.test(name)) {
    if (name === 'from' && e.arguments[0] && ts.isStringLiteralLike(unwrap(e.arguments[0]))) return undefined;
    return { kind: 'bytes', what: `a Buffer from Buffer.${name}` };
  }
  if (receiverText === 'JSON' && name === 'parse') return { kind: 'object', what: 'a parsed JSON document' };
  if (receiverText === 'JSON' && name === 'stringify') return { kind: 'string', what: 'a JSON.stringify result' };
  if (BODY_READS.test(name) && receiver && e.arguments.length === 0) {
    return { kind: name === 'text' ? 'string' : name === 'json' ? 'object' : 'bytes', what: 'a response body' };
  }
  if (name === 'toString' || name === 'join' || name === 'repeat' || name === 'padEnd') {
    const from = receiver ? bigExpression(file, receiver, depth + 1) : undefined;
    if (from) return { kind: 'string', what: from.what };
    if (name === 'repeat') return { kind: 'string', what: 'a repeated string' };
    return undefined;
  }
  if (/^(split|map|filter|slice|concat|flat|flatMap|sort|match|matchAll|entries|values)$/.test(name) && receiver) {
    const from = bigExpression(file, receiver, depth + 1);
    if (from && name !== 'slice') return { kind: 'object', what: from.what.startsWith('an array built from') ? from.what : `an array built from ${from.what}` };
    return undefined;
  }
  if (receiverText === 'Array' && name === 'from') return { kind: 'object', what: 'an array from Array.from' };
  if (name === 'String' && e.arguments[0]) {
    const from = bigExpression(file, e.arguments[0], depth + 1);
    return from ? { kind: 'string', what: from.what } : undefined;
  }
  return undefined;
}

/** Is the binding's value big: by its initializer, by being a file-read callback's data, or by a bytes/content type? */
export function bigBinding(file: AnalyzedFile, binding: Binding, depth = 0): BigValue | undefined {
  for (const value of [binding.initializer, ...binding.assignments]) {
    const big = value && bigExpression(file, value, depth);
    if (big) return big;
  }
  if (binding.kind === 'param' && binding.declaration) {
    const param = binding.declaration.parent;
    const fn = ts.isParameter(param) ? param.parent : undefined;
    if (fn && ts.isParameter(param) && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(fn.parent)) {
      const call = fn.parent;
      const index = fn.parameters.indexOf(param);
      if (FILE_READS.test(calleeName(call) ?? '') && index === 1) return { kind: 'bytes', what: 'the file contents passed to the readFile callback' };
    }
    const typeText = binding.typeNode?.getText() ?? '';
    if (BYTE_TYPES.test(typeText)) return { kind: 'bytes', what: `the ${typeText} \`${binding.name}\`` };
    if (/^string$/.test(typeText) && CONTENT_NAME.test(binding.name)) return { kind: 'string', what: `the string \`${binding.name}\`` };
  }
  return undefined;
}
