// What re-running the live diagnosis costs the extension host: engine/series' analyzeSeries on the
// history a session holds after 1, 6 and 24 hours of 1 Hz samples (a major GC every 30 s, a slowly
// rising floor). extension/session.ts spaces the re-runs by this cost.
// Run: npx tsc -b engine && node bench/extension/series-cost.mjs   (writes RESULTS.md beside this file)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const { analyzeSeries } = require(path.join(here, '..', '..', 'out', 'engine', 'series', 'index.js'));

function history(hours) {
  const count = hours * 3600;
  const t0 = Date.UTC(2026, 0, 1);
  const samples = [];
  const gcEvents = [];
  for (let i = 0; i < count; i++) {
    samples.push({
      t: t0 + i * 1000, latencyMs: 1, late: false, heapUsed: 5e7 + i * 1000 + (i % 30) * 1e6, heapTotal: 1.2e8, heapLimit: 4e9,
      rss: 1.5e8 + i * 500, external: 1e6, arrayBuffers: 1e4, resources: { Timeout: 3, TCPSocketWrap: 2 }, resourceCount: 5,
      eventLoopUtilization: 0.02, eventLoopDelayMaxMs: 10, gc: { minor: 1, major: i % 30 === 0 ? 1 : 0, pauseMs: 1 },
    });
    if (i % 30 === 0) gcEvents.push({ t: t0 + i * 1000, kind: 'major', durationMs: 4, heapUsedAfter: 5e7 + i * 1000 });
  }
  return { samples, gcEvents };
}

const rows = [];
for (const hours of [1, 6, 24]) {
  const { samples, gcEvents } = history(hours);
  const times = [];
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    analyzeSeries(samples, { gcEvents });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[2];
  const intervalMs = Math.max(2000, samples.length * 2);
  rows.push(`| ${hours} h | ${samples.length} | ${median.toFixed(1)} ms | ${(intervalMs / 1000).toFixed(0)} s | ${((100 * median) / intervalMs).toFixed(2)}% |`);
}

const table = [
  '| history | samples | analyzeSeries (median of 5) | re-run every | share of the thread |',
  '|---|---|---|---|---|',
  ...rows,
].join('\n');
const text = `# Cost of the live diagnosis on the extension host

\`npx tsc -b engine && node bench/extension/series-cost.mjs\` — ${os.cpus().length} cores (${os.cpus()[0].model}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.

${table}

A session re-runs the analysis every max(2 s, 2 ms × samples held) (extension/session.ts), so the
extension host spends well under 1% of its thread on it however long a process is watched, and no
single run blocks it for long.
`;
fs.writeFileSync(path.join(here, 'RESULTS.md'), text);
console.log(text);
