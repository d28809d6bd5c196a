// A program built to exercise the heap-snapshot rules where analysers usually disagree with
// DevTools: Maps and Sets, WeakMaps (ephemeron edges that must not dominate), WeakRefs and
// FinalizationRegistry, closures sharing a context, classes of one name defined at different
// source locations, plain objects of many property sets, cons and sliced strings, typed arrays
// over shared buffers, objects only reachable through weak edges, and a detached cycle.
//
//   node bench/programs/collections-workload.js OUT.heapsnapshot [SCALE]
//
// SCALE (default 1) multiplies the number of objects. Runs under any Node >= 20 (plain CommonJS).
'use strict';
const v8 = require('node:v8');

function makeClasses() {
  // Two different classes that are both called `Entry` (DevTools keeps them apart by location).
  const first = class Entry { constructor(key) { this.key = key; this.hits = 0; } };
  const second = (() => class Entry { constructor(key, value) { this.key = key; this.value = value; } })();
  return { first, second };
}

function buildHeap(scale) {
  const { first: EntryA, second: EntryB } = makeClasses();
  const heap = {};

  heap.cache = new Map();
  for (let i = 0; i < 3000 * scale; i++) heap.cache.set(`key:${i}`, new EntryA(`k${i}`));

  heap.index = new Set();
  for (let i = 0; i < 2000 * scale; i++) heap.index.add(new EntryB(i, { payload: 'x'.repeat(i % 64) }));

  // Ephemerons: values kept alive only while their key is; half the keys are dropped.
  heap.keys = [];
  heap.metadata = new WeakMap();
  for (let i = 0; i < 2000 * scale; i++) {
    const key = { id: i };
    heap.metadata.set(key, { big: new Array(32).fill(i), label: `meta-${i}` });
    if (i % 2 === 0) heap.keys.push(key);
  }
  heap.weakSet = new WeakSet(heap.keys.slice(0, 100));

  // Closures that share one context, and a closure capturing a large array.
  heap.handlers = [];
  for (let i = 0; i < 500 * scale; i++) {
    const captured = { count: i, history: [] };
    heap.handlers.push(() => captured.count++, () => captured.history.length);
  }
  const bigLocal = new Float64Array(50000 * scale);
  heap.sumBig = () => bigLocal.reduce((a, b) => a + b, 0);

  // Plain objects of many shapes, including property names that DevTools must escape.
  heap.records = [];
  for (let i = 0; i < 3000 * scale; i++) {
    const record = { id: i, name: `record-${i}` };
    if (i % 3 === 0) record.tags = ['a', 'b'];
    if (i % 5 === 0) record['odd,name'] = i;
    if (i % 7 === 0) record['{brace}'] = { nested: true };
    if (i % 11 === 0) delete record.name; // dictionary mode
    heap.records.push(record);
  }

  // Strings: concatenated (cons) and sliced strings, and long external-like strings.
  const base = 'abcdefghijklmnopqrstuvwxyz'.repeat(200);
  heap.strings = [];
  for (let i = 0; i < 1000 * scale; i++) {
    heap.strings.push(base + i, base.slice(i % 100, 2000 + (i % 100)));
  }

  // Typed arrays over shared buffers, Buffers, and ArrayBuffers.
  const shared = new ArrayBuffer(1 << 20);
  heap.views = Array.from({ length: 64 }, (_, i) => new Uint8Array(shared, i * 1024, 1024));
  heap.buffers = Array.from({ length: 200 * scale }, (_, i) => Buffer.alloc(512 + i));

  // Weak references and a finalization registry whose targets are otherwise unreachable.
  heap.weakRefs = [];
  heap.registry = new FinalizationRegistry(() => {});
  for (let i = 0; i < 200 * scale; i++) {
    const target = { dropped: i, data: new Array(16).fill(i) };
    heap.weakRefs.push(new WeakRef(target));
    heap.registry.register(target, i);
  }

  // A cycle nobody references any more, and a chain of promises still pending.
  let detached = { name: 'detached-head' };
  detached.next = { name: 'detached-tail', back: detached };
  detached = null;
  heap.pending = [];
  for (let i = 0; i < 100 * scale; i++) {
    heap.pending.push(new Promise(() => {}).then(() => i));
  }

  heap.misc = {
    symbol: Symbol('marker'),
    big: 2n ** 200n,
    date: new Date(0),
    regexp: /entry-(\d+)/g,
    error: new Error('kept for its stack'),
    proxy: new Proxy({ target: true }, {}),
    generator: (function* counter() { let n = 0; for (;;) yield n++; })(),
    sparse: Object.assign([], { 10000: 'far' }),
  };
  return heap;
}

function main() {
  const [outPath, scaleArg] = process.argv.slice(2);
  const scale = scaleArg === undefined ? 1 : Number(scaleArg);
  if (!outPath || !Number.isInteger(scale) || scale < 1) {
    console.error('usage: node collections-workload.js OUT.heapsnapshot [SCALE]');
    process.exit(2);
  }
  globalThis.collectionsHeap = buildHeap(scale);
  v8.writeHeapSnapshot(outPath);
}

main();
