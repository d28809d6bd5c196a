/**
 * The snapshot viewer in a real Chromium, fed by the real engine on real snapshots of a program
 * whose Map of sessions leaks: summary rows, sorting, filtering, lazy instances, virtual scrolling,
 * the dominator tree, retainers, source links, comparison and suspects.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FromWebview } from '../../protocol/messages';
import { SnapshotQuery } from '../../protocol/snapshot';
import { leakySnapshots, removeFixtures } from './fixtures';
import { WebviewBrowser, WebviewPage } from './page';
import { SnapshotStandIn } from './snapshot-stand-in';

/** Texts of the first cell of every rendered row of the table with this accessible name. */
async function firstCells(page: Page, table: string): Promise<string[]> {
  return page.locator(`[aria-label="${table}"] .vt-row .vt-cell:first-child`).allInnerTexts();
}

async function waitForRows(page: Page, table: string, predicate: (texts: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const texts = await firstCells(page, table);
    if (predicate(texts)) return texts;
    if (Date.now() > deadline) throw new Error(`${what}: rows were ${JSON.stringify(texts.slice(0, 10))}`);
    await page.waitForTimeout(50);
  }
}

function queriesOf<K extends SnapshotQuery['kind']>(standIn: SnapshotStandIn, kind: K): Extract<SnapshotQuery, { kind: K }>[] {
  return standIn.queries.filter((q): q is Extract<SnapshotQuery, { kind: K }> => q.kind === kind);
}

