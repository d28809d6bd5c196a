'use strict';
// The guard's own cost: 10,000 iterations of a small request handler, run plainly and under
// assertNoLeak, each in a fresh process; wall time and peak RSS, median of interleaved runs.
// Usage: node bench/guard/overhead.js [runs]   (needs `npm run build` first: it loads dist/guard.js)
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const ITERATIONS = 10_000;
const WARMUP = 1_000;
const guardBundle = join(__dirname, '..', '..', 'dist', 'guard.js');

/** The handler: parse a small request, look up a session, build a reply — a typical unit of work. */
function childMain(mode) {
  const sessions = new Map([[1, { user: 'ada', roles: ['admin'] }]]);
  const handle = (i) => {
    const request = JSON.parse(`{"id":${i},"session":1,"path":"/items/${i % 50}"}`);
    const session = sessions.get(request.session);
    return JSON.stringify({ id: request.id, user: session.user, path: request.path, at: i });
  };
  const started = process.hrtime.bigint();
  const done = () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS }));
  };
  if (mode === 'plain') {
    for (let i = 0; i < WARMUP + ITERATIONS; i++) handle(i);
    done();
  } else {
    require(guardBundle).assertNoLeak(handle, { iterations: ITERATIONS, warmup: WARMUP }).then(done);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main() {
  const runs = Number(process.argv[2] ?? 7);
  const results = { plain: [], guard: [] };
  for (let r = 0; r < runs; r++) {
    for (const mode of r % 2 ? ['guard', 'plain'] : ['plain', 'guard']) {
      results[mode].push(JSON.parse(execFileSync(process.execPath, [__filename, mode], { encoding: 'utf8' })));
    }
  }
  const row = (mode) => ({ ms: median(results[mode].map((x) => x.ms)), rssMb: median(results[mode].map((x) => x.maxRssKb)) / 1024 });
  const plain = row('plain');
  const guard = row('guard');
  console.log(JSON.stringify({ iterations: ITERATIONS, warmup: WARMUP, runs, plain, guard, overheadMs: guard.ms - plain.ms, overheadRssMb: guard.rssMb - plain.rssMb }, null, 1));
}

if (process.argv[2] === 'plain' || process.argv[2] === 'guard') childMain(process.argv[2]);
else main();
