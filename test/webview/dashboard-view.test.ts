/**
 * The memory dashboard in a real Chromium, fed a real live session: stats sampled over CDP from a
 * program whose cache leaks, GC events it pushed, and engine/series' analysis of them.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FromWebview, SessionAction } from '../../protocol/messages';
import { LiveSession, recordLiveSession, removeFixtures } from './fixtures';
import { WebviewBrowser, WebviewPage } from './page';

/** Share of a chart canvas's pixels that are not transparent (uPlot draws on a clear canvas). */
async function chartInk(page: Page, index: number): Promise<number> {
  return page
    .locator('.chart canvas')
    .nth(index)
    .evaluate((canvas) => {
      const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return ink / (data.length / 4);
    });
}

/** The box each chart draws in: its container and everything uPlot put in it (title, canvas, legend). */
async function chartBoxes(page: Page): Promise<{ top: number; bottom: number; left: number; right: number }[]> {
  return page.locator('.chart').evaluateAll((charts) =>
    charts.map((chart) => {
      const rects = [chart, ...chart.querySelectorAll('*')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
      return { top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)), left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) };
    }),
  );
}

describe('memory dashboard (real Chromium, a real live session)', function () {
  this.timeout(120_000);
  let browser: WebviewBrowser;
  let session: LiveSession;
  let view: WebviewPage;
  let page: Page;

  before(async () => {
    [browser, session] = await Promise.all([WebviewBrowser.start(), recordLiveSession()]);
    let answered = false;
    view = await browser.open('dashboard', 'leaking-service.js', async (message, v) => {
      // Answer the first `ready` only: after a reload the page must redraw from its saved state.
      if (message.type !== 'ready' || answered) return;
      answered = true;
      await v.send({ type: 'session', session: { id: 's1', label: 'leaking-service.js (pid 4242)', state: 'attached', sampling: false } });
      // History first (as after a re-show), then the rest incrementally, then the analysis.
      const half = Math.floor(session.samples.length / 2);
      await v.send({ type: 'samples', samples: session.samples.slice(0, half), gcEvents: session.gcEvents, reset: true });
      await v.send({ type: 'samples', samples: session.samples.slice(half), gcEvents: [], reset: false });
      await v.send({ type: 'analysis', analysis: session.analysis });
    });
    page = view.page;
    await page.waitForSelector('.diagnosis[data-kind]');
  });

  after(async () => {
    await browser?.close();
    removeFixtures();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') return;
    assert.deepEqual(view.consoleErrors, []);
    assert.deepEqual(view.refused, []);
  });

  it('draws the memory and handle charts from the samples', async () => {
    assert.ok(session.samples.length >= 20, `recorded ${session.samples.length} samples`);
    await page.waitForSelector('.chart canvas');
    assert.equal(await page.locator('.chart canvas').count(), 2);
    assert.ok((await chartInk(page, 0)) > 0.01, 'memory chart has ink');
    assert.ok((await chartInk(page, 1)) > 0.005, 'handles chart has ink');
    const legend = await page.locator('.chart').first().innerText();
    for (const series of ['Heap used', 'RSS', 'External', 'Array buffers', 'Post-GC floor']) assert.ok(legend.includes(series), `legend has ${series}`);
    assert.match(await page.locator('.chart').nth(1).innerText(), /Timeout/, 'the handles chart names the timer type');
    await view.screenshot('dashboard');
  });

  it('stacks the charts without overlap in a narrow editor column', async () => {
    const width = 420;
    await page.setViewportSize({ width, height: 800 });
    try {
      // The charts follow their containers on ResizeObserver callbacks: give them a moment to settle.
      let boxes = await chartBoxes(page);
      for (const deadline = Date.now() + 5000; boxes.some((box) => box.right > width) && Date.now() < deadline; boxes = await chartBoxes(page)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(boxes.length, 2);
      const [memory, handles] = boxes;
      const intersect = memory.left < handles.right && handles.left < memory.right && memory.top < handles.bottom && handles.top < memory.bottom;
      assert.ok(!intersect, `memory chart ${JSON.stringify(memory)} and handles chart ${JSON.stringify(handles)} overlap`);
      for (const box of boxes) assert.ok(box.right <= width, `a chart reaches past the ${width} px column: ${JSON.stringify(box)}`);
      await view.screenshot('dashboard-narrow');
    } finally {
      await page.setViewportSize({ width: 1200, height: 800 });
    }
  });

  it('shows the engine diagnosis with its slope, evidence and next step', async () => {
    const { diagnosis } = session.analysis;
    const card = page.locator('.diagnosis');
    assert.equal(await card.getAttribute('data-kind'), diagnosis.kind);
    const text = await card.innerText();
    assert.ok(text.includes(diagnosis.next_step), 'next step shown');
    for (const line of diagnosis.evidence) assert.ok(text.includes(line), `evidence shown: ${line}`);
    assert.match(text, /Floor slope\s+[+-]?[\d.]+ MB\/h/);
    assert.match(await page.locator('.readings').innerText(), /Heap used\s+[\d.]+ MB of/);
  });

  it('posts an action message for each button; collecting garbage asks first', async () => {
    const posted = (action: SessionAction) => view.waitForPosted((m): m is Extract<FromWebview, { type: 'action' }> => m.type === 'action' && m.action === action);
    await page.locator('.actions [data-action="takeSnapshot"]').click();
    await posted('takeSnapshot');
    await page.locator('.actions [data-action="startSampling"]').click();
    await posted('startSampling');
    await page.locator('.actions [data-action="collectGarbage"]').click();
    assert.ok(!view.posted.some((m) => m.type === 'action' && m.action === 'collectGarbage'), 'nothing posted before confirming');
    assert.match(await page.locator('.confirm').innerText(), /pauses the target/);
    await view.screenshot('dashboard-confirm-gc');
    await page.locator('[data-action="confirmCollectGarbage"]').click();
    await posted('collectGarbage');
    await page.locator('.actions [data-action="detach"]').click();
    await posted('detach');
  });

  it('follows the session state: sampling flips the button, detaching disables the actions', async () => {
    await view.send({ type: 'session', session: { id: 's1', label: 'leaking-service.js (pid 4242)', state: 'attached', sampling: true } });
    await page.waitForSelector('.actions [data-action="stopSampling"]');
    await view.send({ type: 'actionState', action: 'takeSnapshot', state: 'running', progress: 0.4 });
    await page.waitForSelector('.action-status:text("Heap snapshot: running 40%")');
    await view.send({ type: 'session', session: { id: 's1', label: 'leaking-service.js (pid 4242)', state: 'detached', sampling: false } });
    await page.waitForSelector('.actions [data-action="takeSnapshot"][disabled]');
  });

  it('redraws charts and diagnosis from saved state after a hide/show, before the extension answers', async () => {
    await page.reload();
    await page.waitForSelector('.chart canvas');
    assert.ok((await chartInk(page, 0)) > 0.01);
    assert.equal(await page.locator('.diagnosis').getAttribute('data-kind'), session.analysis.diagnosis.kind);
  });

  it('rejects samples with missing or non-numeric fields', async () => {
    const bad = { ...session.samples[0], heapUsed: 'a lot' };
    await view.send({ type: 'samples', samples: [bad], gcEvents: [], reset: true });
    await view.send({ type: 'analysis', analysis: { ...session.analysis, diagnosis: { kind: 'doom' } } });
    await page.waitForSelector('body[data-rejected-messages="2"]', { state: 'attached' });
    assert.equal(await page.locator('.diagnosis').getAttribute('data-kind'), session.analysis.diagnosis.kind);
  });
});
