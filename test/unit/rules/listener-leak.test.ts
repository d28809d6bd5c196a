/**
 * listener-leak beyond the fixtures: what the message names, how removals are matched (same
 * function, same event, helper removals), which targets count as long-lived, and the exact code
 * each quick fix writes.
 */
import * as assert from 'assert';
import { applyEdits, lintFixture, typeDiagnostics } from './harness';

function findings(text: string, file = 'probe.js') {
  return lintFixture(file, text, new Set()).diagnostics.filter((d) => d.rule === 'listener-leak');
}

describe('listener-leak', () => {
  it('names the emitter, the repeating function and what the closure holds', () => {
    const [d] = findings(`const bus = require('./bus');
module.exports = function handle(req, res) {
  bus.on('tick', () => res.write('.'));
};`);
    assert.ok(d, 'expected a finding');
    assert.match(d.message, /`bus\.on\('tick', …\)` is never removed/);
    assert.match(d.message, /handle is exported/);
    assert.match(d.message, /holds its closure \(and `res`\) for the life of the process/);
  });

  it('accepts the removal of the same function, rejects a second bind and another event name', () => {
    const base = (remove: string) => `class C {
  constructor(bus) { this.bus = bus; this.onTick = () => {}; }
  start() { this.bus.on('tick', this.onTick); }
  stop() { ${remove} }
}
module.exports = C;`;
    assert.deepStrictEqual(findings(base(`this.bus.removeListener('tick', this.onTick);`)), []);
    assert.match(findings(base(`this.bus.removeListener('tock', this.onTick);`))[0]?.message ?? '', /another event name \('tock', not 'tick'\)/);
    const bound = findings(base(`this.bus.removeListener('tick', this.onTick);`).replace(`this.bus.on('tick', this.onTick)`, `this.bus.on('tick', this.onTick.bind(this))`));
    assert.match(bound[0]?.message ?? '', /another `\.bind\(…\)` result/);
  });

  it('treats req.app as the long-lived application', () => {
    const [d] = findings(`const router = require('express').Router();
router.post('/jobs', (req, res) => {
  req.app.on('job:done', (job) => res.json(job));
});
module.exports = router;`);
    assert.match(d?.message ?? '', /`req\.app\.on\('job:done', …\)` is never removed/);
  });

  it('accepts a removal whose function it cannot name (looked up from a map)', () => {
    assert.deepStrictEqual(findings(`const bus = require('./bus');
const handlers = new Map();
function join(id, send) {
  const h = (m) => send(m);
  handlers.set(id, h);
  bus.on('msg', h);
}
function leave(id) {
  bus.off('msg', handlers.get(id));
  handlers.delete(id);
}
module.exports = { join, leave };`), []);
  });

  it('counts removeAllListeners done by a helper that receives the emitter', () => {
    const text = `class C {
  constructor(socket) { this.socket = socket; }
  send() { this.socket.on('data', () => {}); }
  reset() { this.detach(this.socket); }
  detach(s) { s.removeAllListeners(); }
}
module.exports = C;`;
    assert.deepStrictEqual(findings(text), []);
  });

  it('does not flag listeners on per-call objects, start-up code or API wrappers', () => {
    assert.deepStrictEqual(findings(`const http = require('http');
http.createServer((req, res) => { req.on('data', () => {}); res.on('finish', () => {}); }).listen(0);
process.on('SIGTERM', () => process.exit(0));
class Emitter { constructor(inner) { this.inner = inner; } on(event, fn) { this.inner.on(event, fn); return this; } }
module.exports = Emitter;`), []);
  });

  it('flags a once() abort listener on the caller\'s signal, not one on a local controller', () => {
    const leak = findings(`export async function wait(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}`, 'probe.ts');
    assert.match(leak[0]?.message ?? '', /caller's signal `signal`/);
    assert.deepStrictEqual(findings(`export async function wait(): Promise<void> {
  const controller = new AbortController();
  controller.signal.addEventListener('abort', () => undefined, { once: true });
}`, 'probe.ts'), []);
  });

  it('does not flag a request\'s own abort signal, or a listener set up in a stream\'s start()', () => {
    assert.deepStrictEqual(findings(`export async function GET(request: Request): Promise<Response> {
  const stream = new ReadableStream({
    start(controller) {
      const t = setInterval(() => controller.enqueue('ping'), 30000);
      request.signal.addEventListener('abort', () => { clearInterval(t); controller.close(); });
    },
  });
  return new Response(stream);
}`, 'probe.ts'), []);
  });

  it('fix: removes the listener in close() through a disposers list, and the result type-checks', () => {
    const text = `export class Server {
  constructor(readonly name: string) {
    process.on('SIGHUP', () => this.reload());
  }
  reload(): void {}
  close(): void {
    console.log('closed', this.name);
  }
}
`;
    const [d] = findings(text, 'probe.ts');
    assert.strictEqual(d?.fixes[0]?.title, "Remove the 'SIGHUP' listener from `process` in close()");
    const fixed = applyEdits(text, d.fixes[0].edits());
    assert.strictEqual(fixed, `export class Server {
  private readonly disposers: Array<() => void> = [];
  constructor(readonly name: string) {
    const onSighup = () => this.reload();
    process.on('SIGHUP', onSighup);
    this.disposers.push(() => process.removeListener('SIGHUP', onSighup));
  }
  reload(): void {}
  close(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    console.log('closed', this.name);
  }
}
`);
    assert.deepStrictEqual(typeDiagnostics('probe.ts', fixed), []);
    assert.deepStrictEqual(findings(fixed, 'probe.ts'), []);
  });

  it('fix: removes a per-connection listener when the connection closes', () => {
    const text = `const bus = require('./bus');
function attach(io) {
  io.on('connection', (socket) => {
    bus.on('news', (n) => socket.emit('news', n));
  });
}
module.exports = { attach };
`;
    const [d] = findings(text);
    const fixed = applyEdits(text, d.fixes[0].edits());
    assert.ok(fixed.includes(`    const onNews = (n) => socket.emit('news', n);
    bus.on('news', onNews);
    socket.on('close', () => bus.removeListener('news', onNews));`), fixed);
    assert.deepStrictEqual(findings(fixed), []);
  });
});
