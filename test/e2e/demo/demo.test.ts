// The README's first command: `npm run demo` (scripts/e2e/demo.js) brings up the leaky service and a
// VS Code with Heapscope, prints where they are, and Ctrl-C (SIGINT) stops everything it started.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DEMO_RUN = path.join(process.env.HEAPSCOPE_CACHE ?? path.join(os.homedir(), '.cache', 'heapscope'), 'e2e', 'demo-run');

/** Processes running from the demo's folder (by command line or working directory). */
function demoProcesses(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(DEMO_RUN) || fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(DEMO_RUN)) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('npm run demo', function () {
  this.timeout(300_000);
  let demo: ChildProcess;
  let output = '';

  after(() => {
    // Whatever happened, leave nothing behind: the launcher's group, then anything from its folder.
    try {
      if (demo?.pid) process.kill(-demo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('starts the service and VS Code with Heapscope, and prints where they are', async () => {
    demo = spawn(process.execPath, [path.join(REPO, 'scripts', 'e2e', 'demo.js')], {
      cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      // Any free ports: a developer's own demo or debugger may hold the defaults.
      env: { ...process.env, HEAPSCOPE_DEMO_PORT: '0', DEMO_PORT: '0' },
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C')) resolve();
      };
      demo.stdout?.on('data', onData);
      demo.stderr?.on('data', onData);
      demo.once('exit', (code) => reject(new Error(`npm run demo exited (code ${code}) before it was ready:\n${output.slice(-3000)}`)));
    });
    const vscodeUrl = /VS Code with Heapscope:\s+(\S+)/.exec(output)?.[1];
    const serviceUrl = /leaky demo service:\s+(\S+)/.exec(output)?.[1];
    const inspectorPort = /inspector 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    assert.ok(vscodeUrl && serviceUrl && inspectorPort, `the demo did not print its addresses:\n${output.slice(-2000)}`);

    const workbench = await get(vscodeUrl);
    assert.strictEqual(workbench.status, 200);
    assert.match(workbench.body, /workbench/i);
    assert.match(decodeURIComponent(vscodeUrl), new RegExp(`folder=${DEMO_RUN}/demo`));
    assert.strictEqual((await get(`${serviceUrl}/products/7`)).status, 200);
    assert.match((await get(`http://127.0.0.1:${inspectorPort}/json/list`)).body, /server\.js/);
    // Heapscope is installed in that VS Code's profile, from the freshly packaged .vsix.
    const extensions = fs.readdirSync(path.join(DEMO_RUN, 'code-server', 'extensions'));
    assert.ok(extensions.some((name) => name.startsWith('heapscope.heapscope-')), `installed: ${extensions.join(', ')}`);
  });

  it('stops everything it started on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    process.kill(demo.pid!, 'SIGINT');
    assert.strictEqual(await exited, 0);
    const started = Date.now();
    while (demoProcesses().length > 0 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepStrictEqual(demoProcesses(), []);
  });
});