describe('snapshot viewer (real Chromium, real engine output)', function () {
  this.timeout(120_000);
  let browser: WebviewBrowser;
  let standIn: SnapshotStandIn;
  let view: WebviewPage;
  let page: Page;
  const summary = 'Summary by constructor';

  before(async () => {
    const { current, baseline } = leakySnapshots();
    [browser, standIn] = await Promise.all([WebviewBrowser.start(), SnapshotStandIn.open(current, baseline)]);
    view = await browser.open('snapshot', 'current.heapsnapshot', standIn.handle);
    page = view.page;
  });

  after(async () => {
    await browser?.close();
    await standIn?.close();
    removeFixtures();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') return;
    assert.deepEqual(view.consoleErrors, [], 'the page logged errors (a CSP violation shows up here)');
    assert.deepEqual(view.refused, [], 'the page posted messages the extension would refuse');
  });

  it('shows the summary by constructor, largest retained size first, with engine figures', async () => {
    const rows = await standIn.client.aggregates();
    const texts = await waitForRows(page, summary, (t) => t.length > 5, 'summary rows');
    const top = [...rows].sort((a, b) => b.retainedSize - a.retainedSize)[0];
    assert.ok(texts[0].startsWith(top.name), `first row ${texts[0]} should be ${top.name}`);
    assert.ok(await page.locator('.stats').innerText().then((s) => s.includes('objects')), 'header shows the snapshot stats');
    await view.screenshot('snapshot-summary');
  });

  it('sorts by a column when its header is clicked', async () => {
    await page.click(`[aria-label="${summary}"] [data-column="name"]`);
    const ascending = await waitForRows(page, summary, (t) => t.length > 5 && t[0] <= t[1], 'sorted by name');
    const names = ascending.map((t) => t.replace(/ ×[\d,]+$/, ''));
    assert.deepEqual(names, [...names].sort(), 'rows are in name order');
    await page.click(`[aria-label="${summary}"] [data-column="retained"]`);
    assert.equal(await page.getAttribute(`[aria-label="${summary}"] [data-column="retained"]`, 'aria-sort'), 'descending');
  });

  it('filters classes and expands one into its instances, loaded a page at a time', async () => {
    await page.locator('vscode-textfield').first().locator('input').fill('Session');
    await waitForRows(page, summary, (t) => t.length >= 1 && t.every((x) => x.includes('Session')), 'filtered to Session');
    await page.click(`[aria-label="${summary}"] .vt-row:first-child .twisty`);
    const texts = await waitForRows(page, summary, (t) => t.length > 10 && t.slice(1).every((x) => /@\d+/.test(x)), 'Session instances');
    assert.ok(texts[1].startsWith('Session @'), texts[1]);
    const instanceQueries = queriesOf(standIn, 'instances');
    assert.ok(instanceQueries.length >= 1 && instanceQueries[0].offset === 0, 'the first page was asked for');
    // 22 000 instances: the table knows them all but renders only what fits.
    const rowCount = Number(await page.getAttribute(`[aria-label="${summary}"]`, 'aria-rowcount'));
    assert.ok(rowCount > 20_000, `aria-rowcount ${rowCount}`);
    assert.ok((await page.locator(`[aria-label="${summary}"] .vt-row`).count()) < 60, 'only visible rows are in the DOM');
  });

  it('scrolls to the end of a long list, fetching only the pages in view', async () => {
    await page.locator(`[aria-label="${summary}"] .vt-viewport`).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await waitForRows(page, summary, (t) => t.length > 5 && t.every((x) => /@\d+/.test(x)), 'rows at the end');
    const offsets = queriesOf(standIn, 'instances').map((q) => q.offset);
    assert.ok(Math.max(...offsets) > 20_000, `a page near the end was fetched: ${offsets.join(',')}`);
    assert.ok(offsets.length < 10, `pages in between were skipped: ${offsets.join(',')}`);
    await view.screenshot('snapshot-instances-end');
    await page.locator(`[aria-label="${summary}"] .vt-viewport`).evaluate((el) => (el.scrollTop = 0));
  });

  it('selecting an instance shows its retainers and path to a GC root; its closure links to source', async () => {
    await page.click(`[aria-label="${summary}"] .vt-row:nth-child(2) .vt-cell:nth-child(2)`);
    await page.waitForSelector('.retainers .gc-path li');
    const path = await page.locator('.retainers .gc-path').innerText();
    assert.match(path, /Map/, `path to root goes through the Map: ${path}`);
    // A Session is held by the Map's backing table; expanding that retainer shows the Map itself.
    const retainers = 'Retainers of the selected object';
    await waitForRows(page, retainers, (t) => t.some((x) => x.includes('(internal)')), 'retainers');
    await page.click(`[aria-label="${retainers}"] .vt-row:first-child .twisty`);
    await waitForRows(page, retainers, (t) => t.some((x) => /table in Map @/.test(x)), 'the Map retaining the table');
    await page.click(`[aria-label="${summary}"] .vt-row:nth-child(2) .vt-cell:nth-child(2)`);
    // The Session instance dominates its `touch` closure, which knows where it was defined.
    await page.keyboard.press('ArrowRight');
    const link = page.locator(`[aria-label="${summary}"] .source-link`).first();
    await link.waitFor();
    assert.match(await link.innerText(), /leaky-map\.js:7$/);
    await link.click();
    const open = await view.waitForPosted((m): m is Extract<FromWebview, { type: 'openSource' }> => m.type === 'openSource');
    assert.match(open.url, /leaky-map\.js$/);
    assert.equal(open.line, 6, '0-based line of `this.touch = () => this.id`');
    await view.screenshot('snapshot-retainers');
  });

  it('expands a dominator-tree node by loading its children', async () => {
    await page.getByText('Dominators', { exact: true }).click();
    const tree = 'Dominator tree';
    await waitForRows(page, tree, (t) => t.length > 0, 'dominator roots');
    const before = queriesOf(standIn, 'dominatorChildren').length;
    await page.click(`[aria-label="${tree}"] .vt-row .twisty.closed`);
    await page.waitForSelector(`[aria-label="${tree}"] .vt-row[aria-level="2"]`);
    const asked = queriesOf(standIn, 'dominatorChildren').slice(before);
    assert.ok(asked.some((q) => q.nodeIndex !== 0), 'children of the expanded node were asked for');
    // Keyboard: on the expanded row, Left collapses and Right expands again.
    const expanded = page.locator(`[aria-label="${tree}"] .vt-row[aria-expanded="true"]`).first();
    const index = await expanded.getAttribute('data-index');
    await expanded.locator('.vt-cell:nth-child(2)').click();
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`[aria-label="${tree}"] .vt-row[data-index="${index}"][aria-expanded="false"]`);
    assert.equal(await page.locator(`[aria-label="${tree}"] .vt-row[aria-level="2"]`).count(), 0, 'children hidden');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`[aria-label="${tree}"] .vt-row[data-index="${index}"][aria-expanded="true"]`);
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector(`[aria-label="${tree}"] .vt-row.selected[aria-level="2"]`);
    await view.screenshot('snapshot-dominators');
  });

  it('compares with a baseline the user picks: the leaked class grew by 20 000', async () => {
    await page.getByText('Comparison', { exact: true }).click();
    await page.getByText('Compare with…').click();
    await view.waitForPosted((m): m is Extract<FromWebview, { type: 'pickBaseline' }> => m.type === 'pickBaseline');
    const table = 'Comparison with the baseline snapshot';
    await waitForRows(page, table, (t) => t.includes('Session'), 'comparison rows');
    const sessionRow = page.locator(`[aria-label="${table}"] .vt-row`, { hasText: /^Session/ }).first();
    assert.match(await sessionRow.innerText(), /\+20,000/);
    await view.screenshot('snapshot-comparison');
  });

  it('lists leak suspects with their path from a GC root', async () => {
    await page.getByText('Leak suspects', { exact: true }).click();
    await page.waitForSelector('.suspect');
    const first = await page.locator('.suspect').first().innerText();
    assert.match(first, /MB|KB/, first);
    await view.screenshot('snapshot-suspects');
  });

  it('keeps its tab and filter across a hide/show (reload)', async () => {
    await page.reload();
    await page.waitForSelector('body[data-mounted="snapshot"]');
    await page.waitForSelector('.suspect');
    assert.equal(await page.locator('vscode-textfield').first().evaluate((el) => (el as unknown as { value: string }).value), 'Session');
  });

  it('shows the worker\'s progress while the snapshot loads', async () => {
    const loading = await browser.open('snapshot', 'big.heapsnapshot', async (message, v) => {
      if (message.type === 'ready') await v.send({ type: 'snapshotProgress', progress: standIn.progress.find((p) => p.total > 0 && p.done < p.total)! });
    });
    assert.ok(standIn.progress.length > 0, 'the worker reported progress');
    await loading.page.waitForSelector('.progress-text:text-matches("(Reading|Analysing).* [0-9]+%")');
    assert.equal(await loading.page.locator('.snapshot-main').isVisible(), false, 'the tabs wait for the snapshot');
    assert.deepEqual(loading.posted.map((m) => m.type), ['ready'], 'no query before the snapshot is ready');
    await loading.screenshot('snapshot-progress');
    await loading.page.close();
  });

  it('rejects malformed and hostile messages without acting on them', async () => {
    const before = standIn.queries.length;
    await view.send({ type: 'queryResult', requestId: 1, result: { kind: 'summary', rows: [{ name: 1 }] } });
    await view.send({ type: 'snapshotReady', info: { fileName: '<img src=x onerror=alert(1)>' } });
    await view.send({ type: 'nope' });
    await view.send('just a string');
    await page.waitForSelector('body[data-rejected-messages="4"]', { state: 'attached' });
    assert.equal(standIn.queries.length, before);
    assert.equal(await page.locator('img').count(), 0);
    view.consoleErrors.length = 0;
  });
});
