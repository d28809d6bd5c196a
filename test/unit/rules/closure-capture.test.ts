/**
 * closure-capture beyond the fixtures: V8's shared context (a stored closure keeps a big variable
 * that only a sibling closure names), reads of only `.length`, and what is deliberately not
 * flagged. The shared-context fact itself is checked against the running engine.
 */
import * as assert from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import { lintFixture } from './harness';

function findings(text: string, file = 'probe.js') {
  return lintFixture(file, text, new Set()).diagnostics.filter((d) => d.rule === 'closure-capture');
}

describe('closure-capture', () => {
  it('V8: a stored closure that never names a big local keeps it only when a sibling closure uses it', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const kept: Array<() => number> = [];
    // 1 MB arrays on the V8 heap: a full GC reclaims them at once (Buffer and big-string memory may be freed later)
    const withSibling = (): number => {
      const big: number[] = new Array(128 * 1024).fill(7);
      const sibling = () => big.length;
      kept.push(() => 1);
      return sibling();
    };
    const alone = (): number => {
      const big: number[] = new Array(128 * 1024).fill(7);
      kept.push(() => 1);
      return big.length;
    };
    const retained = (make: () => number): number => {
      kept.length = 0;
      gc();
      const base = process.memoryUsage().heapUsed;
      for (let i = 0; i < 16; i++) make();
      gc();
      return process.memoryUsage().heapUsed - base;
    };
    const shared = retained(withSibling);
    const separate = retained(alone);
    assert.ok(shared > 12 * 1024 * 1024, `with a sibling closure, 16 stored closures kept ${shared} bytes`);
    assert.ok(separate < 4 * 1024 * 1024, `without one, they kept ${separate} bytes`);
  });

  it('flags a listener that shares its context with a closure using the response body', () => {
    const [d] = findings(`const bus = require('./bus');
async function crawl(url) {
  const html = await (await fetch(url)).text();
  const links = () => html.match(/href/g);
  bus.on('report', () => console.log(url));
  return links().length;
}
module.exports = { crawl };`);
    assert.match(d?.message ?? '', /registered on `bus` \('report'\)/);
    assert.match(d?.message ?? '', /never names `html`, links does/);
    assert.match(d?.message ?? '', /`html` \(a response body\)/);
  });

  it('flags a stored closure that reads only .length of a big value', () => {
    const [d] = findings(`const sizes = new Map();
const fs = require('fs');
function remember(path) {
  const data = fs.readFileSync(path);
  sizes.set(path, () => data.length);
  if (sizes.size > 10) sizes.clear();
}
module.exports = { remember };`);
    assert.match(d?.message ?? '', /reads only `data\.length`, so it keeps all of `data`/);
  });

  it('does not flag when no closure captures the big value, when it is released, or when the closure needs all of it', () => {
    assert.deepStrictEqual(findings(`const fs = require('fs');
const handlers = new Map();
function a(path) {
  const data = fs.readFileSync(path);
  const size = data.length;
  handlers.set(path, () => size);
}
function b(path) {
  let data = fs.readFileSync(path);
  const sum = () => data.length;
  const n = sum();
  data = null;
  handlers.set(path, () => n);
}
function c(path) {
  const data = fs.readFileSync(path);
  handlers.set(path, () => data.toString('utf8'));
  if (handlers.size > 10) handlers.clear();
}
module.exports = { a, b, c };`), []);
  });
});
