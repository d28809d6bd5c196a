/**
 * timer-leak beyond the fixtures: dropped vs saved ids, clears inside the callback vs on the close
 * path, restarts that overwrite an id, rescheduling chains, and the exact code of the fixes.
 */
import * as assert from 'assert';
import { applyEdits, lintFixture, typeDiagnostics } from './harness';

function findings(text: string, file = 'probe.js') {
  return lintFixture(file, text, new Set()).diagnostics.filter((d) => d.rule === 'timer-leak');
}

describe('timer-leak', () => {
  it('flags a dropped interval id per request and says what the callback holds', () => {
    const [d] = findings(`const app = require('express')();
app.get('/tick', (req, res) => {
  setInterval(() => res.write('.'), 1000);
});`);
    assert.match(d?.message ?? '', /its id is not kept, so nothing can clear it/);
    assert.match(d?.message ?? '', /\(`res`\)/);
  });

  it('accepts a clear on the close path and an unref()ed module-level singleton', () => {
    assert.deepStrictEqual(findings(`const wss = require('./wss');
wss.on('connection', (ws) => {
  const t = setInterval(() => ws.ping(), 1000);
  ws.on('close', () => clearInterval(t));
});
setInterval(() => undefined, 60000).unref();`), []);
  });

  it('leaves intervals kept in a keyed collection to the collection\'s owner', () => {
    assert.deepStrictEqual(findings(`class Jobs {
  constructor() { this.timers = {}; }
  start(id, fn) { this.timers[id] = setInterval(fn, 1000); }
  stop(id) { clearInterval(this.timers[id]); delete this.timers[id]; }
}
module.exports = Jobs;`), []);
  });

  it('flags an interval cleared only inside its own callback when the close handler forgets it', () => {
    const [d] = findings(`function setup(conn) {
  const t = setInterval(() => { if (conn.dead) clearInterval(t); }, 1000);
  conn.on('close', () => console.log('bye'));
}
module.exports = { setup };`);
    assert.match(d?.message ?? '', /cleared only from inside its own callback; the 'close' handler of `conn` does not clear `t`/);
  });

  it('flags a restart that overwrites the id, not one that clears or guards first', () => {
    const cls = (body: string) => `export class Clock {
  private timer?: NodeJS.Timeout;
  start(): void {
${body}
  }
  stop(): void { clearInterval(this.timer); }
}`;
    assert.match(findings(cls('    this.timer = setInterval(() => undefined, 1000);'), 'probe.ts')[0]?.message ?? '', /Clock\.start overwrites `this\.timer`/);
    assert.deepStrictEqual(findings(cls('    clearInterval(this.timer);\n    this.timer = setInterval(() => undefined, 1000);'), 'probe.ts'), []);
    assert.deepStrictEqual(findings(cls('    if (this.timer) return;\n    this.timer = setInterval(() => undefined, 1000);'), 'probe.ts'), []);
  });

  it('flags a rescheduling setTimeout chain without a stop condition, not one with a stop flag', () => {
    assert.strictEqual(findings(`export class Poller {
  poll(): void { setTimeout(() => this.poll(), 1000); }
}`, 'probe.ts').length, 1);
    assert.deepStrictEqual(findings(`export class Poller {
  stopped = false;
  poll(): void { if (this.stopped) return; setTimeout(() => this.poll(), 1000); }
}`, 'probe.ts'), []);
  });

  it('flags a named function-expression chain started per call', () => {
    const [d] = findings(`class Ticker {
  start() {
    setTimeout(function tick() {
      console.log('tick');
      setTimeout(tick, 1000);
    }, 1000);
  }
}
module.exports = Ticker;`);
    assert.match(d?.message ?? '', /reschedules tick with no stop condition/);
  });

  it('fix: stores a dropped id in a declared field and clears it in close()', () => {
    const text = `export class Migrator {
  constructor(private readonly step: () => void) {
    setInterval(() => this.step(), 250);
  }
  close(): void {
    console.log('closed');
  }
}
`;
    const [d] = findings(text, 'probe.ts');
    assert.strictEqual(d?.fixes[0]?.title, 'Clear `this.timer` in close()');
    const fixed = applyEdits(text, d.fixes[0].edits());
    assert.strictEqual(fixed, `export class Migrator {
  private timer?: ReturnType<typeof setInterval>;
  constructor(private readonly step: () => void) {
    this.timer = setInterval(() => this.step(), 250);
  }
  close(): void {
    clearInterval(this.timer);
    console.log('closed');
  }
}
`);
    assert.deepStrictEqual(typeDiagnostics('probe.ts', fixed), []);
    assert.deepStrictEqual(findings(fixed, 'probe.ts'), []);
  });

  it('fix: keeps a per-connection id and clears it when the socket closes', () => {
    const text = `const wss = require('./wss');
wss.on('connection', (ws) => {
  setInterval(() => ws.ping(), 1000);
});
`;
    const [d] = findings(text);
    const fixed = applyEdits(text, d.fixes[0].edits());
    assert.strictEqual(fixed, `const wss = require('./wss');
wss.on('connection', (ws) => {
  const timer = setInterval(() => ws.ping(), 1000);
  ws.on('close', () => clearInterval(timer));
});
`);
    assert.deepStrictEqual(findings(fixed), []);
  });
});
