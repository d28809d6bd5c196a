/**
 * retained-slice beyond the fixtures: views vs copies, V8's 13-character sliced-string minimum,
 * following a piece through locals and literals, and the copy fixes. The V8 facts behind the rule
 * (which expressions copy) are checked against the running engine, not assumed.
 */
import * as assert from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import { applyEdits, lintFixture } from './harness';

function findings(text: string, file = 'probe.js') {
  return lintFixture(file, text, new Set()).diagnostics.filter((d) => d.rule === 'retained-slice');
}

/** Heap bytes kept by 24 stored pieces of 1 MB strings, after a full GC. */
function retainedBytes(copy: (piece: string) => string): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 24; i++) {
    const big = `${i}`.padEnd(1024 * 1024, 'x') + 'y'.repeat(40);
    kept.push(copy(big.slice(big.length - 30)));
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  assert.strictEqual(kept.length, 24);
  return after - before;
}

describe('retained-slice', () => {
  it('V8: a 30-character slice pins its 1 MB parent; String(s) does not copy; (" " + s).slice(1) does', function () {
    this.timeout(30000);
    const pinned = retainedBytes((s) => s);
    const viaString = retainedBytes((s) => String(s));
    const copied = retainedBytes((s) => (' ' + s).slice(1));
    assert.ok(pinned > 20 * 1024 * 1024, `slices kept ${pinned} bytes`);
    assert.ok(viaString > 20 * 1024 * 1024, `String(s) kept ${viaString} bytes`);
    assert.ok(copied < 2 * 1024 * 1024, `copies kept ${copied} bytes`);
  });

  it('flags a subarray kept in a module-level list and names the parent', () => {
    const [d] = findings(`const fs = require('fs');
const ids = new Map();
function index(path, name) {
  const doc = fs.readFileSync(path);
  ids.set(name, { id: doc.subarray(0, 12) });
  if (ids.size > 100) ids.clear();
}
module.exports = { index };`);
    assert.match(d?.message ?? '', /`doc\.subarray\(0, 12\)` is a view that shares memory with the file read by readFileSync/);
    assert.match(d?.message ?? '', /kept in `ids`/);
  });

  it('does not flag copies, Uint8Array#slice, short literal substrings or slices not kept', () => {
    assert.deepStrictEqual(findings(`const kept = new Map();
export function keep(key: string, buf: Buffer, bytes: Uint8Array, html: string): number {
  kept.set(key + 1, Buffer.from(buf.subarray(0, 8)));
  kept.set(key + 2, bytes.slice(0, 8));
  kept.set(key + 3, html.slice(0, 8));
  if (kept.size > 100) kept.clear();
  return buf.subarray(4).length;
}`, 'probe.ts'), []);
  });

  it('uses the type checker in TS: a truncated string is flagged, an array named like text is not', () => {
    const found = findings(`const kept = new Map<string, unknown>();
export function keep(html: string[], text: string): void {
  kept.set('a', html.slice(0, 100));
  kept.set('b', text.slice(0, 100));
  if (kept.size > 10) kept.clear();
}`, 'probe.ts');
    assert.deepStrictEqual(found.map((d) => d.message.slice(0, 20)), ['`text.slice(0, 100)`']);
  });

  it('fix: wraps the stored piece in a copy that the rule then accepts', () => {
    const text = `const titles = new Map();
async function remember(url) {
  const html = await (await fetch(url)).text();
  const title = html.substring(html.indexOf('<title>') + 7, html.indexOf('</title>'));
  titles.set(url, title);
  if (titles.size > 100) titles.clear();
}
module.exports = { remember };
`;
    const [d] = findings(text);
    const fixed = applyEdits(text, d.fixes[0].edits());
    assert.match(fixed, /titles\.set\(url, \(' ' \+ title\)\.slice\(1\)\);/);
    assert.deepStrictEqual(findings(fixed), []);
  });
});
