/**
 * `heapscope lint`: output formats (text, JSON with 1-based positions, SARIF 2.1.0), exit codes,
 * `.heapscoperc.json`, `--fix`, node_modules skipping, and bad input that must not crash or hang.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../../cli/commands/lint';
import { InputError } from '../../../engine/errors';

const LEAK = `const http = require('http');
const sessions = new Map();
http.createServer((req, res) => {
  sessions.set(req.url, Date.now());
  res.end();
}).listen(0);
`;

async function lint(argv: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  const previous = process.cwd();
  let stdout = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += chunk.toString(); return true; }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.chdir(cwd);
  try {
    return { code: await run(argv), stdout };
  } finally {
    process.chdir(previous);
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
}

describe('heapscope lint', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-lint-'));
    fs.writeFileSync(path.join(dir, 'server.js'), LEAK);
    fs.writeFileSync(path.join(dir, 'clean.ts'), 'export const add = (a: number, b: number): number => a + b;\n');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints JSON findings with 1-based positions and exits 0 for warnings', async () => {
    const { code, stdout } = await lint(['.', '--format', 'json'], dir);
    assert.strictEqual(code, 0);
    const findings = JSON.parse(stdout) as Record<string, unknown>[];
    assert.deepStrictEqual(findings.map((f) => [f.file, f.line, f.column, f.endLine, f.rule, f.severity]), [['server.js', 4, 3, 4, 'unbounded-cache', 'warning']]);
    assert.deepStrictEqual(Object.keys(findings[0]).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
    assert.strictEqual(findings[0].endColumn, 4 + 'sessions.set(req.url, Date.now())'.length - 1);
  });

  it('writes valid SARIF 2.1.0 with the rules and located results', async () => {
    const { stdout } = await lint(['server.js', '--format', 'sarif'], dir);
    const sarif = JSON.parse(stdout);
    assert.strictEqual(sarif.version, '2.1.0');
    const [runLog] = sarif.runs;
    const rules = runLog.tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
    assert.ok(rules.some((r) => r.id === 'unbounded-cache' && r.shortDescription.text && r.defaultConfiguration.level === 'warning'));
    const [result] = runLog.results;
    assert.strictEqual(result.ruleId, 'unbounded-cache');
    assert.strictEqual(result.level, 'warning');
    assert.strictEqual(rules[result.ruleIndex].id, 'unbounded-cache');
    assert.deepStrictEqual(result.locations[0].physicalLocation.artifactLocation.uri, 'server.js');
    assert.strictEqual(result.locations[0].physicalLocation.region.startLine, 4);
  });

  it('exits 1 when .heapscoperc.json raises a finding to error, and 0 when it turns the rule off', async () => {
    fs.writeFileSync(path.join(dir, '.heapscoperc.json'), JSON.stringify({ rules: { 'unbounded-cache': 'error' } }));
    assert.strictEqual((await lint(['.'], dir)).code, 1);
    fs.writeFileSync(path.join(dir, 'off.json'), JSON.stringify({ rules: { 'unbounded-cache': 'off' } }));
    const off = await lint(['.', '--config', 'off.json', '--format', 'json'], dir);
    assert.deepStrictEqual([off.code, JSON.parse(off.stdout)], [0, []]);
  });

  it('rejects bad input with an InputError (exit code 2): missing path, bad config, unknown rule, unknown format', async () => {
    await assert.rejects(lint(['missing.js'], dir), InputError);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "rules": ');
    await assert.rejects(lint(['.', '--config', 'bad.json'], dir), /not valid JSON/);
    fs.writeFileSync(path.join(dir, 'unknown.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
    await assert.rejects(lint(['.', '--config', 'unknown.json'], dir), /unknown rule "no-such-rule"/);
    await assert.rejects(lint(['.', '--format', 'xml'], dir), InputError);
    await assert.rejects(lint([], dir), /no files to lint/);
  });

  it('--fix rewrites the file so the finding is gone', async () => {
    const { stdout } = await lint(['server.js', '--fix'], dir);
    assert.match(stdout, /fixed 1 file/);
    const fixed = fs.readFileSync(path.join(dir, 'server.js'), 'utf8');
    assert.match(fixed, /new BoundedMap\(SESSIONS_MAX_ENTRIES\)/);
    const again = await lint(['server.js', '--format', 'json'], dir);
    assert.deepStrictEqual(JSON.parse(again.stdout), []);
  });

  it('skips node_modules, follows globs', async () => {
    fs.mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), LEAK);
    const all = JSON.parse((await lint(['.', '--format', 'json'], dir)).stdout) as { file: string }[];
    assert.deepStrictEqual(all.map((f) => f.file), ['server.js']);
    const globbed = JSON.parse((await lint(['**/*.ts', '--format', 'json'], dir)).stdout);
    assert.deepStrictEqual(globbed, []);
  });

  it('survives bad files: empty, binary, syntax errors, a 5 MB minified bundle, absurd nesting', async () => {
    fs.writeFileSync(path.join(dir, 'empty.js'), '');
    fs.writeFileSync(path.join(dir, 'garbage.js'), Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 131) % 256)));
    fs.writeFileSync(path.join(dir, 'broken.js'), `${LEAK}\nfunction ( {{ ]]\n`);
    fs.writeFileSync(path.join(dir, 'bundle.min.js'), `!function(){${'var a=function(b){return b*2};'.repeat(180000)}}();`);
    fs.writeFileSync(path.join(dir, 'deep.js'), `x = ${'['.repeat(50000)}${']'.repeat(50000)};`);
    const started = Date.now();
    const { code, stdout } = await lint(['.'], dir);
    assert.ok(Date.now() - started < 30000, 'bounded time');
    assert.strictEqual(code, 0);
    assert.match(stdout, /broken\.js:4:3 {2}warning/, 'findings in the part of a broken file that parses');
    assert.match(stdout, /bundle\.min\.js: skipped: 5\.\d MB is over the 1\.0 MB limit/);
    assert.match(stdout, /garbage\.js: skipped: the file contains NUL bytes/);
    assert.match(stdout, /deep\.js: skipped: it is nested too deeply to parse/);
    assert.match(stdout, /2 findings in 7 files/);
  });
});
