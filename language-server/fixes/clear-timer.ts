/**
 * Quick fixes for timer-leak: keep the timer's id and clear it on the owner's close path.
 *
 * - In a class: store the id in a field (declared in TS), clear it in close()/dispose() (adding
 *   a dispose() when the class has no close path), and clear the old one before a method re-arms.
 * - In a per-connection / per-request handler: keep the id in a local and clear it in the
 *   connection's existing 'close' handler, or in a new one.
 */
import ts = require('typescript');
import { calleeName, isInside, skipOuterExpressions, type AnalyzedFile, type Repetition } from '../analyze';
import { allCalls, CLOSE_EVENTS, closeMethods, literalText, sameObject, thisClass } from '../facts/lifetime';
import type { Fix, TextEdit } from '../rules/rule';
import { containingStatement, indentOf, insertBefore } from './edits';
import { prependToBody } from './cleanup-edits';
import { effectWithoutCleanup, returnCleanup } from './cleanup-edits';

export function clearTimerFixes(file: AnalyzedFile, call: ts.CallExpression, rep: Repetition, holder: ts.Expression | undefined): Fix[] {
  const clearName = calleeName(call) === 'setInterval' ? 'clearInterval' : 'clearTimeout';
  const statement = containingStatement(call);
  if (!statement) return [];
  const effect = effectWithoutCleanup(call);
  if (effect) {
    const fix = effectFix(file, call, statement, clearName, holder, effect);
    return fix ? [fix] : [];
  }
  const cls = thisClass(call);
  const fix = cls ? classFix(file, call, cls, statement, clearName, holder) : connectionFix(file, call, rep, statement, clearName, holder);
  return fix ? [fix] : [];
}

function effectFix(file: AnalyzedFile, call: ts.CallExpression, statement: ts.Statement, clearName: string, holder: ts.Expression | undefined, effect: ts.Block): Fix | undefined {
  const h = holder && skipOuterExpressions(holder);
  if (h && !ts.isIdentifier(h)) return undefined;
  const dropped = !h && ts.isExpressionStatement(statement) && skipOuterExpressions(statement.expression) === call;
  if (!h && !dropped) return undefined;
  const idName = h ? h.text : freeLocalName(file, 'timer');
  return {
    title: `Return a cleanup from the effect that clears \`${idName}\``,
    edits() {
      const edits: TextEdit[] = [];
      if (!h) {
        const at = statement.getStart(file.sourceFile);
        edits.push({ start: at, end: at, newText: `const ${idName} = ` });
      }
      edits.push(returnCleanup(file, effect, `${clearName}(${idName})`));
      return edits;
    },
  };
}

function freeFieldName(cls: ts.ClassLikeDeclaration, base: string): string {
  const taken = new Set(cls.members.map((m) => m.name?.getText()));
  const text = cls.getText();
  let name = base;
  for (let i = 2; taken.has(name) || new RegExp(`this\\.${name}\\b`).test(text); i++) name = `${base}${i}`;
  return name;
}

function isThisField(holder: ts.Expression | undefined): holder is ts.PropertyAccessExpression {
  const h = holder && skipOuterExpressions(holder);
  return !!h && ts.isPropertyAccessExpression(h) && skipOuterExpressions(h.expression).kind === ts.SyntaxKind.ThisKeyword;
}

function classFix(file: AnalyzedFile, call: ts.CallExpression, cls: ts.ClassLikeDeclaration, statement: ts.Statement, clearName: string, holder: ts.Expression | undefined): Fix | undefined {
  if (holder && !isThisField(holder)) return undefined;
  const droppedStatement = !holder && ts.isExpressionStatement(statement) && skipOuterExpressions(statement.expression) === call;
  if (!holder && !droppedStatement) return undefined;
  const field = holder ? holder.getText(file.sourceFile) : `this.${freeFieldName(cls, 'timer')}`;
  const close = closeMethods(cls)[0];
  const method = file.enclosingFunction(call);
  const rearms = !!method && ts.isMethodDeclaration(method) && method.parent === cls && method !== close;
  const closeName = close ? close.name.getText() : 'dispose';
  const title = close
    ? `Clear \`${field}\` in ${closeName}()${rearms ? ' and before it is re-armed' : ''}`
    : `Add dispose() that clears \`${field}\`${rearms ? ', and clear it before it is re-armed' : ''}`;
  return {
    title,
    edits() {
      const edits: TextEdit[] = [];
      if (!holder) {
        const at = statement.getStart(file.sourceFile);
        edits.push({ start: at, end: at, newText: `${field} = ` });
        if (file.isTypeScript) {
          const first = cls.members[0];
          const decl = `private ${field.slice(5)}?: ReturnType<typeof ${calleeName(call)}>;`;
          if (first) edits.push(insertBefore(file, first, decl));
        }
      }
      if (rearms) edits.push(insertBefore(file, statement, `${clearName}(${field});`));
      if (close?.body) {
        const body = close.body;
        const inner = body.statements[0] ? indentOf(file, body.statements[0]) : `${indentOf(file, close)}  `;
        edits.push(prependToBody(file, body, `${clearName}(${field});`, inner));
      } else {
        const indent = cls.members[0] ? indentOf(file, cls.members[0]) : '  ';
        const end = cls.getEnd() - 1; // before the closing brace
        const signature = file.isTypeScript ? 'dispose(): void' : 'dispose()';
        edits.push({ start: end, end, newText: `\n${indent}${signature} {\n${indent}  ${clearName}(${field});\n${indent}}\n` });
      }
      return edits;
    },
  };
}

