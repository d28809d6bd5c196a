/**
 * unsettled-promise beyond the fixtures: which failure paths must remove a parked resolver, which
 * collections count as queues drained by their owner, and executors that can end without settling.
 */
import * as assert from 'assert';
import { lintFixture } from './harness';

function findings(text: string, file = 'probe.js') {
  return lintFixture(file, text, new Set()).diagnostics.filter((d) => d.rule === 'unsettled-promise');
}

const rpc = (timeoutBody: string, closeBody: string) => `const pending = new Map();
let seq = 0;
function call(socket, method) {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    ${timeoutBody}
    socket.write(JSON.stringify({ id, method }));
  });
}
function onReply(msg) {
  const entry = pending.get(msg.id);
  pending.delete(msg.id);
  if (entry) entry.resolve(msg.result);
}
function onClose() {
  ${closeBody}
}
module.exports = { call, onReply, onClose };`;

describe('unsettled-promise', () => {
  it('flags a timeout that rejects without removing the entry', () => {
    const [d] = findings(rpc(`setTimeout(() => reject(new Error('timeout')), 1000);`, ''));
    assert.match(d?.message ?? '', /the timeout settles the promise but leaves its entry in `pending`/);
  });

  it('accepts a timeout that removes the entry, or a close path that clears the map', () => {
    assert.deepStrictEqual(findings(rpc(`setTimeout(() => { pending.delete(id); reject(new Error('timeout')); }, 1000);`, '')), []);
    assert.deepStrictEqual(findings(rpc('', `for (const e of pending.values()) e.reject(new Error('closed'));\n  pending.clear();`)), []);
  });

  it('accepts a timeout armed next to the promise that removes the entry', () => {
    assert.deepStrictEqual(findings(`class Rpc {
  constructor(socket) { this.socket = socket; this.pending = new Map(); this.seq = 0; }
  call(method) {
    const id = ++this.seq;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    setTimeout(() => { const p = this.pending.get(id); this.pending.delete(id); if (p) p.reject(new Error('timeout')); }, 5000);
    this.socket.write(JSON.stringify({ id, method }));
    return promise;
  }
  onReply(msg) { const p = this.pending.get(msg.id); this.pending.delete(msg.id); if (p) p.resolve(msg.result); }
}
module.exports = Rpc;`), []);
  });

  it('flags an id-keyed pending map that only a reply empties', () => {
    const [d] = findings(rpc('', ''));
    assert.match(d?.message ?? '', /removed only when a reply arrives/);
  });

  it('does not flag a mutex queue drained by its own release()', () => {
    assert.deepStrictEqual(findings(`class Mutex {
  constructor() { this.waiters = []; this.locked = false; }
  lock() {
    if (!this.locked) { this.locked = true; return Promise.resolve(); }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release() { const next = this.waiters.shift(); if (next) next(); else this.locked = false; }
}
module.exports = Mutex;`), []);
  });

  it('flags an executor whose error handler neither settles nor rethrows', () => {
    const [d] = findings(`const https = require('https');
function get(url) {
  return new Promise((resolve) => {
    https.get(url, (res) => res.on('end', () => resolve(res.statusCode))).on('error', (e) => console.error(e));
  });
}
module.exports = { get };`);
    assert.match(d?.message ?? '', /never settles when the 'error' listener/);
  });

  it('flags an in-flight cache that deletes only on fulfilment, not one using finally()', () => {
    const src = (cleanup: string) => `const inflight = new Map();
function load(key, fetcher) {
  let p = inflight.get(key);
  if (!p) {
    p = fetcher(key)${cleanup};
    inflight.set(key, p);
  }
  return p;
}
module.exports = { load };`;
    assert.match(findings(src('.then((v) => { inflight.delete(key); return v; })'))[0]?.message ?? '', /deleted only when the promise fulfils/);
    assert.deepStrictEqual(findings(src('.finally(() => inflight.delete(key))')), []);
  });
});
