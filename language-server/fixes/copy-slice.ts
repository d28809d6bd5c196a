/**
 * Quick fix for retained-slice: copy the piece where it is stored, so it no longer shares its
 * parent's memory. Buffers: `Buffer.from(view)` allocates and copies. Strings: `(' ' + s).slice(1)`
 * flattens into a new string (measured in V8: `String(s)`, `s + ''` and template literals return
 * the same sliced string and keep the parent alive).
 */
import ts = require('typescript');
import { skipOuterExpressions, type AnalyzedFile } from '../analyze';
import type { RetainedSlice } from '../rules/retained-slice';
import type { Fix } from '../rules/rule';
import { replaceNode } from './edits';

export function copySliceFix(file: AnalyzedFile, finding: RetainedSlice): Fix {
  const target = finding.stored;
  const inner = skipOuterExpressions(target);
  const text = inner.getText(file.sourceFile);
  const needsParens = !(ts.isIdentifier(inner) || ts.isCallExpression(inner) || ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner));
  const operand = needsParens ? `(${text})` : text;
  if (finding.kind === 'bytes') {
    return {
      title: `Copy \`${short(text)}\` with Buffer.from() so it no longer pins the whole buffer`,
      edits: () => [replaceNode(file, inner, `Buffer.from(${operand})`)],
    };
  }
  return {
    title: `Copy \`${short(text)}\` into a new string so it no longer pins the whole string`,
    edits: () => [replaceNode(file, inner, `(' ' + ${operand}).slice(1)`)],
  };
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}…` : one;
}
