/** A small leaky program: four collections that grow by 500 entries before each of three snapshots. */
export const LEAKY_PROGRAM = `
class LeakyEntry { constructor(i) { this.index = i; this.payload = 'x'.repeat(1000) + i; } }
const cache = new Map(); const seen = new Set(); const list = []; const bag = {};
function addBatch(k) {
  for (let i = 0; i < 500; i++) {
    const id = k * 500 + i; const entry = new LeakyEntry(id);
    cache.set('k' + id, entry); seen.add(entry); list.push(entry); bag['p' + id] = entry;
  }
}
globalThis.leakyHolder = { cache, seen, list, bag, onTick: function tickHandler() { return cache.size; } };
addBatch(0); snap(); addBatch(1); snap(); addBatch(2); snap();
`;

/** 0-based line of `text` in the script `node -e` runs (real-snapshots.ts adds one prelude line). */
export function programLine(text: string): number {
  return 1 + LEAKY_PROGRAM.split('\n').findIndex((line) => line.includes(text));
}
