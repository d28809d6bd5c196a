#!/usr/bin/env node
/**
 * `heapscope` command line: one sub-command per file under commands/.
 * Each command module exports `run(argv): Promise<number>` and is loaded on demand,
 * so `heapscope analyze` never pays for loading the TypeScript compiler that `lint` needs.
 * Exit codes: 0 ok, 1 problems found (only when asked), 2 bad input.
 */
import { InputError } from '../engine/errors';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  analyze: { summary: 'analyze a .heapsnapshot: sizes, top dominators, classes, leak suspects', load: () => import('./commands/analyze.js') },
  diff: { summary: 'compare two or more snapshots of one process: growth by class and collection', load: () => import('./commands/diff.js') },
  watch: { summary: 'attach to a Node process, stream heap stats, diagnose the leak class', load: () => import('./commands/watch.js') },
  snapshot: { summary: 'capture a heap snapshot from a live Node process to a file', load: () => import('./commands/snapshot.js') },
  profile: { summary: 'record a sampling heap profile (.heapprofile) from a live Node process', load: () => import('./commands/profile.js') },
  lint: { summary: 'find leak patterns in JS/TS source (text, json or sarif output; --fix)', load: () => import('./commands/lint.js') },
  guard: { summary: "run a script's exported scenario under the heap-growth guard", load: () => import('./commands/guard.js') },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return ['usage: heapscope <command> [options]', '', 'commands:', ...rows, '', 'Run `heapscope <command> --help` for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`heapscope: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof InputError) {
      process.stderr.write(`heapscope: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`heapscope: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 3;
    }
  },
);
