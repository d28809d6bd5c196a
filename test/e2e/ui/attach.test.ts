// What a person sees of a live session: attach from the Command Palette (which is also what
// activates the extension in this still-empty workspace), the dashboard's rising chart and
// diagnosis card, a snapshot whose dominator tree expands, and an allocation flame graph that paints.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { runCommand, screenshot, webviewShowing, workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

interface Target { pid: number; inspectorPort: number; httpUrl: string }

/** The demo service under heavy load, with an inspector on a free port, in its own process group. */
function startDemo(): Promise<Target> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(REPO, 'demo', 'server.js')], {
    env: { ...process.env, PORT: '0', LOAD_RATE: '200', LOAD_MAX: '100000' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const inspector = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      const http = /listening on (http:\/\/\S+)/.exec(output);
      if (inspector && http && child.pid) resolve({ pid: child.pid, inspectorPort: Number(inspector[1]), httpUrl: http[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the demo exited (code ${code}):\n${output}`)));
  });
}

/** Share of a canvas's pixels that differ from its top-left pixel (0 = blank). */
function paintedShare(frame: FrameLocator, selector: string): Promise<number> {
  return frame.locator(selector).first().evaluate((element) => {
    // Runs in the page; typed structurally because this project compiles without the DOM library.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const canvas = element as unknown as Canvas;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) painted++;
    }
    return painted / (data.length / 4);
  });
}

/** Clicks a button of the modal dialog the workbench shows (e.g. the snapshot warning). */
async function answerDialog(page: Page, button: string): Promise<void> {
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
}

describe('a live session in the workbench', function () {
  this.timeout(180_000);
  let target: Target;

  before(async () => {
    target = await startDemo();
  });
  after(() => {
    try {
      process.kill(-target.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('attaches from the Command Palette: the command activates the extension', async () => {
    const page = await workbench();
    await runCommand(page, 'Heapscope: Attach to Node Process');
    const picker = page.locator('.quick-input-widget', { hasText: 'Attach to Node Process' });
    await picker.waitFor({ timeout: 60_000 });
    await page.locator('.quick-input-widget input').fill(String(target.inspectorPort));
    await page.keyboard.press('Enter');
    // The status bar's Heapscope item shows the live heap once samples arrive.
    await page.locator('.statusbar-item', { hasText: /\d MB/ }).first().waitFor();
  });

  it('opens the dashboard: the memory chart rises and the diagnosis card names the leak', async () => {
    const page = await workbench();
    await runCommand(page, 'Heapscope: Open Memory Dashboard');
    const dashboard = await webviewShowing(page, '.card.diagnosis[data-kind="handles"]', undefined, 90_000);
    // Right after attaching, start-up garbage can make the floor dip: wait for it to turn upwards.
    const slope = dashboard.locator('.card.diagnosis .fact', { hasText: 'Floor slope' }).locator('.fact-value');
    for (const started = Date.now(); !/^\+/.test(await slope.innerText()); await page.waitForTimeout(1000)) {
      if (Date.now() - started > 90_000) assert.fail(`the post-GC floor is not rising: ${await slope.innerText()}`);
    }
    assert.ok(await paintedShare(dashboard, '.chart canvas') > 0.01, 'the memory chart is blank');
    await screenshot(page, 'dashboard');
  });

  it('takes a snapshot from the dashboard; its dominator tree expands', async () => {
    const page = await workbench();
    await (await webviewShowing(page, '.card.diagnosis')).locator('vscode-button[data-action="takeSnapshot"]').first().click();
    await answerDialog(page, 'Take Snapshot');
    await page.locator('.tab.active', { hasText: '.heapsnapshot' }).waitFor({ timeout: 90_000 });
    const viewer = await webviewShowing(page, 'vscode-tabs[aria-label="Snapshot views"]', undefined, 60_000);
    await viewer.getByText('Dominators', { exact: true }).click();
    const tree = viewer.locator('[aria-label="Dominator tree"]');
    const top = tree.locator('.vt-row[aria-level="1"]').first();
    await top.waitFor({ timeout: 90_000 });
    // The biggest dominator is the demo's cachedPage closure: its context holds the renderedPages Map.
    assert.match(await top.innerText(), /cachedPage/);
    await top.locator('.twisty.closed').click();
    const context = tree.locator('.vt-row[aria-level="2"]', { hasText: 'system / Context' }).first();
    await context.locator('.twisty.closed').click();
    assert.match(await tree.locator('.vt-row[aria-level="3"]').first().innerText(), /Map/);
    await screenshot(page, 'snapshot-dominator-tree');
  });

  it('samples allocations and paints the flame graph', async () => {
    const page = await workbench();
    await runCommand(page, 'Heapscope: Start Allocation Sampling');
    await page.waitForTimeout(5_000);
    await runCommand(page, 'Heapscope: Stop Allocation Sampling');
    await page.locator('.tab.active', { hasText: '.heapprofile' }).waitFor({ timeout: 60_000 });
    const flame = await webviewShowing(page, 'h1', '.heapprofile');
    await flame.locator('canvas.flame-canvas[data-drawn-frames]').waitFor();
    assert.ok(await paintedShare(flame, 'canvas.flame-canvas') > 0.02, 'the flame graph is blank');
    await screenshot(page, 'flame-graph');
  });

  it('detaches from the dashboard, and the target keeps serving', async () => {
    const page = await workbench();
    await runCommand(page, 'Heapscope: Open Memory Dashboard');
    const dashboard = await webviewShowing(page, '.badge.state-attached');
    await dashboard.locator('vscode-button[data-action="detach"]').click();
    await dashboard.locator('.badge.state-detached').waitFor();
    await screenshot(page, 'dashboard-detached');
    const response = await fetch(`${target.httpUrl}/products/1`);
    assert.strictEqual(response.status, 200);
  });
});
