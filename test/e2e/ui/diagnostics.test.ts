// What a person sees of the language server: opening a leaky file (which also activates the
// installed extension) shows a squiggle and a Problems entry; Ctrl+. applies the bound-the-cache fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openFile, screenshot, waitForNone, workbench, writeWorkspaceFile } from './workbench';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('leak diagnostics in the editor', () => {
  let file = '';
  before(() => {
    file = writeWorkspaceFile('catalog-cache.js', fs.readFileSync(path.join(REPO, 'demo', 'catalog-cache.js'), 'utf8'));
  });

  it('shows a squiggle and a Problems entry on the unbounded cache', async () => {
    const page = await workbench();
    await openFile(page, 'catalog-cache.js');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'renderedPages' }).first();
    await problem.waitFor();
    assert.match(await problem.innerText(), /unbounded-cache/);
    await screenshot(page, 'diagnostic-squiggle-and-problems');
  });

  it('applies the bound-the-cache fix with Ctrl+.', async () => {
    const page = await workbench();
    // Put the cursor on the flagged `renderedPages.set(...)` call through Go to Line.
    const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes('renderedPages.set(')) + 1;
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${line}:5`);
    await page.keyboard.press('Enter');
    // On 2 cores the built-in TypeScript server may still be starting: retry until our fix is listed.
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Bound `renderedPages`' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await fix.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 6) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await screenshot(page, 'quick-fix-menu');
    await fix.click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'RENDERED_PAGES_MAX_ENTRIES' }).first().waitFor();
    await waitForNone(page.locator('.markers-panel .monaco-list-row', { hasText: 'renderedPages' }), 'the Problems entry');
    await screenshot(page, 'quick-fix-applied');
  });
});
