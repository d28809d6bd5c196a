/**
 * The flame graph in a real Chromium, fed the engine's flame trees of real profiles: a .heapprofile
 * written by `node --heap-prof`, and live + total sampling profiles read over CDP from a running
 * program. Paints (canvas pixels), click-to-source, zoom, search, live/total toggle.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FlameNode, FlameTree } from '../../protocol/profile';
import { FromWebview } from '../../protocol/messages';
import { heapProfileFile, recordLiveSession, removeFixtures } from './fixtures';
import { WebviewBrowser, WebviewPage } from './page';

const ROW_HEIGHT = 18;

/** Shares of canvas pixels that differ from the background, and that are saturated (not dimmed grey). */
async function paint(page: Page): Promise<{ painted: number; colourful: number }> {
  return page.locator('canvas.flame-canvas').evaluate((canvas) => {
    const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const [r, g, b] = [data[0], data[1], data[2]];
    let painted = 0;
    let colourful = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) painted++;
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) colourful++;
    }
    const pixels = data.length / 4;
    return { painted: painted / pixels, colourful: colourful / pixels };
  });
}

async function paintedShare(page: Page): Promise<number> {
  return (await paint(page)).painted;
}

/** The first frame (pre-order) with a script url, its depth and its byte offset within the root. */
function firstUserFrame(root: FlameNode, filter: (node: FlameNode) => boolean): { node: FlameNode; depth: number; start: number } | undefined {
  const stack = [{ node: root, depth: 0, start: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (filter(item.node)) return item;
    let x = item.start;
    const children = item.node.children.map((child) => {
      const at = { node: child, depth: item.depth + 1, start: x };
      x += child.totalBytes;
      return at;
    });
    stack.push(...children.reverse());
  }
  return undefined;
}

describe('flame graph (real Chromium, real profiles)', function () {
  this.timeout(120_000);
  let browser: WebviewBrowser;

  before(async () => {
    browser = await WebviewBrowser.start();
  });

  after(async () => {
    await browser?.close();
    removeFixtures();
  });

  describe('a .heapprofile file', () => {
    let view: WebviewPage;
    let page: Page;
    let tree: FlameTree;

    before(async () => {
      tree = (await heapProfileFile()).tree;
      view = await browser.open('flame', 'leaking-service.heapprofile', async (message, v) => {
        if (message.type === 'ready') await v.send({ type: 'profile', title: 'leaking-service.heapprofile', trees: [tree], sampling: false });
      });
      page = view.page;
      await page.waitForSelector('canvas.flame-canvas[data-drawn-frames]');
    });

    afterEach(() => assert.deepEqual(view.consoleErrors, []));

    it('paints frames on the canvas', async () => {
      assert.ok(Number(await page.getAttribute('canvas.flame-canvas', 'data-drawn-frames')) > 5);
      const share = await paintedShare(page);
      assert.ok(share > 0.02, `painted share ${share}`);
      await view.screenshot('flame-heapprofile');
    });

    it('posts openSource with the 0-based position when a frame with a script is clicked', async () => {
      const target = firstUserFrame(tree.root, (n) => n.name === 'makeBody' && n.line > 0);
      assert.ok(target, 'the profile has makeBody');
      const box = (await page.locator('canvas.flame-canvas').boundingBox())!;
      const x = box.x + ((target.start + target.node.totalBytes / 2) / tree.root.totalBytes) * box.width;
      const y = box.y + target.depth * ROW_HEIGHT + ROW_HEIGHT / 2;
      await page.mouse.move(x, y);
      await page.waitForSelector('.flame-tooltip:not([hidden])');
      assert.match(await page.locator('.flame-tooltip').innerText(), /makeBody[\s\S]*Self .* Total/);
      await page.mouse.click(x, y);
      const open = await view.waitForPosted((m): m is Extract<FromWebview, { type: 'openSource' }> => m.type === 'openSource');
      assert.match(open.url, /leaking-service\.js$/);
      assert.equal(open.line, target.node.line - 1);
      assert.equal(open.column, target.node.column - 1);
    });

    it('zooms into a frame on double-click and back out from the breadcrumb', async () => {
      const target = firstUserFrame(tree.root, (n) => n.name === 'renderPage')!;
      const box = (await page.locator('canvas.flame-canvas').boundingBox())!;
      const x = box.x + ((target.start + target.node.totalBytes / 2) / tree.root.totalBytes) * box.width;
      await page.mouse.dblclick(x, box.y + target.depth * ROW_HEIGHT + ROW_HEIGHT / 2);
      await page.waitForSelector('.crumb[aria-current="true"]:text("renderPage")');
      await view.screenshot('flame-zoomed');
      await page.locator('.crumb').first().click();
      await page.waitForSelector('.crumb[aria-current="true"]:text("(root)")');
    });

    it('follows the VS Code theme: the canvas background is the editor background', async () => {
      const pixel = (p: Page) =>
        p.locator('canvas.flame-canvas').evaluate((canvas) => {
          const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
          return Array.from(c.getContext('2d').getImageData(c.width - 1, c.height - 1, 1, 1).data.slice(0, 3));
        });
      // The bottom-right corner, below the deepest frame: background only.
      assert.deepEqual(await pixel(page), [0x1f, 0x1f, 0x1f], 'dark theme');
      const light = await browser.open('flame', 'light', async (message, v) => {
        if (message.type === 'ready') await v.send({ type: 'profile', title: 'light', trees: [tree], sampling: false });
      }, 'light');
      await light.page.waitForSelector('canvas.flame-canvas[data-draws]');
      assert.deepEqual(await pixel(light.page), [0xff, 0xff, 0xff], 'light theme');
      assert.ok((await paintedShare(light.page)) > 0.02, 'frames painted on the light background too');
      assert.equal(await light.page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(255, 255, 255)');
      await light.screenshot('flame-light-theme');
      await light.page.close();
    });

    it('is keyboard-usable: arrows select a frame, Enter zooms into it, Escape zooms out', async () => {
      await page.locator('.toolbar vscode-button').last().click(); // reset zoom
      await page.locator('canvas.flame-canvas').focus();
      await page.keyboard.press('ArrowDown');
      await page.waitForSelector('.flame-details strong');
      const selected = await page.locator('.flame-details strong').innerText();
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.crumb[aria-current="true"]:text-is("${selected}")`);
      const depth = await page.locator('.crumb').count();
      assert.ok(depth >= 2, 'zoomed below the root');
      await page.keyboard.press('Escape');
      await page.waitForFunction(`document.querySelectorAll('.crumb').length === ${depth - 1}`);
    });

    it('dims frames that do not match a search and counts the matches', async () => {
      const before = await paint(page);
      const draws = Number(await page.getAttribute('canvas.flame-canvas', 'data-draws'));
      await page.locator('vscode-textfield input').fill('makeBody');
      await page.waitForSelector('.toolbar .caption:text-matches("match")');
      assert.match(await page.locator('.toolbar .caption').innerText(), /^[1-9][\d,]* frames? match/);
      await page.waitForSelector(`canvas.flame-canvas:not([data-draws="${draws}"])`);
      const after = await paint(page);
      assert.ok(after.painted > 0.02, 'still painted');
      assert.ok(after.colourful < before.colourful * 0.7, `non-matching frames are dimmed: ${before.colourful} -> ${after.colourful}`);
      await view.screenshot('flame-search');
    });
  });

  describe('live sampling of a running program', () => {
    let view: WebviewPage;
    let page: Page;

    before(async () => {
      const { live, total } = await recordLiveSession();
      view = await browser.open('flame', 'Allocation sampling', async (message, v) => {
        if (message.type === 'ready') await v.send({ type: 'profile', title: 'leaking-service.js', trees: [live, total], sampling: true });
      });
      page = view.page;
      await page.waitForSelector('canvas.flame-canvas[data-drawn-frames]');
    });

    it('toggles between live objects and all allocations', async () => {
      const { live, total } = await recordLiveSession();
      assert.match(await page.locator('.stats').innerText(), new RegExp(`${live.sampleCount.toLocaleString('en-US')} samples`));
      await page.getByText('All allocations').click();
      await page.waitForSelector(`.stats:text("${total.sampleCount.toLocaleString('en-US')} samples")`);
      assert.ok((await paintedShare(page)) > 0.02);
      assert.match(await page.locator('h1').innerText(), /sampling/);
      await view.screenshot('flame-live-total');
    });

    it('keeps the zoomed frame when a live refresh of the profile arrives', async () => {
      const { live, total } = await recordLiveSession();
      const tree = total;
      const target = firstUserFrame(tree.root, (n) => n.name === 'serve')!;
      const box = (await page.locator('canvas.flame-canvas').boundingBox())!;
      const x = box.x + ((target.start + target.node.totalBytes / 2) / tree.root.totalBytes) * box.width;
      await page.mouse.dblclick(x, box.y + target.depth * ROW_HEIGHT + ROW_HEIGHT / 2);
      await page.waitForSelector('.crumb[aria-current="true"]:text-is("serve")');
      const draws = await page.getAttribute('canvas.flame-canvas', 'data-draws');
      await view.send({ type: 'profile', title: 'leaking-service.js', trees: [live, total], sampling: true });
      await page.waitForSelector(`canvas.flame-canvas:not([data-draws="${draws}"])`);
      assert.equal(await page.locator('.crumb[aria-current="true"]').innerText(), 'serve');
    });

    it('keeps the chosen mode across a hide/show (reload)', async () => {
      const { total } = await recordLiveSession();
      await page.reload();
      await page.waitForSelector('canvas.flame-canvas[data-drawn-frames]');
      assert.match(await page.locator('.stats').innerText(), new RegExp(`${total.sampleCount.toLocaleString('en-US')} samples`));
    });
  });
});
