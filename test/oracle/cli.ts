// `node out/test/oracle/cli.js FILE [--retained-sizes OUT.tsv] [--second-thread]`
// Prints DevTools' figures for FILE in the `heapscope analyze --json` shape. With --retained-sizes,
// also writes one line per node: id, self size, retained size, type, name (JSON-quoted), sorted by
// id, so `diff` against the same listing from our engine shows the first node that disagrees.
// DevTools' own warnings go to stderr.
import * as fs from 'node:fs';

import { analyzeAndListNodes, analyzeWithDevTools, OracleOptions } from './devtools-oracle';

const USAGE = 'usage: node out/test/oracle/cli.js FILE [--retained-sizes OUT.tsv] [--second-thread]';

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const options: OracleOptions = { onWarning: (text) => process.stderr.write(`devtools: ${text}\n`) };
  let listingPath: string | undefined;
  const files: string[] = [];
  while (args.length) {
    const arg = args.shift() as string;
    if (arg === '--retained-sizes') listingPath = args.shift();
    else if (arg === '--second-thread') options.secondThread = true;
    else files.push(arg);
  }
  if (files.length !== 1 || (listingPath === undefined && argv.includes('--retained-sizes'))) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (listingPath === undefined) {
    process.stdout.write(`${JSON.stringify(await analyzeWithDevTools(files[0], options), null, 2)}\n`);
    return;
  }
  const { analysis, nodes } = await analyzeAndListNodes(files[0], options);
  const lines = [...nodes.entries()].sort(([a], [b]) => a - b).map(([id, row]) =>
    `${id}\t${row.selfSize}\t${row.retainedSize}\t${row.type}\t${JSON.stringify(row.name)}`);
  fs.writeFileSync(listingPath, `${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
