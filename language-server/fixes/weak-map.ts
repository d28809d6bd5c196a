/**
 * Quick fix for unbounded-cache: a Map/Set whose keys are objects, used only through
 * get/set/has/delete (never iterated or sized), becomes a WeakMap/WeakSet, so each entry dies
 * with its key object.
 */
import ts = require('typescript');
import { skipOuterExpressions, type AnalyzedFile, type Binding } from '../analyze';
import type { Fix } from '../rules/rule';
import { mergeEdits } from './bound-cache';
import { replaceNode } from './edits';

const WEAK_METHODS = { Map: new Set(['get', 'set', 'has', 'delete']), Set: new Set(['add', 'has', 'delete']) };

/** Is `key` certainly an object (so it can be a WeakMap key)? Uses the type checker in TS files. */
function isObjectKey(file: AnalyzedFile, key: ts.Expression): boolean {
  const expr = skipOuterExpressions(key);
  if (expr.kind === ts.SyntaxKind.ThisKeyword || ts.isNewExpression(expr) || ts.isObjectLiteralExpression(expr) || ts.isFunctionLike(expr)) return true;
  if (file.isTypeScript) {
    const checker = file.typeChecker();
    const type = checker.getTypeAtLocation(expr);
    const nonObject = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike
      | ts.TypeFlags.BooleanLike | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.TypeParameter | ts.TypeFlags.Void;
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((t) => (t.flags & nonObject) === 0 && (t.flags & ts.TypeFlags.Object) !== 0);
  }
  // JS: an identifier used as an object in its scope (`key.prop`, `key.method()`), never in string/number context.
  if (!ts.isIdentifier(expr)) return false;
  const binding = file.bindingOf(expr);
  if (!binding || binding.kind === 'global') return false;
  const init = binding.initializer && skipOuterExpressions(binding.initializer);
  if (init && (ts.isNewExpression(init) || ts.isObjectLiteralExpression(init))) return true;
  let usedAsObject = false;
  for (const ref of binding.references) {
    const parent = ref.node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === ref.node) usedAsObject = true;
    if (ts.isTemplateSpan(parent) || ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken || ts.isPrefixUnaryExpression(parent)) return false;
  }
  return usedAsObject;
}

export function weakMapFix(file: AnalyzedFile, binding: Binding, kind: 'Map' | 'Set', keys: readonly (ts.Expression | undefined)[]): Fix | undefined {
  const init = binding.initializer && skipOuterExpressions(binding.initializer);
  if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || (init.arguments?.length ?? 0) > 0) return undefined;
  if (keys.length === 0 || keys.some((k) => !k || !isObjectKey(file, k))) return undefined;
  const allowed = WEAK_METHODS[kind];
  const onlyKeyedAccess = binding.references.every((ref) => ref.use.kind === 'declare' || ref.use.kind === 'call' && allowed.has(ref.use.method)
    || ref.use.kind === 'assign' && ref.use.value === binding.initializer);
  if (!onlyKeyedAccess) return undefined;
  const weak = kind === 'Map' ? 'WeakMap' : 'WeakSet';
  const what = kind === 'Map' ? 'each entry is dropped when its key object is collected' : 'each value is dropped when it is collected';
  const calleeNode = init.expression;
  return {
    title: `Change \`${binding.name}\` from a ${kind} to a ${weak} (${what})`,
    edits: () => {
      const typeNode = binding.typeNode;
      return mergeEdits([
        replaceNode(file, calleeNode, weak),
        typeNode && ts.isTypeReferenceNode(typeNode) && ts.isIdentifier(typeNode.typeName) && typeNode.typeName.text === kind ? replaceNode(file, typeNode.typeName, weak) : undefined,
      ]);
    },
  };
}
