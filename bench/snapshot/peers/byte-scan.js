// The floor: a plain streaming scan of FILE that touches every byte once (counting the commas
// that separate the numbers of the nodes and edges arrays) and holds nothing. No analysis can read
// the snapshot faster than this.
//   node bench/snapshot/peers/byte-scan.js FILE
'use strict';
const fs = require('node:fs');

const COMMA = 0x2c;
const fd = fs.openSync(process.argv[2], 'r');
const chunk = Buffer.allocUnsafe(4 << 20);
let commas = 0;
let bytes = 0;
for (;;) {
  const length = fs.readSync(fd, chunk, 0, chunk.length, null);
  if (length === 0) break;
  bytes += length;
  for (let i = 0; i < length; i++) if (chunk[i] === COMMA) commas++;
}
fs.closeSync(fd);
process.stdout.write(`${JSON.stringify({ bytes, commas })}\n`);
