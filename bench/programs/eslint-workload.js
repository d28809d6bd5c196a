// A real program whose heap the snapshot tests and benchmarks analyse: ESLint's Linter linting
// JavaScript files from this project's node_modules with the recommended rules, keeping every
// result and SourceCode (AST, tokens, scope manager) alive, then writing a heap snapshot.
//
//   node bench/programs/eslint-workload.js OUT.heapsnapshot FILE_COUNT
//
// FILE_COUNT sets the heap size (roughly 0.1 MB of snapshot per file; past the number of files
// available, the list is linted again and the new results kept too). The file list is sorted, so a
// given count always lints the same files. Runs under any Node >= 20 (plain CommonJS).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const repoRoot = path.resolve(__dirname, '..', '..');
const { Linter } = require(require.resolve('eslint', { paths: [repoRoot] }));
const js = require(require.resolve('@eslint/js', { paths: [repoRoot] }));

const MAX_FILE_BYTES = 200 * 1024; // skip bundles: they make one huge AST, not a realistic mix

function listSourceFiles(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.bin' && entry.name !== '.cache') listSourceFiles(full, out);
    } else if (entry.isFile() && entry.name.endsWith('.js') && !entry.name.endsWith('.min.js')) {
      if (fs.statSync(full).size <= MAX_FILE_BYTES) out.push(full);
    }
  }
  return out;
}

function main() {
  const [outPath, countArg] = process.argv.slice(2);
  const fileCount = Number(countArg);
  if (!outPath || !Number.isInteger(fileCount) || fileCount < 0) {
    console.error('usage: node eslint-workload.js OUT.heapsnapshot FILE_COUNT');
    process.exit(2);
  }
  const files = listSourceFiles(path.join(repoRoot, 'node_modules', 'eslint'), []);
  for (const file of listSourceFiles(path.join(repoRoot, 'node_modules'), [])) {
    if (!file.includes(`${path.sep}eslint${path.sep}`)) files.push(file);
  }
  const config = [
    js.configs.recommended,
    { languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
  ];
  const linter = new Linter({ configType: 'flat' });
  // Kept alive on purpose: this is the heap being measured.
  globalThis.lintResults = [];
  for (let i = 0; i < fileCount; i++) {
    const file = files[i % files.length];
    const code = fs.readFileSync(file, 'utf8');
    // A virtual name: flat config ignores files under node_modules/ by default.
    const messages = linter.verify(code, config, { filename: `file-${i}.js` });
    globalThis.lintResults.push({ file, messages, sourceCode: linter.getSourceCode() });
  }
  v8.writeHeapSnapshot(outPath);
}

main();
