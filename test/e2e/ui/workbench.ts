// The workbench a person sees, shared by the layer-B tests: one chromium page on the code-server
// that scripts/e2e/run.js started (with Heapscope installed from the .vsix), and the few gestures
// the tests make: open a file, run a command, look into a webview, take a screenshot.
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser, workbenchUrl, type Browser } from '../browser';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run layer B through scripts/e2e/run.js (npm run test:e2e)`);
  return value;
}

export const WORKSPACE = requiredEnv('HEAPSCOPE_E2E_WORKSPACE');
const SERVER_URL = requiredEnv('HEAPSCOPE_E2E_URL');
const ARTIFACTS = requiredEnv('HEAPSCOPE_E2E_ARTIFACTS');

let opened: Promise<{ browser: Browser; page: Page }> | undefined;

/** The workbench page, opened on the test workspace the first time it is asked for. */
export async function workbench(): Promise<Page> {
  opened ??= (async () => {
    const browser = await launchBrowser();
    const page = browser.page;
    page.setDefaultTimeout(30_000);
    await page.goto(workbenchUrl(SERVER_URL, WORKSPACE));
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view').waitFor();
    // Heapscope's activity-bar entry: the installed extension's contributions are registered.
    await page.locator('.activitybar .action-item [aria-label^="Heapscope"]').first().waitFor({ timeout: 60_000 });
    return { browser, page };
  })();
  return (await opened).page;
}

// One browser for every layer-B test file; closed once at the end (mocha root hooks).
after(async () => {
  if (opened) await (await opened).browser.close();
});
// A failed step leaves a picture of the workbench behind, to see why.
afterEach(async function () {
  if (this.currentTest?.state !== 'failed' || !opened) return;
  const name = `failed-${this.currentTest.fullTitle().replace(/[^\w-]+/g, '-').slice(0, 80)}`;
  await screenshot((await opened).page, name).catch(() => undefined);
});

/** Writes a file into the workspace (before the test opens it). */
export function writeWorkspaceFile(name: string, text: string): string {
  const file = path.join(WORKSPACE, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/** Runs a command by its title from the Command Palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // The palette lists the commands known when it opens: on a busy machine, reopen it until ours is there.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape'); // close whatever widget a previous step left open
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 6) throw error;
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Numbers the webview iframes a person can see. Webviews are iframes laid over the editor area;
 * those of background tabs stay in the DOM under a hidden ancestor. Runs in the page (a string:
 * this project compiles without the DOM library).
 */
const MARK_VISIBLE_WEBVIEWS = `(() => {
  let count = 0;
  for (const frame of document.querySelectorAll('iframe.webview.ready')) {
    frame.removeAttribute('data-e2e-visible');
    let hidden = false;
    for (let e = frame.parentElement; e && !hidden; e = e.parentElement) {
      const style = getComputedStyle(e);
      hidden = style.visibility === 'hidden' || style.display === 'none';
    }
    const r = frame.getBoundingClientRect();
    if (!hidden && r.width > 0 && r.height > 0) frame.setAttribute('data-e2e-visible', String(count++));
  }
  return count;
})()`;

/**
 * The content of the visible webview (a webview is two nested iframes) that shows `selector`,
 * optionally with `text` in it: the dashboard, a snapshot viewer, a flame graph.
 */
export async function webviewShowing(page: Page, selector: string, text?: string | RegExp, timeoutMs = 30_000): Promise<FrameLocator> {
  const started = Date.now();
  for (;;) {
    const count = Number(await page.evaluate(MARK_VISIBLE_WEBVIEWS));
    for (let i = 0; i < count; i++) {
      const content = page.locator(`iframe.webview.ready[data-e2e-visible="${i}"]`).contentFrame().locator('#active-frame').contentFrame();
      if (await content.locator(selector, text === undefined ? {} : { hasText: text }).count() > 0) return content;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`no visible webview shows ${selector}${text ? ` with "${text}"` : ''}`);
    await page.waitForTimeout(250);
  }
}

/** Waits until nothing matches `locator` (waitFor({state: 'detached'}) insists on a single match). */
export async function waitForNone(locator: Locator, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while ((await locator.count()) > 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`still there after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Saves a screenshot of the whole workbench into test-artifacts/e2e/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
