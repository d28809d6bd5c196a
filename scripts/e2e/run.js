// @ts-check
// `npm run test:e2e`: Heapscope in a real VS Code (code-server), two layers:
//   A. mocha INSIDE the extension host (out/test/e2e/suite), the extension loaded from this repo;
//   B. the packaged .vsix installed, the workbench driven in headless chromium (out/test/e2e/ui);
// then `npm run demo` itself (out/test/e2e/demo).
// Expects setup.sh, `npm run package` and `tsc -b test test/e2e/suite` to have run (the npm script does all three).
// Each layer gets a fresh code-server profile and workspace under a temporary folder; afterwards
// nothing may still be running from that folder. Screenshots go to test-artifacts/e2e/.
// usage: node scripts/e2e/run.js [a|b|demo]   (default: all three)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startCodeServer, stopProcessGroup } = require('./code-server');

const REPO = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(REPO, 'test-artifacts', 'e2e');
const VSIX = path.join(REPO, 'dist', 'heapscope.vsix');
const RUN_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-e2e-'));

/** Process groups started by this run, stopped on exit or Ctrl-C. */
const groups = new Set();

/**
 * Runs a Node script in its own process group, echoing its output; resolves with its exit code and
 * the test counts its mocha summary reported ("N passing" / "N failing").
 * @param {string[]} args @param {Record<string, string>} env
 * @returns {Promise<{code: number, passed: number, failed: number}>}
 */
function runNode(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const pgid = /** @type {number} */ (child.pid);
    groups.add(pgid);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', async (code, signal) => {
      await stopProcessGroup(pgid); // chromium, should the driver have died without closing it
      groups.delete(pgid);
      const count = (/** @type {RegExp} */ pattern) => Number(pattern.exec(output)?.[1] ?? 0);
      resolve({ code: code ?? (signal ? 1 : 0), passed: count(/(\d+) passing/), failed: count(/(\d+) failing/) });
    });
  });
}

/** Processes whose command line or working directory is in this run's folder: code-server, targets, browsers. */
function leftoverProcesses() {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(RUN_ROOT) || fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(RUN_ROOT)) found.push(`${pid}: ${cmdline.slice(0, 160)}`);
    } catch { /* exited meanwhile */ }
  }
  return found;
}

async function layerA() {
  const workspace = path.join(RUN_ROOT, 'workspace-a');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer({ runDir: path.join(RUN_ROOT, 'code-server-a'), smokeTestDriver: true });
  groups.add(server.pid);
  try {
    return await runNode([
      path.join(REPO, 'out', 'test', 'e2e', 'runExtensionTests.js'),
      server.url, REPO, path.join(REPO, 'out', 'test', 'e2e', 'suite', 'index.js'), workspace,
      ARTIFACTS,
    ], { HEAPSCOPE_E2E_ARTIFACTS: ARTIFACTS });
  } finally {
    await server.stop();
    groups.delete(server.pid);
  }
}

async function layerB() {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
  const workspace = path.join(RUN_ROOT, 'workspace-b');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer({ runDir: path.join(RUN_ROOT, 'code-server-b'), vsix: [VSIX] });
  groups.add(server.pid);
  try {
    const specs = fs.readdirSync(path.join(REPO, 'out', 'test', 'e2e', 'ui'))
      .filter((name) => name.endsWith('.test.js')).sort()
      .map((name) => path.join(REPO, 'out', 'test', 'e2e', 'ui', name));
    return await runNode([require.resolve('mocha/bin/mocha.js'), '--timeout', '120000', '--reporter', 'spec', ...specs], {
      HEAPSCOPE_E2E_URL: server.url, HEAPSCOPE_E2E_WORKSPACE: workspace, HEAPSCOPE_E2E_ARTIFACTS: ARTIFACTS,
    });
  } finally {
    await server.stop();
    groups.delete(server.pid);
  }
}

/** `npm run demo` itself: up, reachable, and gone after Ctrl-C (it starts its own code-server). */
async function layerDemo() {
  return runNode([require.resolve('mocha/bin/mocha.js'), '--timeout', '300000', '--reporter', 'spec',
    path.join(REPO, 'out', 'test', 'e2e', 'demo', 'demo.test.js')], {});
}

async function main() {
  const only = process.argv[2];
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const results = [];
  for (const [name, layer] of /** @type {const} */ ([['a', layerA], ['b', layerB], ['demo', layerDemo]])) {
    if (only && only !== name) continue;
    const started = Date.now();
    const result = await layer();
    results.push({ name, ...result, seconds: Math.round((Date.now() - started) / 1000) });
  }
  const leftovers = leftoverProcesses();
  for (const { name, code, seconds } of results) console.log(`e2e layer ${name.toUpperCase()}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s`);
  if (leftovers.length > 0) console.log(`e2e: processes left running after the run:\n  ${leftovers.join('\n  ')}`);
  // A layer that failed without a mocha summary (it crashed or timed out) counts as one failure.
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + (result.code !== 0 && result.failed === 0 ? 1 : result.failed), 0) + (leftovers.length > 0 ? 1 : 0);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function cleanUp() {
  await Promise.all([...groups].map((pgid) => stopProcessGroup(pgid)));
  fs.rmSync(RUN_ROOT, { recursive: true, force: true });
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => { void cleanUp().then(() => process.exit(130)); });
}
main().then(
  async (code) => { await cleanUp(); process.exit(code); },
  async (error) => { console.error(error); await cleanUp(); process.exit(2); },
);
