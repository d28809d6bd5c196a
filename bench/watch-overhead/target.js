'use strict';
// The busy HTTP service whose throughput we measure: every request builds and serialises a small
// JSON document (~0.1 ms of work), like a typical API handler. Prints its port when listening.
const http = require('http');

const items = Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.5, tags: ['a', 'b'] }));
let served = 0;

const server = http.createServer((req, res) => {
  served++;
  const body = JSON.stringify({ served, path: req.url, items });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
