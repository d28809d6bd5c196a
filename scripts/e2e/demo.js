// @ts-check
// `npm run demo`: set up (once), build and package Heapscope, start the leaky demo service with an
// inspector, and open a real VS Code (code-server) on a copy of demo/ with the .vsix installed.
// Prints the URL to open. Ctrl-C stops everything it started (each in its own process group).
// Environment: HEAPSCOPE_DEMO_PORT (VS Code, default 8080), DEMO_PORT (the service, default 3000).
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { startCodeServer, stopProcessGroup, CACHE } = require('./code-server');

const REPO = path.resolve(__dirname, '..', '..');
const RUN_DIR = path.join(CACHE, 'demo-run');
/** The ports Heapscope's "Attach to Node Process" looks at first. */
const INSPECTOR_PORTS = [9229, 9230, 9231, 9232];

/** Process groups to stop on the way out. */
const groups = new Set();

/** @param {string} command @param {string[]} args */
function runOrExit(command, args) {
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`demo: \`${command} ${args.join(' ')}\` failed (exit ${result.status}); see its output above`);
    process.exit(1);
  }
}

/** @param {number} port @returns {Promise<boolean>} */
function isFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free port of `ports`, or 0 (= let the OS choose). @param {number[]} ports */
async function firstFree(ports) {
  for (const port of ports) if (await isFree(port)) return port;
  return 0;
}

/** Starts the demo service from `workspace`; resolves once it listens. @param {string} workspace @param {number} inspectorPort */
async function startDemoService(workspace, inspectorPort) {
  const port = await firstFree([Number(process.env.DEMO_PORT ?? 3000)]);
  const child = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectorPort}`, 'server.js'], {
    cwd: workspace, env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = /** @type {number} */ (child.pid);
  groups.add(pid);
  const prefix = (/** @type {Buffer} */ chunk) => chunk.toString().replace(/^(?=.)/gm, '[demo service] ');
  child.stderr?.on('data', (chunk) => process.stderr.write(prefix(chunk)));
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the demo service exited (code ${code}) before it listened`)));
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(prefix(chunk));
      const listening = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (listening) resolve(listening[1]);
    });
  });
  child.on('exit', (code) => {
    if (!stopping) void shutDown(`the demo service exited (code ${code})`, 1);
  });
  return { url, pid };
}

let stopping = false;
/** @param {string} why @param {number} exitCode */
async function shutDown(why, exitCode) {
  if (stopping) return;
  stopping = true;
  console.log(`\ndemo: ${why}; stopping everything it started`);
  await Promise.all([...groups].map((pgid) => stopProcessGroup(pgid)));
  process.exit(exitCode);
}

async function main() {
  runOrExit('bash', [path.join(REPO, 'scripts', 'e2e', 'setup.sh')]);
  runOrExit('npm', ['run', '--silent', 'package']);

  // A copy of demo/, so applying quick fixes never edits the repository.
  const workspace = path.join(RUN_DIR, 'demo');
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.cpSync(path.join(REPO, 'demo'), workspace, { recursive: true });

  const inspectorPort = await firstFree(INSPECTOR_PORTS);
  const service = await startDemoService(workspace, inspectorPort);
  const server = await startCodeServer({
    runDir: path.join(RUN_DIR, 'code-server'),
    vsix: [path.join(REPO, 'dist', 'heapscope.vsix')],
    port: await firstFree([Number(process.env.HEAPSCOPE_DEMO_PORT ?? 8080)]) || undefined,
  });
  groups.add(server.pid);
  const vscodeUrl = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`
Heapscope demo is running.
  VS Code with Heapscope:  ${vscodeUrl}
  leaky demo service:      ${service.url}  (pid ${service.pid}, ${inspectorPort ? `inspector 127.0.0.1:${inspectorPort}` : 'inspector on a random port: 9229-9232 were busy'})
In VS Code, run "Heapscope: Attach to Node Process" from the Command Palette (F1) and pick the demo
service; open catalog-cache.js, price-feed.js or session-refresh.js for the inline diagnostics.
Press Ctrl-C to stop the service and VS Code.`);
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => void shutDown(`${signal} received`, 0));
}
main().catch((error) => void shutDown(`failed: ${error instanceof Error ? error.message : error}`, 1));
