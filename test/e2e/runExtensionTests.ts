// Layer A driver: runs the mocha suite at extensionTestsPath INSIDE code-server's real extension
// host, the way @vscode/test-electron does on desktop. The workbench reads
// ?payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]] (only when code-server runs
// with `--vscode-option enable-smoke-test-driver`), loads the extension from the repo, runs the
// suite, forwards its console to window.codeAutomationLog and ends with window.codeAutomationExit(code).
// The full workbench log goes to <artifacts>/layer-a-workbench.log, a screenshot on failure beside it.
// usage: node runExtensionTests.js <serverUrl> <extensionDevelopmentPath> <extensionTestsPath> <workspace> <artifacts-dir>
import * as fs from 'fs';
import * as util from 'util';
import { launchBrowser, workbenchUrl } from './browser';

/** Workbench start-up chatter, harmless offline; it still goes to the log file. */
const WORKBENCH_NOISE = /open-vsx\.org|authentication provider|AccountPolicyGate|AgentHost|connection token|Creating a socket|grace time|builtin extensions cache|Service Worker|workbench contribution|^\s+at /;
const TIMEOUT_MS = Number(process.env.HEAPSCOPE_E2E_TIMEOUT_MS ?? 360_000);

async function main(): Promise<number> {
  const [serverUrl, extensionPath, testsPath, workspace, artifacts] = process.argv.slice(2);
  if (!artifacts) throw new Error('usage: runExtensionTests <serverUrl> <extensionDevelopmentPath> <extensionTestsPath> <workspace> <artifacts-dir>');
  const screenshot = `${artifacts}/layer-a-failure.png`;
  const workbenchLog = `${artifacts}/layer-a-workbench.log`;
  const host = new URL(serverUrl).host;
  const remote = (file: string) => `vscode-remote://${host}${file}`;
  const log = fs.createWriteStream(workbenchLog);
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    let finish: (code: number | string) => void = () => undefined;
    const finished = new Promise<number | string>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...args);
      log.write(`${line}\n`);
      if (!WORKBENCH_NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.log(`[workbench page error] ${error.message}`));
    await page.goto(workbenchUrl(serverUrl, workspace, [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ]));
    const timer = setTimeout(() => finish(`timed out after ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    const code = await finished;
    clearTimeout(timer);
    if (code !== 0) {
      console.log(`extension tests ended with ${code}; screenshot: ${screenshot}`);
      await page.screenshot({ path: screenshot }).catch((error: Error) => console.log(`screenshot failed: ${error.message}`));
      return 1;
    }
    return 0;
  } finally {
    await browser.close();
    log.end();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
