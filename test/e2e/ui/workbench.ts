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
    return { browser, page };
  })();
  return (await opened).page;
}

// One browser for every layer-B test file; closed once at the end (a mocha root hook).
after(async () => {
  if (opened) await (await opened).browser.close();
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
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The content frame of the webview whose tab is active (a webview is two nested iframes). */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
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
