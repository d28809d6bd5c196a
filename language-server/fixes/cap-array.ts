/**
 * Quick fix for growing-array: before each statement that appends to the array, drop the oldest
 * elements so it never holds more than a named constant (`LOG_MAX_LENGTH = 1000`).
 */
import ts = require('typescript');
import type { AnalyzedFile, Binding } from '../analyze';
import { constantNameFor } from '../collections';
import type { Fix } from '../rules/rule';
import { mergeEdits } from './bound-cache';
import { containingStatement, declaresTopLevel, insertBefore, topLevelStatement } from './edits';

export const DEFAULT_MAX_LENGTH = 1000;

/** `growthCalls`: the `arr.push(x)` / `arr.unshift(x)` calls that run repeatedly. */
export function capArrayFix(file: AnalyzedFile, binding: Binding, growthCalls: readonly ts.CallExpression[]): Fix | undefined {
  const declaration = binding.initializer ?? binding.declaration;
  const anchor = declaration && topLevelStatement(declaration);
  const constant = constantNameFor(binding, 'MAX_LENGTH');
  if (!anchor || declaresTopLevel(file, constant) || growthCalls.length === 0) return undefined;
  const statements = growthCalls.map((call) => ({ call, statement: containingStatement(call) }));
  if (statements.some((s) => !s.statement || !ts.isPropertyAccessExpression(s.call.expression))) return undefined;
  return {
    title: `Cap \`${binding.name}\` at ${constant} = ${DEFAULT_MAX_LENGTH} elements, dropping the oldest before each ${growthCalls.length > 1 ? 'addition' : (growthCalls[0].expression as ts.PropertyAccessExpression).name.text}`,
    edits: () => mergeEdits([
      insertBefore(file, anchor, `const ${constant} = ${DEFAULT_MAX_LENGTH};`),
      ...statements.map(({ call, statement }) => {
        const target = (call.expression as ts.PropertyAccessExpression).expression.getText(file.sourceFile);
        // push adds at the end, so the oldest are at the front; unshift adds at the front
        const drop = (call.expression as ts.PropertyAccessExpression).name.text === 'unshift'
          ? `${target}.length = ${constant} - 1;`
          : `${target}.splice(0, ${target}.length - ${constant} + 1);`;
        return insertBefore(file, statement!, `if (${target}.length >= ${constant}) ${drop}`);
      }),
    ]),
  };
}
