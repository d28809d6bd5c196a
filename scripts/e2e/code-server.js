// @ts-check
// Starts and stops a real VS Code (code-server, installed by setup.sh) with a fresh, isolated profile.
// code-server runs in its own process group (detached = setsid), so stop() ends it together with
// its extension host and everything that host started, by group id.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const CACHE = path.join(process.env.HEAPSCOPE_CACHE || path.join(os.homedir(), '.cache', 'heapscope'), 'e2e');

/** Paths written by setup.sh: the Node 24 binary and code-server's entry script. */
function installedPaths() {
  const file = path.join(CACHE, 'paths.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`bash scripts/e2e/setup.sh\` first`);
  return /** @type {{node24: string, codeServerEntry: string}} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** User settings for a quiet first start: no welcome page, trust prompt, telemetry or update checks. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
};

/** A port the OS says is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Resolves when GET url answers 200; rejects after timeoutMs or when the process exits first.
 * @param {string} url @param {import('child_process').ChildProcess} child @param {number} timeoutMs
 */
function waitForHealthy(url, child, timeoutMs) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const onExit = (/** @type {number|null} */ code) => reject(new Error(`code-server exited (code ${code}) before it was ready`));
    child.once('exit', onExit);
    const poll = () => {
      http.get(url, (res) => {
        res.resume();
        if (res.statusCode === 200) { child.off('exit', onExit); resolve(undefined); } else retry();
      }).on('error', retry);
    };
    const retry = () => {
      if (Date.now() - started > timeoutMs) { child.off('exit', onExit); reject(new Error(`code-server not ready after ${timeoutMs} ms`)); return; }
      setTimeout(poll, 150);
    };
    poll();
  });
}

/**
 * Start code-server on 127.0.0.1 with a fresh profile under runDir (wiped first).
 * @param {object} options
 * @param {string} options.runDir         profile, extensions and log live here
 * @param {string[]} [options.vsix]       .vsix files to install before starting
 * @param {boolean} [options.smokeTestDriver]  needed for the `payload` (extensionTestsPath) URL parameter
 * @param {number} [options.port]         default: a free port
 * @param {'ignore'|'inherit'} [options.stdio]  code-server's own output; default: into runDir/code-server.log
 * @returns {Promise<{url: string, port: number, pid: number, log: string, stop: () => Promise<void>}>}
 */
async function startCodeServer(options) {
  const { node24, codeServerEntry } = installedPaths();
  const runDir = path.resolve(options.runDir);
  fs.rmSync(runDir, { recursive: true, force: true });
  const userData = path.join(runDir, 'user-data');
  const extensions = path.join(runDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  // XDG_* keep code-server from writing its config into the real ~/.config and ~/.local.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
  };
  const profileArgs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  for (const vsix of options.vsix ?? []) {
    const result = spawnSync(node24, [codeServerEntry, ...profileArgs, '--install-extension', path.resolve(vsix)], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
  }
  const port = options.port ?? await freePort();
  const log = path.join(runDir, 'code-server.log');
  const out = options.stdio === 'inherit' ? 'inherit' : fs.openSync(log, 'w');
  const args = [
    codeServerEntry, ...profileArgs,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(node24, args, { env, detached: true, stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  const pid = /** @type {number} */ (child.pid);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopProcessGroup(pid);
  try {
    await waitForHealthy(`${url}/healthz`, child, 60000);
  } catch (error) {
    await stop();
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-4000) : '';
    throw new Error(`${/** @type {Error} */ (error).message}\n${tail}`);
  }
  return { url, port, pid, log, stop };
}

/** True while any process of the group is alive. @param {number} pgid */
function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** SIGTERM the whole process group, wait up to 5 s, then SIGKILL what is left. @param {number} pgid */
async function stopProcessGroup(pgid) {
  if (!groupAlive(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ } }
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
}

module.exports = { startCodeServer, stopProcessGroup, groupAlive, installedPaths, CACHE };
