// @ts-check
// `npm run test:electron`: the same extension-host suite as layer A of test:e2e, in desktop VS Code
// (Electron) downloaded by @vscode/test-electron. For machines that can reach VS Code's download
// servers; this project's CI cannot, so scripts/test.sh runs layer A in code-server instead.
// VSCODE_VERSION picks the build (default 'stable'; e.g. 1.90.0 to test the oldest supported engine).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const REPO = path.resolve(__dirname, '..', '..');
/** Downloaded VS Code builds are cached outside the repo, like everything else the e2e layers fetch. */
const CACHE = path.join(process.env.HEAPSCOPE_CACHE || path.join(os.homedir(), '.cache', 'heapscope'), 'vscode-test');

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  try {
    return await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      cachePath: CACHE,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(scratch, 'user-data')],
      extensionTestsEnv: { HEAPSCOPE_E2E_ARTIFACTS: path.join(REPO, 'test-artifacts', 'electron') },
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(`test:electron failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
