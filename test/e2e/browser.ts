// Headless Debian chromium driven by playwright-core (which downloads no browser of its own).
// Both e2e layers open the code-server workbench through this one helper.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface Browser {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh chromium profile (deleted on close) with one page. */
export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-e2e-chromium-'));
  // launchPersistentContext is the way to give chromium a profile dir: `--user-data-dir` in args throws.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    page,
    context,
    async close() {
      try {
        await context.close();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/** The workbench URL for a folder, optionally with the smoke-test driver's `payload` parameter. */
export function workbenchUrl(serverUrl: string, folder: string, payload?: Array<[string, string]>): string {
  const query = `folder=${encodeURIComponent(folder)}`;
  return payload ? `${serverUrl}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${serverUrl}/?${query}`;
}