/** The per-connection object of a handler: a 'connection' listener's socket, a request handler's `res`. */
function connectionParam(rep: Repetition): ts.Identifier | undefined {
  const fn = rep.node;
  if (!ts.isFunctionLike(fn)) return undefined;
  const params = fn.parameters.map((p) => p.name).filter(ts.isIdentifier);
  if (rep.kind === 'request') return params[1];
  if (rep.kind === 'event' && rep.event && /^(connection|connect|open|session|client|upgrade)$/.test(rep.event)) return params[0];
  return undefined;
}

function connectionFix(file: AnalyzedFile, call: ts.CallExpression, rep: Repetition, statement: ts.Statement, clearName: string, holder: ts.Expression | undefined): Fix | undefined {
  const owner = connectionParam(rep) ?? paramWithCloseHandler(file, rep);
  if (!owner) return undefined;
  const h = holder && skipOuterExpressions(holder);
  if (h && !ts.isIdentifier(h)) return undefined;
  const droppedStatement = !h && ts.isExpressionStatement(statement) && skipOuterExpressions(statement.expression) === call;
  if (!h && !droppedStatement) return undefined;
  const idName = h ? h.text : freeLocalName(file, 'timer');
  const handler = closeHandler(file, rep, owner);
  const event = handler?.event ?? (/\.on\(\s*['"]disconnect['"]/.test(file.text) && rep.kind === 'event' ? 'disconnect' : 'close');
  return {
    title: `Clear \`${idName}\` when \`${owner.text}\` emits '${event}'`,
    edits() {
      const edits: TextEdit[] = [];
      if (!h) {
        const at = statement.getStart(file.sourceFile);
        edits.push({ start: at, end: at, newText: `const ${idName} = ` });
      }
      if (handler && ts.isBlock(handler.body)) {
        const body = handler.body;
        const inner = body.statements[0] ? indentOf(file, body.statements[0]) : `${indentOf(file, handler.call)}  `;
        edits.push(prependToBody(file, body, `${clearName}(${idName});`, inner));
      } else if (handler) {
        const body = handler.body;
        edits.push({ start: body.getStart(file.sourceFile), end: body.getEnd(), newText: `{ ${clearName}(${idName}); ${body.getText(file.sourceFile)}; }` });
      } else {
        const end = statement.getEnd();
        edits.push({ start: end, end, newText: `\n${indentOf(file, statement)}${owner.text}.on('${event}', () => ${clearName}(${idName}));` });
      }
      return edits;
    },
  };
}

/** A parameter of the repeating function that already has a close-style handler registered in it. */
function paramWithCloseHandler(file: AnalyzedFile, rep: Repetition): ts.Identifier | undefined {
  const fn = rep.node;
  if (!ts.isFunctionLike(fn)) return undefined;
  return fn.parameters.map((p) => p.name).filter(ts.isIdentifier).find((p) => closeHandler(file, rep, p));
}

function freeLocalName(file: AnalyzedFile, base: string): string {
  let name = base;
  for (let i = 2; file.bindings.some((b) => b.name === name); i++) name = `${base}${i}`;
  return name;
}

/** An existing `owner.on('close', (…) => …)` inside the handler, to add the clear to. */
function closeHandler(file: AnalyzedFile, rep: Repetition, owner: ts.Identifier): { call: ts.CallExpression; body: ts.ConciseBody; event: string } | undefined {
  for (const c of allCalls(file)) {
    if (!isInside(c, rep.node) || !/^(on|once)$/.test(calleeName(c) ?? '')) continue;
    const event = literalText(c.arguments[0]);
    const receiver = ts.isPropertyAccessExpression(c.expression) ? c.expression.expression : undefined;
    const fn = c.arguments[1] && skipOuterExpressions(c.arguments[1]);
    if (!event || !CLOSE_EVENTS.has(event) || !receiver || !sameObject(file, receiver, owner)) continue;
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return { call: c, body: fn.body, event };
  }
  return undefined;
}
