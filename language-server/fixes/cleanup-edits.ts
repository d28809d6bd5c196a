/**
 * Edits shared by the listener and timer fixes: React effects clean up by returning a function
 * (`useEffect(() => { …; return () => undo(); })`), and cleanup code goes first in a close method.
 */
import ts = require('typescript');
import { calleeName, type AnalyzedFile } from '../analyze';
import type { TextEdit } from '../rules/rule';
import { indentOf } from './edits';

const EFFECT_HOOKS = /^(useEffect|useLayoutEffect|useInsertionEffect)$/;

/** The block body of the effect callback directly around `node`, when it has no cleanup yet. */
export function effectWithoutCleanup(node: ts.Node): ts.Block | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const call = n.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== n || !EFFECT_HOOKS.test(calleeName(call) ?? '')) return undefined;
    if (!ts.isBlock(n.body) || n.body.statements.some(ts.isReturnStatement)) return undefined;
    return n.body;
  }
  return undefined;
}

/** Inserts a statement at the start of a block: on its own line, or inline when the block is written on one line. */
export function prependToBody(file: AnalyzedFile, body: ts.Block, statement: string, indent: string): TextEdit {
  const at = body.getStart(file.sourceFile) + 1;
  const first = body.statements[0];
  const sameLine = first && !file.text.slice(at, first.getStart(file.sourceFile)).includes('\n');
  return { start: at, end: at, newText: sameLine ? ` ${statement}` : `\n${indent}${statement}` };
}

/** Appends `return () => <cleanup>;` as the effect's last statement. */
export function returnCleanup(file: AnalyzedFile, body: ts.Block, cleanup: string): TextEdit {
  const last = body.statements[body.statements.length - 1];
  const indent = last ? indentOf(file, last) : `${indentOf(file, body)}  `;
  let at = last ? last.getEnd() : body.getStart(file.sourceFile) + 1;
  // keep a trailing `// comment` with its statement
  const lineEnd = file.text.indexOf('\n', at);
  if (last && lineEnd > 0 && /^[ \t]*(\/\/.*)?$/.test(file.text.slice(at, lineEnd))) at = lineEnd;
  return { start: at, end: at, newText: `\n${indent}return () => ${cleanup};` };
}
