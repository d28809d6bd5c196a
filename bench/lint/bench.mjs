// Lint benchmark: heapscope lint vs ESLint + eslint-plugin-listeners on the same real files, same
// run; then diagnostics latency after an edit to a 3,000-line file through the real language server.
// Usage: node bench/lint/bench.mjs [--files N]   (after `npx tsc -b language-server cli`; writes RESULTS.md beside it)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const MAX_BYTES = 1024 * 1024;
const limitArg = process.argv.indexOf('--files');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Infinity;

/** The JS files of the repo's npm dependency closure (ESLint, typescript-eslint, mocha, vsce…), under 1 MB, no .min.js. */
function corpus() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const queue = [...Object.keys(manifest.devDependencies), ...Object.keys(manifest.dependencies)].filter((n) => n !== 'typescript');
  const packages = new Set();
  while (queue.length) {
    const name = queue.pop();
    const pkg = path.join(root, 'node_modules', name, 'package.json');
    if (packages.has(name) || !fs.existsSync(pkg)) continue;
    packages.add(name);
    queue.push(...Object.keys(JSON.parse(fs.readFileSync(pkg, 'utf8')).dependencies ?? {}));
  }
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (entry.name !== 'node_modules') walk(full); }
      else if (/\.(c|m)?js$/.test(entry.name) && !entry.name.endsWith('.min.js') && fs.statSync(full).size < MAX_BYTES) files.push(full);
    }
  };
  for (const name of [...packages].sort()) walk(path.join(root, 'node_modules', name));
  // Copy them out of node_modules (which ESLint ignores by default) so both linters read the same files.
  const copyRoot = path.join(root, 'bench/work/corpus');
  fs.rmSync(copyRoot, { recursive: true, force: true });
  const copies = files.slice(0, limit).map((file) => {
    const copy = path.join(copyRoot, path.relative(path.join(root, 'node_modules'), file));
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(file, copy);
    return copy;
  });
  return { packages: packages.size, files: copies };
}

function heapscopeLint(files) {
  const { checkText } = require('./out/language-server/check.js');
  const { defaultSettings } = require('./out/language-server/config.js');
  const started = performance.now();
  let findings = 0;
  let skipped = 0;
  for (const file of files) {
    const result = checkText(file, fs.readFileSync(file, 'utf8'), { settings: defaultSettings });
    findings += result.diagnostics.length;
    if (result.note) skipped++;
  }
  return { ms: performance.now() - started, findings, skipped };
}

async function eslintLint(files) {
  const { ESLint } = require('eslint');
  const listeners = require('eslint-plugin-listeners');
  const eslint = new ESLint({
    cwd: path.join(root, 'bench/work/corpus'),
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      // 'module' parses both ESM and nearly all CommonJS; .cjs files get commonjs
      { files: ['**/*.js', '**/*.mjs'], languageOptions: { sourceType: 'module', ecmaVersion: 'latest' } },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' } },
      ...listeners.configs['flat/recommended'],
    ],
  });
  const started = performance.now();
  const results = await eslint.lintFiles(files);
  const ms = performance.now() - started;
  return { ms, findings: results.reduce((n, r) => n + r.messages.filter((m) => !m.fatal).length, 0), parseErrors: results.filter((r) => r.messages.some((m) => m.fatal)).length };
}

