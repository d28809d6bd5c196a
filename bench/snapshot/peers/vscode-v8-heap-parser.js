// Benchmark peer: @vscode/v8-heap-parser, the WebAssembly parser behind VS Code's heap snapshot
// viewer. Does what the viewer does on open: read the whole file, decode it (graph, dominators,
// retained sizes), then list the biggest classes.
//   node bench/snapshot/peers/vscode-v8-heap-parser.js FILE
'use strict';
const fs = require('node:fs');
const { decode_bytes: decodeBytes } = require('@vscode/v8-heap-parser');

const graph = decodeBytes(fs.readFileSync(process.argv[2]));
const classes = graph.get_class_groups(0, 30, false).map((group) => ({
  name: group.name(),
  count: group.children_len,
  shallow_size: Number(group.self_size),
  retained_size: Number(group.retained_size),
}));
process.stdout.write(`${JSON.stringify({ top_aggregates: classes })}\n`);
