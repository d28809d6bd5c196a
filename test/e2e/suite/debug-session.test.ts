// Heapscope on the user's own debug session: a plain `node` launch configuration started with
// vscode.debug.startDebugging, watched through the JavaScript debugger's CDP proxy; and a script
// started by Heapscope's own launcher. Ending either leaves no process behind.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { copyDemo, processesMatching, sessionState, waitFor, workspaceRoot } from './util';

/** What runs, for a failure message. */
function nodeProcesses(): string {
  return processesMatching('node').map((pid) => {
    try {
      return `${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 200)}`;
    } catch {
      return `${pid}: (exited)`;
    }
  }).join('\n');
}

const LOAD = { PORT: '0', LOAD_RATE: '100', LOAD_MAX: '100000' };

describe('debug sessions', function () {
  this.timeout(120_000);
  const started: vscode.DebugSession[] = [];
  const listener = vscode.debug.onDidStartDebugSession((session) => started.push(session));
  after(async () => {
    listener.dispose();
    await vscode.debug.stopDebugging();
  });

  it('has the JavaScript debugger built in', () => {
    assert.ok(vscode.extensions.getExtension('ms-vscode.js-debug'), 'ms-vscode.js-debug is not installed');
  });

  it('watches a node launch configuration through js-debug\'s CDP proxy; stopping it leaves no process', async () => {
    const program = path.join(copyDemo('debugged-demo'), 'server.js');
    const commandLine = 'debugged-demo/server.js'; // js-debug starts `node ./debugged-demo/server.js`
    const folder = vscode.workspace.getWorkspaceFolder(workspaceRoot());
    const launched = await vscode.debug.startDebugging(folder, {
      type: 'node', request: 'launch', name: 'Debugged demo', program, env: LOAD, console: 'internalConsole',
    });
    assert.strictEqual(launched, true, 'startDebugging failed');
    // js-debug starts a parent session that launches, and a child that talks to the process.
    const target = await waitFor('js-debug\'s target session', () => started.find((s) => s.type === 'pwa-node' && s.parentSession !== undefined));
    const id = await vscode.commands.executeCommand<string>('heapscope.attachDebugSession', target.id);
    const session = await waitFor('3 samples through the proxy', async () => {
      const state = await sessionState(id);
      return state.samples >= 3 && state;
    });
    assert.strictEqual(session.origin, 'debug');
    assert.strictEqual(session.state, 'attached');
    assert.ok(processesMatching(commandLine).length > 0, `the debugged program is not running; node processes:\n${nodeProcesses()}`);

    await vscode.debug.stopDebugging(target.parentSession ?? target);
    await waitFor('the Heapscope session to end', async () => (await sessionState(id)).state !== 'attached');
    await waitFor('the debugged program to exit', () => processesMatching(commandLine).length === 0, 15_000);
  });

  it('launches a script with the memory monitor; stopping it leaves no process', async () => {
    // A script that keeps a little more every 50 ms and never ends by itself.
    const program = path.join(workspaceRoot().fsPath, 'launched-leak.js');
    fs.writeFileSync(program, 'const kept = [];\nsetInterval(() => kept.push(new Array(1000).fill(Math.random())), 50);\n');
    const id = await vscode.commands.executeCommand<string>('heapscope.launchScript', program);
    assert.match(id ?? '', /\S/, 'heapscope.launchScript returned no session id');
    await waitFor('3 samples from the launched script', async () => (await sessionState(id)).samples >= 3);
    assert.strictEqual((await sessionState(id)).origin, 'launch');
    assert.ok(processesMatching(program).length > 0, 'the launched program is not running');

    const debugSession = started.find((s) => s.type === 'heapscope');
    assert.ok(debugSession, `no heapscope debug session among ${started.map((s) => `${s.type}:${s.name}`).join(', ')}`);
    await vscode.debug.stopDebugging(debugSession);
    await waitFor('the Heapscope session to end', async () => (await sessionState(id)).state !== 'attached');
    await waitFor('the launched program to exit', () => processesMatching(program).length === 0, 15_000);
  });
});
