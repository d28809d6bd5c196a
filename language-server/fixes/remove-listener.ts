/**
 * Quick fixes for listener-leak: remove the same function on the owner's close path.
 *
 * - In a class with a close/dispose method, for listeners added in the constructor or a set-up
 *   method: keep the listener in a local, register a disposer in a `disposers` field, and run
 *   the disposers in close()/dispose().
 * - In a per-connection / per-request handler: keep the listener in a local and remove it when
 *   the connection (or response) emits 'close' (or 'disconnect' where the file uses it).
 */
import ts = require('typescript');
import { expressionText, skipOuterExpressions, type AnalyzedFile, type Repetition } from '../analyze';
import { closeMethods, thisClass } from '../facts/lifetime';
import type { ListenerAdd } from '../rules/listener-leak';
import type { Fix, TextEdit } from '../rules/rule';
import { containingStatement, indentOf, insertBefore, replaceNode } from './edits';
import { prependToBody } from './cleanup-edits';
import { effectWithoutCleanup, returnCleanup } from './cleanup-edits';

const SETUP_METHOD = /^(constructor|start|init|initialize|mount|connect|open|listen|attach|setup|activate|register|begin|run|bind|enable)$/i;

export function listenerRemovalFixes(file: AnalyzedFile, add: ListenerAdd, rep: Repetition): Fix[] {
  if (add.method === 'subscribe') return [];
  const statement = containingStatement(add.call);
  if (!statement || !ts.isExpressionStatement(statement) || skipOuterExpressions(statement.expression) !== add.call) return [];
  if (!canExtract(file, add.listener)) return [];
  const fixes: Fix[] = [];
  const effect = effectWithoutCleanup(add.call);
  if (effect) return [effectFix(file, add, statement, effect)];
  const classFix = disposerFix(file, add, statement);
  if (classFix) fixes.push(classFix);
  const closeFix = classFix ? undefined : closeEventFix(file, add, rep, statement);
  if (closeFix) fixes.push(closeFix);
  return fixes;
}

function removeMethodFor(add: ListenerAdd): string {
  return add.method === 'addEventListener' ? 'removeEventListener' : 'removeListener';
}

