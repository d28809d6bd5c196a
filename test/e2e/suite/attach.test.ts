// Attach to Node Process on a real leaky program (the demo service under its own load): samples
// stream in, the series reaches the right diagnosis, a snapshot opens in Heapscope's viewer and
// names the leaking collection, and detaching lets go of the process.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { REPO, sessionState, startTarget, testState, waitFor, type Target } from './util';

describe('attach to a running Node process', function () {
  this.timeout(180_000);
  let target: Target;
  let sessionId: string;

  before(async () => {
    // 200 requests/s: each request leaks a cache entry, a listener and an interval timer.
    target = await startTarget(path.join(REPO, 'demo', 'server.js'), { PORT: '0', LOAD_RATE: '200', LOAD_MAX: '100000' });
  });
  after(async () => {
    await target?.stop();
  });

  it('attaches by inspector port and streams heap samples', async () => {
    sessionId = await vscode.commands.executeCommand<string>('heapscope.attach', target.inspectorPort);
    assert.match(sessionId, /\S/, 'heapscope.attach returned no session id');
    const session = await waitFor('5 heap samples', async () => {
      const state = await sessionState(sessionId);
      return state.samples >= 5 && state;
    });
    assert.strictEqual(session.state, 'attached');
    // heapscope.openDashboardOnAttach (default on): the dashboard opened by itself, beside, without taking focus.
    const dashboard = await waitFor('the memory dashboard to open', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('heapscope.dashboard')));
    assert.ok(!dashboard.isActive || !dashboard.group.isActive, 'the dashboard took the focus');
    assert.ok(session.heapUsed !== null && session.heapUsed > 1024 * 1024, `implausible heapUsed ${session.heapUsed}`);
  });

  it('diagnoses the growth: a handle per request (the interval timers)', async () => {
    const session = await waitFor('a confident diagnosis', async () => {
      const state = await sessionState(sessionId);
      return state.diagnosis && state.diagnosis.kind !== 'healthy' && state.diagnosis.confidence >= 0.3 && state;
    }, 90_000);
    assert.strictEqual(session.diagnosis?.kind, 'handles', JSON.stringify(session.diagnosis));
    assert.match(session.diagnosis?.evidence.join(' ') ?? '', /Timeout/i);
  });

  it('captures a snapshot that opens in the snapshot viewer and names the leaking cache', async () => {
    const file = await vscode.commands.executeCommand<string>('heapscope.takeSnapshot', sessionId, { confirmed: true });
    assert.ok(fs.statSync(file).size > 1024 * 1024, 'the snapshot file is implausibly small');
    const tab = await waitFor('the snapshot viewer tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'heapscope.snapshotViewer' && input;
    });
    assert.strictEqual(tab.uri.fsPath, file);
    // The viewer's own progress bar follows the worker while the snapshot loads, then the snapshot replaces it.
    const sent = await waitFor('the viewer to get the loaded snapshot', async () => {
      const counts = (await testState()).webviewMessagesSent;
      return (counts.snapshotReady ?? 0) > 0 && counts;
    });
    assert.ok((sent.snapshotProgress ?? 0) > 0, `the viewer got no load progress: ${JSON.stringify(sent)}`);
    interface Suspect { title: string; path: Array<{ edgeName: string; node: { className: string } }>; location?: { scriptName: string } }
    const suspects = await vscode.commands.executeCommand<Suspect[]>('heapscope.showSuspects', file);
    assert.ok(suspects.length > 0, 'no leak suspects');
    // The top suspect is held through the `renderedPages` Map, allocated in catalog-cache.js.
    const [top] = suspects;
    const holder = top.path.find((step) => step.edgeName === 'renderedPages');
    assert.strictEqual(holder?.node.className, 'Map', `top suspect: ${top.title}, path ${top.path.map((step) => step.edgeName).join(' > ')}`);
    assert.strictEqual(path.basename(top.location?.scriptName ?? ''), 'catalog-cache.js');
  });

  it('samples allocations into a .heapprofile that opens as a flame graph', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('heapscope.startSampling', sessionId, { live: false }), true);
    await waitFor('the session to be sampling', async () => (await sessionState(sessionId)).sampling);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const file = await vscode.commands.executeCommand<string>('heapscope.stopSampling', sessionId);
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { head?: { children?: unknown[] }; samples?: unknown[] };
    assert.ok(profile.head?.children?.length, 'the profile has no call tree');
    const tab = await waitFor('the flame graph tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'heapscope.profileViewer' && input;
    });
    assert.strictEqual(tab.uri.fsPath, file);
  });

  it('detaches and leaves the target as it found it', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('heapscope.detach', sessionId), true);
    await waitFor('the session to be detached', async () => (await sessionState(sessionId)).state === 'detached');
    // The target keeps serving on its own: detaching neither killed nor paused it.
    const url = /listening on (http:\/\/\S+)/.exec(target.output())?.[1];
    assert.ok(url, `the demo did not say where it listens:\n${target.output()}`);
    const response = await fetch(`${url}/products/1`);
    assert.strictEqual(response.status, 200);
  });
});
