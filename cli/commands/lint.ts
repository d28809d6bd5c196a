/**
 * `heapscope lint PATHS [--format text|json|sarif] [--fix] [--config .heapscoperc.json]`
 * Exit 0 when clean (or only warnings), 1 when any finding is at error level, 2 on bad input.
 */
import * as path from 'path';
import { InputError } from '../../engine/errors';
import { defaultSettings, findRcFile, loadRcFile } from '../../language-server/config';
import { expandPaths, lintFilesInParallel, type LintReport } from '../../language-server/lint';
import { allRules } from '../../language-server/rules/index';
import { toSarif } from '../../language-server/sarif';
import { parseArgs } from '../args';

const HELP = `usage: heapscope lint PATHS... [--format text|json|sarif] [--fix] [--config FILE]

Finds leak patterns in JavaScript and TypeScript (.js .jsx .ts .tsx .mjs .cjs): unbounded caches,
growing arrays, listeners and timers never removed, and more. Folders are searched recursively
(node_modules is skipped); quote globs, e.g. "src/**/*.ts".

  --format   text (default), json (an array of findings) or sarif (SARIF 2.1.0)
  --fix      apply the preferred quick fix of every fixable finding, in place
  --config   settings file (default: the nearest .heapscoperc.json), e.g.
             { "rules": { "unbounded-cache": "error", "growing-array": "off" }, "maxFileBytes": 1048576 }

Exit code: 0 no error-level findings, 1 error-level findings, 2 bad input.`;

function formatText(report: LintReport): string {
  const lines = report.findings.map((f) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  [${f.rule}]`);
  lines.push(...report.notes.map((n) => `${n.file}: ${n.note}`));
  const fixed = report.filesFixed ? `, fixed ${report.filesFixed} file${report.filesFixed === 1 ? '' : 's'}` : '';
  lines.push(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} in ${report.filesChecked} file${report.filesChecked === 1 ? '' : 's'}${fixed}`);
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config'], booleans: ['fix', 'help'] });
  if (args.booleans.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = args.values.get('format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new InputError(`unknown --format ${format}`, 'Use text, json or sarif.');
  if (args.positionals.length === 0) throw new InputError('no files to lint', 'Usage: heapscope lint PATHS... (run with --help for options)');
  const cwd = process.cwd();
  const configFile = args.values.get('config') ?? findRcFile(cwd);
  const settings = configFile ? loadRcFile(path.resolve(cwd, configFile), allRules) : defaultSettings;
  const files = expandPaths(args.positionals, cwd);
  const report = await lintFilesInParallel(files, { settings, cwd, fix: args.booleans.has('fix') });

  if (format === 'json') process.stdout.write(JSON.stringify(report.findings, null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(report.findings, allRules, settings, '0.1.0'), null, 2) + '\n');
  else process.stdout.write(formatText(report));
  if (format !== 'text') for (const note of report.notes) process.stderr.write(`${note.file}: ${note.note}\n`);
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
