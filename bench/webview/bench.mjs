// Webview rendering benchmark: bundle size, the flame graph at 100k frames, and scrolling a
// million-row table, in the same headless Chromium and page builder as the webview tests.
// Run: bash bench/webview/run.sh   (writes bench/webview/RESULTS.md)
// The data here is synthetic on purpose: the point is scale (100k frames, 1M rows), which the
// real fixtures of the tests do not reach.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { WebviewBrowser, buildBundle } = require(path.join(repo, 'out/test/webview/page.js'));

const FRAMES = Number(process.env.FRAMES ?? 100_000);
const ROWS = Number(process.env.ROWS ?? 1_000_000);

/** A deterministic pseudo-random flame tree of `count` frames (xorshift, fixed seed). */
function syntheticFlameTree(count) {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const names = Array.from({ length: 400 }, (_, i) => `function${i}`);
  const root = { id: 0, name: '(root)', url: '', line: 0, column: 0, selfBytes: 0, totalBytes: 0, selfSamples: 0, children: [] };
  const all = [root];
  for (let id = 1; id < count; id++) {
    // Prefer recent frames as parents: deep, bushy stacks like real programs'.
    const parent = all[Math.floor(all.length - 1 - Math.floor(random() ** 3 * all.length))];
    const node = {
      id,
      name: names[Math.floor(random() * names.length)],
      url: `/srv/app/src/module${id % 97}.js`,
      line: 1 + (id % 500),
      column: 1,
      selfBytes: Math.floor(random() * 64) * 1024,
      totalBytes: 0,
      selfSamples: 1,
      children: [],
    };
    parent.children.push(node);
    all.push(node);
  }
  // Totals bottom-up (children were created after their parents), children largest first.
  for (let i = all.length - 1; i >= 0; i--) {
    const node = all[i];
    node.totalBytes = node.selfBytes + node.children.reduce((sum, child) => sum + child.totalBytes, 0);
    node.children.sort((a, b) => b.totalBytes - a.totalBytes);
  }
  let depth = 0;
  const stack = [[root, 0]];
  while (stack.length) {
    const [node, d] = stack.pop();
    depth = Math.max(depth, d);
    for (const child of node.children) stack.push([child, d + 1]);
  }
  return { tree: { root, mode: 'total', totalBytes: root.totalBytes, sampleCount: count, nodeCount: count }, depth };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function bundleSizes() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-bench-bundle-'));
  await buildBundle(dir);
  const sizes = {};
  for (const file of ['webview.js', 'webview.css']) {
    const bytes = fs.readFileSync(path.join(dir, file));
    sizes[file] = { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return sizes;
}

async function flameBench(browser) {
  const { tree, depth } = syntheticFlameTree(FRAMES);
  const message = { type: 'profile', title: 'synthetic', trees: [tree], sampling: false };
  const view = await browser.open('flame', 'synthetic 100k frames', async () => undefined);
  const { page } = view;
  // Put the message into the page first (the transfer), then time what the view does with it:
  // the structured clone of postMessage, validation, layout and the first draw.
  await page.evaluate(`window.__benchMessage = ${JSON.stringify(message)}; undefined`);
  const firstPaintMs = await page.evaluate(`new Promise((resolve) => {
    const canvas = document.querySelector('canvas.flame-canvas');
    const started = performance.now();
    new MutationObserver(() => resolve(performance.now() - started)).observe(canvas, { attributeFilter: ['data-draws'] });
    window.postMessage(window.__benchMessage, '*');
  })`);
  const draws = [];
  const readDraw = async () => Number(await page.getAttribute('canvas.flame-canvas', 'data-draw-ms'));
  draws.push(await readDraw());
  // Repaints: click frames across the graph (each click selects one and repaints), then zoom into
  // a few and back out. An action that finds no frame under the pointer does not repaint: skipped.
  const box = await page.locator('canvas.flame-canvas').boundingBox();
  const act = async (action) => {
    const before = await page.getAttribute('canvas.flame-canvas', 'data-draws');
    await action();
    const repainted = await page
      .waitForSelector(`canvas.flame-canvas:not([data-draws="${before}"])`, { timeout: 2000 })
      .then(() => true, () => false);
    if (repainted) draws.push(await readDraw());
  };
  for (let i = 0; i < 40; i++) {
    const x = box.x + ((i * 37) % 100) / 100 * box.width;
    const y = box.y + (1 + (i % 8)) * 18 + 9;
    await act(() => page.mouse.click(x, y));
  }
  for (let i = 0; i < 5; i++) await act(() => page.mouse.dblclick(box.x + box.width * 0.1, box.y + (2 + i) * 18 + 9));
  for (let i = 0; i < 5; i++) await act(() => page.keyboard.press('Escape'));
  const drawnAtRoot = Number(await page.getAttribute('canvas.flame-canvas', 'data-drawn-frames'));
  await view.screenshot('bench-flame-100k');
  await page.close();
  return { frames: FRAMES, depth, firstPaintMs, drawMsP50: percentile(draws, 50), drawMsP95: percentile(draws, 95), drawMsMax: Math.max(...draws), repaints: draws.length, drawnAtRoot };
}

async function tableBench(browser) {
  const node = (i) => ({
    index: i + 1,
    id: 2 * i + 1,
    name: `Entry ${i}`,
    type: 'object',
    selfSize: 32,
    retainedSize: 64,
    distance: 5,
    className: 'Entry',
    classKey: ',Entry',
  });
  const summary = { nodeCount: ROWS, edgeCount: ROWS * 3, totalShallowSize: ROWS * 32, rootRetainedSize: ROWS * 64, extraNativeBytes: 0, fileSize: 0, statistics: { code: 0, strings: 0, jsArrays: 0, system: 0, native: 0, typedArrays: 0 } };
  let pages = 0;
  const view = await browser.open('snapshot', 'synthetic 1M rows', async (m, v) => {
    if (m.type === 'ready') await v.send({ type: 'snapshotReady', info: { fileName: 'synthetic', rootIndex: 0, summary }, baseline: null });
    if (m.type !== 'query') return;
    const q = m.query;
    let result;
    if (q.kind === 'summary') result = { kind: 'summary', rows: [{ key: ',Entry', name: 'Entry', count: ROWS, shallowSize: ROWS * 32, retainedSize: ROWS * 64, distance: 5 }] };
    else if (q.kind === 'instances') {
      pages++;
      const items = [];
      for (let i = q.offset; i < Math.min(ROWS, q.offset + q.limit); i++) items.push(node(i));
      result = { kind: 'instances', classKey: q.classKey, page: { total: ROWS, offset: q.offset, items } };
    } else if (q.kind === 'retainers') result = { kind: 'retainers', nodeIndex: q.nodeIndex, page: { total: 0, offset: 0, items: [] } };
    else if (q.kind === 'pathToRoot') result = { kind: 'pathToRoot', nodeIndex: q.nodeIndex, path: [] };
    else return;
    await v.send({ type: 'queryResult', requestId: m.requestId, result });
  });
  const { page } = view;
  const table = '[aria-label="Summary by constructor"]';
  await page.waitForSelector(`${table} .vt-row .twisty.closed`);
  await page.click(`${table} .vt-row .twisty.closed`);
  await page.waitForSelector(`${table} .vt-row[aria-level="2"]`);
  // Scroll from top to bottom in 300 steps, one per animation frame, and time the frames.
  const frames = await page.evaluate(`new Promise((resolve) => {
    const viewport = document.querySelector('${table} .vt-viewport');
    const steps = 300;
    const times = [];
    let step = 0;
    const tick = (now) => {
      times.push(now);
      viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * (step / steps);
      if (++step <= steps) requestAnimationFrame(tick);
      else resolve(times.slice(1).map((t, i) => t - times[i]));
    };
    requestAnimationFrame(tick);
  })`);
  await page.waitForSelector(`${table} .vt-row:not(.loading)`);
  const domRows = await page.locator(`${table} .vt-row`).count();
  const lastRow = await page.locator(`${table} .vt-row`).last().innerText();
  await view.screenshot('bench-table-1m');
  await page.close();
  return { rows: ROWS, frameMsP50: percentile(frames, 50), frameMsP95: percentile(frames, 95), frameMsMax: Math.max(...frames), pagesFetched: pages, domRows, lastRow: lastRow.split('\n')[0] };
}

const progress = (what) => process.stderr.write(`bench/webview: ${what}\n`);
progress('bundle');
const sizes = await bundleSizes();
const browser = await WebviewBrowser.start();
let flame;
let table;
try {
  progress(`flame graph, ${FRAMES} frames`);
  flame = await flameBench(browser);
  progress(`table, ${ROWS} rows`);
  table = await tableBench(browser);
} finally {
  await browser.close();
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const report = `# Webview rendering benchmark

Command: \`bash bench/webview/run.sh\` (builds the bundle, drives Debian's headless Chromium; the
software-rendered canvas has no GPU here). Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)},
load average ${os.loadavg().map((n) => n.toFixed(1)).join(' / ')} at the end of the run (other work shared the cores: frame
times are upper bounds). A frame at 60 Hz is 16.7 ms.

## Bundle (minified, what the extension ships)

| file | raw | gzip -9 |
| --- | ---: | ---: |
| dist/webview.js | ${kb(sizes['webview.js'].raw)} | ${kb(sizes['webview.js'].gzip)} |
| dist/webview.css | ${kb(sizes['webview.css'].raw)} | ${kb(sizes['webview.css'].gzip)} |

## Flame graph, ${flame.frames.toLocaleString('en-US')} frames (synthetic, ${flame.depth} deep)

| measure | value |
| --- | ---: |
| profile message to first paint (clone + validate + lay out + draw) | ${ms(flame.firstPaintMs)} |
| repaint p50 / p95 / max over ${flame.repaints} repaints (select, zoom, unzoom) | ${ms(flame.drawMsP50)} / ${ms(flame.drawMsP95)} / ${ms(flame.drawMsMax)} |
| frames actually drawn at full zoom-out (the rest merged or skipped) | ${flame.drawnAtRoot.toLocaleString('en-US')} |

## Table, ${table.rows.toLocaleString('en-US')} rows (one class's instances, paged)

| measure | value |
| --- | ---: |
| animation frame p50 / p95 / max while scrolling top to bottom in 300 steps | ${ms(table.frameMsP50)} / ${ms(table.frameMsP95)} / ${ms(table.frameMsMax)} |
| pages of 200 rows fetched for the whole scroll | ${table.pagesFetched} |
| rows in the DOM | ${table.domRows} |
| last row reached | ${table.lastRow} |
`;
fs.writeFileSync(path.join(repo, 'bench/webview/RESULTS.md'), report);
process.stdout.write(report);