/** A 3,000-line module: request handlers, classes, caches and listeners, some leaky, some not. */
function bigFile() {
  const blocks = [];
  for (let i = 0; blocks.join('\n').split('\n').length < 3000; i++) {
    blocks.push(`const cache${i} = new Map();
const seen${i} = new Set();
class Service${i} {
  constructor(emitter) {
    this.emitter = emitter;
    this.items = [];
  }

  handle(request) {
    const key = request.url + ':${i}';
    if (!cache${i}.has(key)) cache${i}.set(key, { body: request.body, at: Date.now() });
    for (const item of request.items || []) this.items.push(item);
    return cache${i}.get(key);
  }

  close() {
    this.items.length = 0;
  }
}

function helper${i}(value) {
  seen${i}.add(value);
  if (seen${i}.size > 100) seen${i}.clear();
  return value * ${i};
}
module.exports.helper${i} = helper${i};
module.exports.Service${i} = Service${i};
`);
  }
  return blocks.join('\n');
}

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Median and p95 ms from didChange to the publishDiagnostics of that version, over `edits` edits. */
async function editLatency(serverJs, edits) {
  const server = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  const waiting = new Map();
  let nextId = 1;
  server.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.method === 'textDocument/publishDiagnostics') waiting.get(`v${message.params.version}`)?.(message.params);
      else if (message.id !== undefined && message.method === undefined) waiting.get(`id${message.id}`)?.(message.result);
      else if (message.id !== undefined) server.stdin.write(frame({ jsonrpc: '2.0', id: message.id, result: [null] }));
    }
  });
  const request = (method, params) => new Promise((resolve) => {
    const id = nextId++;
    waiting.set(`id${id}`, resolve);
    server.stdin.write(frame({ jsonrpc: '2.0', id, method, params }));
  });
  const notify = (method, params) => server.stdin.write(frame({ jsonrpc: '2.0', method, params }));
  const published = (version) => new Promise((resolve) => waiting.set(`v${version}`, resolve));

  await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  notify('initialized', {});
  const uri = 'file:///bench/big.js';
  const text = bigFile();
  const lines = text.split('\n').length;
  let first = published(1);
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
  const opened = await first;
  const samples = [];
  for (let version = 2; version < edits + 2; version++) {
    const line = (version * 97) % lines;
    first = published(version);
    const started = performance.now();
    notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }] });
    await first;
    samples.push(performance.now() - started);
  }
  await request('shutdown');
  notify('exit');
  samples.sort((a, b) => a - b);
  return { lines, findings: opened.diagnostics.length, median: samples[samples.length >> 1], p95: samples[Math.floor(samples.length * 0.95)], edits };
}

const { packages, files } = corpus();
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1048576).toFixed(1)} MB from ${packages} packages`);
// warm both up on a few files so module loading is not counted
heapscopeLint(files.slice(0, 20));
await eslintLint(files.slice(0, 20));
const ours = heapscopeLint(files);
console.log(`heapscope: ${(ours.ms / 1000).toFixed(1)} s, ${(files.length / (ours.ms / 1000)).toFixed(0)} files/s, ${ours.findings} findings`);
const theirs = await eslintLint(files);
console.log(`eslint+listeners: ${(theirs.ms / 1000).toFixed(1)} s, ${(files.length / (theirs.ms / 1000)).toFixed(0)} files/s, ${theirs.findings} findings, ${theirs.parseErrors} files that did not parse`);
const serverJs = path.join(root, 'bench/work/server.js');
const latency = await editLatency(serverJs, 40);
console.log(`edit latency on ${latency.lines} lines: median ${latency.median.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms over ${latency.edits} edits (includes the 15 ms debounce)`);

const speedup = theirs.ms / ours.ms;
const date = new Date().toISOString().slice(0, 10);
fs.writeFileSync(path.join(here, 'RESULTS.md'), `# Lint benchmark

Reproduce: \`npx tsc -b language-server cli && bash bench/lint/run.sh\` (${date}, Node ${process.version}, ${process.platform}, 2 shared cores).

## Throughput: the same ${files.length} files, one process each, warmed up

Corpus: every \`.js/.cjs/.mjs\` file under 1 MB (no \`.min.js\`) of the packages in this repo's npm
dependency closure except \`typescript\` (${packages} packages: ESLint, typescript-eslint, mocha, vsce, …), ${(bytes / 1048576).toFixed(1)} MB.

| linter | time | files/s | findings |
|---|---:|---:|---:|
| heapscope lint (all rules, one thread) | ${(ours.ms / 1000).toFixed(1)} s | ${(files.length / (ours.ms / 1000)).toFixed(0)} | ${ours.findings} |
| ESLint ${require('eslint/package.json').version} + eslint-plugin-listeners ${require('eslint-plugin-listeners/package.json').version} (flat/recommended only) | ${(theirs.ms / 1000).toFixed(1)} s | ${(files.length / (theirs.ms / 1000)).toFixed(0)} | ${theirs.findings} |

Speed-up: **${speedup.toFixed(1)}x** (goal: at least 3x). ESLint failed to parse ${theirs.parseErrors} files (counted as linted).
${ours.skipped ? `heapscope skipped or partly analysed ${ours.skipped} files (size/time limits).` : ''}

## Diagnostics after an edit (real server over stdio)

A ${latency.lines}-line module; ${latency.edits} single-character edits; time from sending \`didChange\`
to receiving \`publishDiagnostics\` for that version, including the server's 15 ms debounce:
median **${latency.median.toFixed(1)} ms**, p95 ${latency.p95.toFixed(1)} ms (goal: under 50 ms).
Only the changed document is re-analysed.
`);
console.log(`speed-up ${speedup.toFixed(1)}x; wrote ${path.join(here, 'RESULTS.md')}`);
