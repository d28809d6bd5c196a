/**
 * The child side of `heapscope guard -- node script.js`: loads the script's exported scenario and
 * runs it under `measureLeak`. Invoked as `node [node flags] runner.js script.js [args]`, with the
 * guard's options in HEAPSCOPE_GUARD_OPTIONS (JSON). Writes the report as JSON to the file named by
 * HEAPSCOPE_GUARD_REPORT (when set) and exits 0 (passed), 1 (leaked) or 2 (bad input).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatFailure, measureLeak, type GuardWork } from './index';
import { formatBytes } from './size';
import type { GuardOptions } from './options';
import { InputError } from '../errors';

/** `scenario`, or a default export that is a function or has `scenario`. */
function findScenario(exports: Record<string, unknown>): GuardWork | undefined {
  const candidates = [exports.scenario, exports.default, (exports.default as Record<string, unknown> | undefined)?.scenario];
  return candidates.find((c): c is GuardWork => typeof c === 'function');
}

async function main(): Promise<number> {
  const [script, ...args] = process.argv.slice(2);
  if (!script) throw new InputError('no script given', 'Usage: heapscope guard -- node script.js');
  const path = resolve(script);
  process.argv = [process.argv[0], path, ...args];
  // A plain `import()` that esbuild must leave alone: the script is the user's, found at run time.
  const load = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
  const exports = await load(pathToFileURL(path).href);
  const scenario = findScenario(exports);
  if (!scenario) {
    throw new InputError(`${script} exports no scenario`, 'Export the work to repeat: `module.exports.scenario = (i) => handle(i)` or `export function scenario(i) {…}`.');
  }
  const fromScript = (exports.guardOptions ?? {}) as GuardOptions;
  const fromCli = JSON.parse(process.env.HEAPSCOPE_GUARD_OPTIONS ?? '{}') as GuardOptions;
  const report = await measureLeak(scenario, { name: `scenario() of ${script}`, ...fromScript, ...fromCli });
  if (process.env.HEAPSCOPE_GUARD_REPORT) writeFileSync(process.env.HEAPSCOPE_GUARD_REPORT, JSON.stringify(report));
  if (report.passed) {
    const total = report.retainedAfterBatch[report.retainedAfterBatch.length - 1] ?? 0;
    const growth = total > 0 ? `${formatBytes(total)} retained` : 'nothing retained';
    process.stderr.write(`heapscope guard: ${script} passed: ${growth} over ${report.iterations.toLocaleString('en-US')} iterations, not growing at the end, no handles left\n`);
    return 0;
  }
  process.stderr.write(formatFailure(report) + '\n');
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof InputError ? `${error.message}${error.hint ? `\n  ${error.hint}` : ''}` : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`heapscope guard: ${message}\n`);
    process.exit(2);
  },
);
