// Benchmark peer: memlab (@memlab/heap-analysis). Loads FILE the way memlab's own analyses do
// (parse + dominators + retained sizes), then derives the same summary `heapscope analyze --json`
// prints: counts, total size, the 50 biggest retainers and the 30 biggest classes by name.
//   node bench/snapshot/peers/memlab.js FILE
'use strict';
const { getFullHeapFromFile } = require('@memlab/heap-analysis');

async function main(file) {
  const heap = await getFullHeapFromFile(file);
  let totalSize = 0;
  const top = [];
  const classes = new Map();
  heap.nodes.forEach((node) => {
    totalSize += node.self_size;
    top.push({ id: node.id, name: node.name, retained_size: node.retainedSize });
    if (top.length > 500) top.sort((a, b) => b.retained_size - a.retained_size).length = 50;
    const entry = classes.get(node.name) ?? { name: node.name, count: 0, shallow_size: 0, retained_size: 0 };
    entry.count++;
    entry.shallow_size += node.self_size;
    entry.retained_size += node.retainedSize;
    classes.set(node.name, entry);
  });
  top.sort((a, b) => b.retained_size - a.retained_size).length = Math.min(top.length, 50);
  const summary = {
    node_count: heap.nodes.length,
    edge_count: heap.edges.length,
    total_shallow_size: totalSize,
    top_retained: top,
    top_aggregates: [...classes.values()].sort((a, b) => b.retained_size - a.retained_size).slice(0, 30),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