/** In TS an extracted arrow loses its contextual parameter types: only extract when none are needed. */
function canExtract(file: AnalyzedFile, listener: ts.Expression): boolean {
  const fn = skipOuterExpressions(listener);
  if (!file.isTypeScript || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return true;
  return fn.parameters.every((p) => p.type !== undefined);
}

function listenerName(file: AnalyzedFile, add: ListenerAdd): string {
  const words = (add.event ?? 'event').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const base = 'on' + words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
  let name = /^on[A-Za-z]/.test(base) ? base : 'onEvent';
  for (let i = 2; file.bindings.some((b) => b.name === name); i++) name = `${base}${i}`;
  return name;
}

/** Edits that name the listener in a local (if it is not already a plain reference) and return its expression. */
function nameListener(file: AnalyzedFile, add: ListenerAdd, statement: ts.Statement): { edits: TextEdit[]; ref: string } {
  const fn = skipOuterExpressions(add.listener);
  if (ts.isIdentifier(fn)) return { edits: [], ref: fn.text };
  const name = listenerName(file, add);
  return {
    edits: [
      insertBefore(file, statement, `const ${name} = ${add.listener.getText(file.sourceFile)};`),
      replaceNode(file, add.listener, name),
    ],
    ref: name,
  };
}

function eventArg(file: AnalyzedFile, add: ListenerAdd): string {
  return add.eventNode ? add.eventNode.getText(file.sourceFile) : "''";
}

function effectFix(file: AnalyzedFile, add: ListenerAdd, statement: ts.Statement, effect: ts.Block): Fix {
  return {
    title: `Return a cleanup from the effect that removes the ${add.event ? `'${add.event}' ` : ''}listener from \`${expressionText(add.target)}\``,
    edits() {
      const named = nameListener(file, add, statement);
      const target = calleeTargetText(file, add);
      return [...named.edits, returnCleanup(file, effect, `${target}.${removeMethodFor(add)}(${eventArg(file, add)}, ${named.ref})`)];
    },
  };
}

/** The receiver as written, or `window` for a bare `addEventListener(…)`. */
function calleeTargetText(file: AnalyzedFile, add: ListenerAdd): string {
  return add.target.pos >= 0 ? add.target.getText(file.sourceFile) : 'window';
}

function disposerFix(file: AnalyzedFile, add: ListenerAdd, statement: ts.Statement): Fix | undefined {
  const cls = thisClass(add.call);
  if (!cls) return undefined;
  const method = enclosingMember(add.call, cls);
  if (!method || !SETUP_METHOD.test(ts.isConstructorDeclaration(method) ? 'constructor' : method.name.getText())) return undefined;
  const close = closeMethods(cls)[0];
  if (!close?.body) return undefined;
  const closeName = close.name.getText();
  return {
    title: `Remove the ${add.event ? `'${add.event}' ` : ''}listener from \`${expressionText(add.target)}\` in ${closeName}()`,
    edits() {
      const named = nameListener(file, add, statement);
      const target = add.target.getText(file.sourceFile);
      const hasField = cls.members.some((m) => m.name?.getText() === 'disposers');
      const edits: TextEdit[] = [...named.edits];
      const indent = indentOf(file, statement);
      const after = statement.getEnd();
      edits.push({ start: after, end: after, newText: `\n${indent}this.disposers.push(() => ${target}.${removeMethodFor(add)}(${eventArg(file, add)}, ${named.ref}));` });
      if (!hasField) {
        const first = cls.members[0];
        const fieldText = file.isTypeScript ? 'private readonly disposers: Array<() => void> = [];' : 'disposers = [];';
        if (first) edits.push(insertBefore(file, first, fieldText));
        else {
          const open = cls.members.pos;
          edits.push({ start: open, end: open, newText: `\n  ${fieldText}\n` });
        }
      }
      const body = close.body!;
      const inner = body.statements[0] ? indentOf(file, body.statements[0]) : `${indentOf(file, close)}  `;
      edits.push(prependToBody(file, body, 'for (const dispose of this.disposers.splice(0)) dispose();', inner));
      return edits;
    },
  };
}

function enclosingMember(node: ts.Node, cls: ts.ClassLikeDeclaration): ts.MethodDeclaration | ts.ConstructorDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n && n !== cls; n = n.parent) {
    if ((ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n)) && n.parent === cls) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
  return undefined;
}

/** The per-connection object of a handler: the socket of a 'connection' listener, `res` of a request handler. */
function connectionParam(rep: Repetition): ts.Identifier | undefined {
  const fn = rep.node;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn))) return undefined;
  const params = fn.parameters.map((p) => p.name).filter(ts.isIdentifier);
  if (rep.kind === 'request') return params[1];
  if (rep.kind === 'event' && rep.event && /^(connection|connect|open|session|client|upgrade)$/.test(rep.event)) return params[0];
  return undefined;
}

function closeEventFix(file: AnalyzedFile, add: ListenerAdd, rep: Repetition, statement: ts.Statement): Fix | undefined {
  const owner = connectionParam(rep);
  if (!owner) return undefined;
  const closeEvent = rep.kind === 'event' && /\.on\(\s*['"]disconnect['"]/.test(file.text) ? 'disconnect' : 'close';
  const ownerName = owner.text;
  return {
    title: `Remove the ${add.event ? `'${add.event}' ` : ''}listener from \`${expressionText(add.target)}\` when \`${ownerName}\` emits '${closeEvent}'`,
    edits() {
      const named = nameListener(file, add, statement);
      const target = add.target.getText(file.sourceFile);
      const indent = indentOf(file, statement);
      const after = statement.getEnd();
      return [
        ...named.edits,
        { start: after, end: after, newText: `\n${indent}${ownerName}.on('${closeEvent}', () => ${target}.${removeMethodFor(add)}(${eventArg(file, add)}, ${named.ref}));` },
      ];
    },
  };
}
