// A small product-catalogue service with three classic memory leaks (see README.md), and a load
// generator that exercises them. Start it with an inspector so Heapscope can attach:
//   node --inspect=127.0.0.1:9229 server.js            (PORT=3000 and LOAD_RATE=40 by default)
// Options (environment): PORT (0 = any free port), LOAD_RATE requests/s (0 = no load), LOAD_MAX requests in all.
'use strict';
const http = require('http');
const { cachedPage } = require('./catalog-cache');
const { watchPrice } = require('./price-feed');
const { keepSessionFresh } = require('./session-refresh');
const { startLoad } = require('./load');

const port = Number(process.env.PORT ?? 3000);
const loadRate = Number(process.env.LOAD_RATE ?? 40);
const loadMax = Number(process.env.LOAD_MAX ?? 60_000);

function renderProduct(id) {
  const reviews = Array.from({ length: 20 }, (_, i) => `Review ${i} of product ${id}: ${'★'.repeat(1 + (i % 5))} works as described.`);
  return JSON.stringify({ id, name: `Product ${id}`, reviews });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = /^\/products\/(\d+)$/.exec(url.pathname);
  if (!match) {
    res.writeHead(url.pathname === '/' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(url.pathname === '/' ? 'heapscope demo: GET /products/<id>\n' : 'not found\n');
    return;
  }
  const session = { id: url.searchParams.get('session') ?? 'anonymous', startedAt: Date.now(), history: [req.url] };
  keepSessionFresh(session);
  const price = watchPrice(session);
  const page = cachedPage(req.url ?? '', () => renderProduct(match[1]));
  res.writeHead(200, { 'content-type': 'application/json', 'x-price': String(price) });
  res.end(page);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`heapscope demo service listening on http://127.0.0.1:${actualPort} (pid ${process.pid})`);
  if (loadRate > 0) {
    console.log(`load generator: ${loadRate} requests/s, at most ${loadMax} requests`);
    startLoad({ port: actualPort, perSecond: loadRate, maxRequests: loadMax });
  }
});
