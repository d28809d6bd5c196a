/**
 * Building blocks for quick fixes: where to insert a statement, a module-level constant, an import
 * or a helper, and how to indent it. Fixes produce `TextEdit`s (offsets into the analysed text).
 */
import ts = require('typescript');
import type { AnalyzedFile } from '../analyze';
import type { TextEdit } from '../rules/rule';

export function replaceNode(file: AnalyzedFile, node: ts.Node, newText: string): TextEdit {
  return { start: node.getStart(file.sourceFile), end: node.getEnd(), newText };
}

/** The statement (in a block, case clause or the file) that contains `node`. */
export function containingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isStatement(n) && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent) || ts.isModuleBlock(n.parent))) return n;
    if (ts.isArrowFunction(n) || ts.isClassLike(n)) return undefined;
  }
  return undefined;
}

/** The top-level statement of the file that contains `node`. */
export function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n.parent && ts.isSourceFile(n.parent)) return n as ts.Statement;
  return undefined;
}

/** The indentation of the line `node` starts on. */
export function indentOf(file: AnalyzedFile, node: ts.Node): string {
  const start = node.getStart(file.sourceFile);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart, start))?.[0] ?? '';
}

/** Inserts `lines` (already without indentation) on their own lines before `statement`, at its indentation. */
export function insertBefore(file: AnalyzedFile, statement: ts.Node, lines: string): TextEdit {
  const start = statement.getStart(file.sourceFile);
  const indent = indentOf(file, statement);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  const onOwnLine = file.text.slice(lineStart, start).trim() === '';
  const body = lines.split('\n').map((l) => (l ? indent + l : l)).join('\n');
  return onOwnLine ? { start: lineStart, end: lineStart, newText: `${body}\n` } : { start, end: start, newText: `${lines.replace(/\n/g, ' ')} ` };
}

/** Where imports/requires end: new top-level helpers go after them (offset + whether a blank line is needed). */
export function afterImports(file: AnalyzedFile): number {
  let offset = 0;
  for (const statement of file.sourceFile.statements) {
    const isImport = ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)
      || ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => d.initializer && /^require\(/.test(d.initializer.getText(file.sourceFile)))
      || ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression); // 'use strict'
    if (!isImport) break;
    offset = statement.getEnd();
  }
  if (offset === 0) {
    // keep a leading comment block / shebang at the top
    const firstStatement = file.sourceFile.statements[0];
    return firstStatement ? file.text.lastIndexOf('\n', firstStatement.getStart(file.sourceFile) - 1) + 1 : file.text.length;
  }
  const lineEnd = file.text.indexOf('\n', offset);
  return lineEnd === -1 ? file.text.length : lineEnd + 1;
}

/** Is the file an ES module (import/export syntax) rather than CommonJS? */
export function isEsModule(file: AnalyzedFile): boolean {
  if (/\.mjs$|\.mts$/.test(file.fileName)) return true;
  if (/\.cjs$|\.cts$/.test(file.fileName)) return false;
  return file.sourceFile.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s)
    || ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

const topLevelNames = new WeakMap<AnalyzedFile, ReadonlySet<string>>();

/** Is a top-level name already declared in the file (so an inserted helper/constant would clash)? */
export function declaresTopLevel(file: AnalyzedFile, name: string): boolean {
  let names = topLevelNames.get(file);
  if (!names) {
    names = new Set(file.bindings.filter((b) => b.scopeNode === file.sourceFile && b.kind !== 'global').map((b) => b.name));
    topLevelNames.set(file, names);
  }
  return names.has(name);
}

/** An import of `names` from `module` in the file's module style, or undefined if already imported. */
export function importEdit(file: AnalyzedFile, module: string, name: string): TextEdit | undefined {
  if (declaresTopLevel(file, name)) return undefined;
  const offset = afterImports(file);
  const line = isEsModule(file) || file.isTypeScript ? `import { ${name} } from '${module}';\n` : `const { ${name} } = require('${module}');\n`;
  return { start: offset, end: offset, newText: line };
}
