// The language server flags the demo's three leaks inline, and the bound-the-cache quick fix removes
// the cache's diagnostic. The demo's own files are the fixtures: what a newcomer sees is what is tested.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { openNewFile, REPO, waitFor } from './util';

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' && code !== null ? code.value : code);
}

function heapscopeDiagnostics(uri: vscode.Uri, rule: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'heapscope' && codeOf(d) === rule);
}

function demoSource(file: string): string {
  return fs.readFileSync(path.join(REPO, 'demo', file), 'utf8');
}

describe('language server diagnostics', () => {
  const demoLeaks: Array<[file: string, rule: string, names: string]> = [
    ['catalog-cache.js', 'unbounded-cache', 'renderedPages'],
    ['price-feed.js', 'listener-leak', 'priceFeed'],
    ['session-refresh.js', 'timer-leak', 'setInterval'],
  ];
  for (const [file, rule, names] of demoLeaks) {
    it(`flags ${rule} in the demo's ${file}`, async () => {
      const editor = await openNewFile(file, demoSource(file));
      const [diagnostic] = await waitFor(`a ${rule} diagnostic`, () => {
        const found = heapscopeDiagnostics(editor.document.uri, rule);
        return found.length > 0 && found;
      });
      assert.match(diagnostic.message, new RegExp(names));
      assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    });
  }

  it('flags the same leak in TypeScript', async () => {
    const source = demoSource('catalog-cache.js').replace('function cachedPage(url, render)', 'export function cachedPage(url: string, render: () => string): string')
      .replace(/module\.exports = .*\n/, '').replace("'use strict';\n", '');
    const editor = await openNewFile('catalog-cache.ts', source);
    await waitFor('an unbounded-cache diagnostic in a .ts file', () => heapscopeDiagnostics(editor.document.uri, 'unbounded-cache').length > 0);
  });

  it('applies the bound-the-cache quick fix, and the diagnostic goes away', async () => {
    const editor = await openNewFile('bounded-cache.js', demoSource('catalog-cache.js'));
    const document = editor.document;
    const [diagnostic] = await waitFor('an unbounded-cache diagnostic', () => {
      const found = heapscopeDiagnostics(document.uri, 'unbounded-cache');
      return found.length > 0 && found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const bound = actions.find((action) => /^Bound `renderedPages`/.test(action.title));
    assert.ok(bound, `no bound-the-cache fix among: ${actions.map((action) => action.title).join(' | ')}`);
    const before = document.getText();
    if (bound.edit) assert.ok(await vscode.workspace.applyEdit(bound.edit), 'the fix edit was rejected');
    if (bound.command) await vscode.commands.executeCommand(bound.command.command, ...(bound.command.arguments ?? []));
    assert.notStrictEqual(document.getText(), before, 'the fix changed nothing');
    await waitFor('the unbounded-cache diagnostic to go away', () => heapscopeDiagnostics(document.uri, 'unbounded-cache').length === 0);
    assert.match(document.getText(), /renderedPages/);
  });
});
