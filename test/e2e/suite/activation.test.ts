// The extension stays dormant until the user opens JS/TS code, then registers everything it contributes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { heapscope, openNewFile, waitFor } from './util';

interface ContributedCommand { command: string }

describe('activation', () => {
  it('is loaded but not active before any JS/TS file or command', () => {
    assert.strictEqual(heapscope().isActive, false);
  });

  it('activates when a JavaScript file opens', async () => {
    await openNewFile('hello.js', 'console.log("hello");\n');
    await waitFor('the extension to activate', () => heapscope().isActive);
  });

  it('registers every command its manifest contributes', async () => {
    const manifest = heapscope().packageJSON as { contributes?: { commands?: ContributedCommand[] } };
    const contributed = (manifest.contributes?.commands ?? []).map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });
});
