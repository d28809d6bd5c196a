'use strict';
/**
 * Overhead of `heapscope watch` at 1 Hz on a busy HTTP target. One target process (started with
 * --inspect on loopback) serves a bounded load in interleaved rounds: without a watcher, then with
 * `heapscope watch --port P --interval 1s` attached, and so on, so slow drifts of a shared machine
 * hit both sides alike. Prints the figures and writes RESULTS.md beside this file.
 *
 *   node bench/watch-overhead/run.js [--rounds 16] [--seconds 6] [--concurrency 16]
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { measure } = require('./load');

const repo = path.resolve(__dirname, '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('rounds', 16);
const seconds = arg('seconds', 6);
const concurrency = arg('concurrency', 16);

function heapscopeCli() {
  for (const candidate of ['out/cli/main.js', 'dist/cli.js']) {
    const file = path.join(repo, candidate);
    if (fs.existsSync(file)) return file;
  }
  throw new Error('compile the CLI first: npx tsc -b cli (out/cli/main.js) or npm run build (dist/cli.js)');
}

function startTarget() {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(__dirname, 'target.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let inspectorPort;
    let httpPort;
    const check = () => inspectorPort && httpPort && resolve({ child, inspectorPort, httpPort });
    child.stderr.on('data', (d) => {
      const m = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(d.toString());
      if (m) {
        inspectorPort = Number(m[1]);
        check();
      }
    });
    child.stdout.on('data', (d) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) {
        httpPort = Number(m[1]);
        check();
      }
    });
    child.on('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
}

/** Start `heapscope watch` and resolve once its first sample is out, so the round measures steady watching. */
function startWatcher(cli, inspectorPort) {
  const child = spawn(process.execPath, [cli, 'watch', '--port', String(inspectorPort), '--interval', '1s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let samples = 0;
  child.stdout.on('data', (d) => (samples += d.toString().split('\n').filter((l) => l.startsWith('{')).length));
  return new Promise((resolve, reject) => {
    const wait = setInterval(() => {
      if (samples > 0) {
        clearInterval(wait);
        resolve({ child, samples: () => samples });
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(wait);
      reject(new Error(`heapscope watch exited early with ${code}`));
    });
  });
}

async function stopWatcher(watcher) {
  watcher.child.removeAllListeners('exit'); // its early-exit check is over
  const exited = new Promise((resolve) => watcher.child.on('exit', resolve));
  watcher.child.kill('SIGINT'); // heapscope stops, prints its diagnosis, detaches
  await exited;
}

/** CPU time the target has used so far, ns: the sum over its threads of /proc/<pid>/task/<tid>/schedstat. */
function targetCpuNs(pid) {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  }
  return total;
}

/**
 * What watching costs the target itself, free of load-generator noise: with no traffic, the
 * target's CPU time per second without and with the watcher attached.
 */
async function idleCost(target, cli, seconds) {
  const perSecond = async () => {
    const before = targetCpuNs(target.child.pid);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return (targetCpuNs(target.child.pid) - before) / 1e6 / seconds;
  };
  const without = [];
  const withWatch = [];
  for (let round = 0; round < 3; round++) {
    without.push(await perSecond());
    const watcher = await startWatcher(cli, target.inspectorPort);
    withWatch.push(await perSecond());
    await stopWatcher(watcher);
  }
  return { idleCpuMsPerSecondWithout: median(without), idleCpuMsPerSecondWith: median(withWatch) };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(r) {
  const deviations = r.without_rps.map((v) => Math.abs(v - r.median_without_rps));
  const spread = ((median(deviations) / r.median_without_rps) * 100).toFixed(0);
  const cpuMedian = r.median_cpu_us_per_request_without;
  const cpuSpread = ((median(r.cpu_us_per_request_without.map((v) => Math.abs(v - cpuMedian))) / cpuMedian) * 100).toFixed(1);
  const rows = r.without_rps.map((w, i) => `| ${i + 1} | ${w} | ${r.with_watch_rps[i]} | ${((1 - r.with_watch_rps[i] / w) * 100).toFixed(2)}% |`);
  return `# Overhead of \`heapscope watch\` at 1 Hz

Requests per second of a busy HTTP target (target.js: every request serialises a small JSON
document) on loopback, under a bounded load (${r.concurrency} keep-alive connections, each sending its next
request when the previous answer arrives), without and with \`heapscope watch --port P --interval 1s\`
attached. ${r.rounds} interleaved rounds of ${r.seconds} s per side, one target process throughout, the side that
goes first alternating. The load generator, the target and the watcher share the machine's ${r.cpus} cores.

Goal: under 1% loss.

| | requests/s (median) |
|---|---|
| without watch | ${r.median_without_rps} |
| with watch at 1 Hz | ${r.median_with_watch_rps} |
| **loss** | **${r.loss_percent}%** (median of per-round losses: ${r.median_paired_loss_percent}%) |

| round | without | with watch | loss |
|---|---|---|---|
${rows.join('\n')}

Samples the watcher took while measured: ${r.watch_samples}.

**The target's CPU time per request** (sum of its threads' /proc schedstat over each round, divided
by the requests served), medians: ${r.median_cpu_us_per_request_without} µs without, ${r.median_cpu_us_per_request_with_watch} µs with the watcher
(${r.cpu_per_request_increase_percent}%). Unlike requests/s, this barely moves when other processes take CPU from the
target, so it is the steadier of the two on a shared machine.

**What a sample costs the target**, measured without load so the load generator's noise is out of
the picture: the target's own CPU time (sum of its threads' /proc schedstat) per second, 3 × ${r.seconds} s
without and with the watcher, medians: ${r.idle_cpu_ms_per_s_without} ms/s without, ${r.idle_cpu_ms_per_s_with_watch} ms/s with —
watching at 1 Hz costs the target **${r.watch_cost_cpu_ms_per_s} ms of CPU per second**, i.e. at most
${(r.watch_cost_cpu_ms_per_s / 10).toFixed(3)}% of one core. A target saturating one core loses about that share of its throughput.

**Verdict.** On this shared machine requests/s move by ±${spread}% and the target's CPU time per request by
±${cpuSpread}% from one round to the next (median absolute deviation of the rounds without watching). The
differences measured here — ${r.loss_percent}% fewer requests/s, ${r.cpu_per_request_increase_percent}% more CPU per request — are
${Math.abs(r.loss_percent) <= Number(spread) && Math.abs(r.cpu_per_request_increase_percent) <= Number(cpuSpread) ? 'within' : 'beyond'} that noise, so
the throughput comparison cannot resolve 1% here. The precise figure is the idle cost: watching at 1 Hz
takes ${r.watch_cost_cpu_ms_per_s} ms of the target's CPU per second, ${(r.watch_cost_cpu_ms_per_s / 10).toFixed(2)}% of a core, under the 1% goal. Under load
the target also runs one GC-observer callback per batch of GCs (a heap-statistics read and a binding
call); the CPU-per-request figure includes it, within its noise.

History: the first version of the probe used perf_hooks' monitorEventLoopDelay at 10 ms resolution
and a 100 ms ticker; this benchmark measured it at 8.8 ms of target CPU per second (0.9% of a
core), which is why the probe now uses a single 500 ms ticker.

Machine: ${r.cpus} cores, Node ${r.node}, ${r.date}. Load average (1, 5, 15 min) before:
${r.loadavg_before.join(', ')}; after: ${r.loadavg_after.join(', ')} — other work was running on the machine,
so single rounds vary; the interleaving is what keeps the comparison fair.

Reproduce: \`npx tsc -b cli && bash bench/watch-overhead/run.sh\` (the defaults: \`--rounds ${r.rounds} --seconds ${r.seconds}
--concurrency ${r.concurrency}\`); it runs the CLI as tsc compiled it (out/cli/main.js),
else dist/cli.js.
`;
}

async function main() {
  const cli = heapscopeCli();
  const loadBefore = os.loadavg();
  const target = await startTarget();
  try {
    const idle = await idleCost(target, cli, seconds);
    await measure(target.httpPort, { concurrency, durationMs: 3000 }); // warm-up: JIT, sockets
    const without = [];
    const withWatch = [];
    const cpuWithout = [];
    const cpuWith = [];
    let watchSamples = 0;
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first, so neither always follows the other.
      const order = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const side of order) {
        const watcher = side === 'with' ? await startWatcher(cli, target.inspectorPort) : undefined;
        const cpuBefore = targetCpuNs(target.child.pid);
        const run = await measure(target.httpPort, { concurrency, durationMs: seconds * 1000 });
        // The target's own CPU time per request: unlike throughput, barely moved by other work on the machine.
        const cpuPerRequestUs = (targetCpuNs(target.child.pid) - cpuBefore) / 1000 / run.completed;
        (side === 'with' ? withWatch : without).push(run.requestsPerSecond);
        (side === 'with' ? cpuWith : cpuWithout).push(cpuPerRequestUs);
        if (watcher) {
          watchSamples += watcher.samples();
          await stopWatcher(watcher);
        }
      }
      process.stderr.write(`round ${round + 1}/${rounds}: without ${without[round].toFixed(0)} req/s, with watch ${withWatch[round].toFixed(0)} req/s\n`);
    }
    const loss = 1 - median(withWatch) / median(without);
    const pairedLosses = without.map((w, i) => 1 - withWatch[i] / w);
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadavg_before: loadBefore.map((l) => Number(l.toFixed(2))),
      loadavg_after: os.loadavg().map((l) => Number(l.toFixed(2))),
      rounds, seconds, concurrency,
      without_rps: without.map((v) => Math.round(v)),
      with_watch_rps: withWatch.map((v) => Math.round(v)),
      median_without_rps: Math.round(median(without)),
      median_with_watch_rps: Math.round(median(withWatch)),
      loss_percent: Number((loss * 100).toFixed(2)),
      median_paired_loss_percent: Number((median(pairedLosses) * 100).toFixed(2)),
      watch_samples: watchSamples,
      cpu_us_per_request_without: cpuWithout.map((v) => Number(v.toFixed(2))),
      cpu_us_per_request_with_watch: cpuWith.map((v) => Number(v.toFixed(2))),
      median_cpu_us_per_request_without: Number(median(cpuWithout).toFixed(2)),
      median_cpu_us_per_request_with_watch: Number(median(cpuWith).toFixed(2)),
      cpu_per_request_increase_percent: Number(((median(cpuWith) / median(cpuWithout) - 1) * 100).toFixed(2)),
      idle_cpu_ms_per_s_without: Number(idle.idleCpuMsPerSecondWithout.toFixed(3)),
      idle_cpu_ms_per_s_with_watch: Number(idle.idleCpuMsPerSecondWith.toFixed(3)),
      watch_cost_cpu_ms_per_s: Number((idle.idleCpuMsPerSecondWith - idle.idleCpuMsPerSecondWithout).toFixed(3)),
    };
    fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report(result));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    target.child.removeAllListeners('exit');
    target.child.kill('SIGKILL');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
