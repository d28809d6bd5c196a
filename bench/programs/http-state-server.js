// A real HTTP server with the kind of state a service accumulates: a session store, a response
// cache, per-connection listeners and a pending timer per session. It serves REQUESTS requests
// from a client in the same process, then either writes a heap snapshot to OUT and exits, or (no
// OUT) prints `ready` and keeps serving until stdin closes, so that a test can take the snapshot
// over the inspector protocol.
//
//   node bench/programs/http-state-server.js REQUESTS [OUT.heapsnapshot]
//
// Runs under any Node >= 20 (plain CommonJS). Listens on 127.0.0.1 only.
'use strict';
const http = require('node:http');
const v8 = require('node:v8');
const { EventEmitter } = require('node:events');

const sessions = new Map();
const responseCache = new Map();
const bus = new EventEmitter();
bus.setMaxListeners(0);

function handle(request, response) {
  const url = new URL(request.url, 'http://localhost');
  const user = url.searchParams.get('user') ?? 'anonymous';
  let session = sessions.get(user);
  if (!session) {
    session = { user, created: Date.now(), views: [], onBroadcast: null, expiry: null };
    session.onBroadcast = (message) => session.views.push({ broadcast: message });
    bus.on('broadcast', session.onBroadcast);
    // A long timer per session: the handle keeps the session's closure alive.
    session.expiry = setTimeout(() => sessions.delete(user), 3_600_000);
    sessions.set(user, session);
  }
  session.views.push({ path: url.pathname, at: Date.now(), headers: { ...request.headers } });
  const body = responseCache.get(url.pathname) ??
    JSON.stringify({ path: url.pathname, items: Array.from({ length: 20 }, (_, i) => `${url.pathname}#${i}`) });
  responseCache.set(url.pathname, body);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(body);
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      response.on('end', resolve);
    }).on('error', reject);
  });
}

async function main() {
  const [requestsArg, outPath] = process.argv.slice(2);
  const requests = Number(requestsArg);
  if (!Number.isInteger(requests) || requests < 1) {
    console.error('usage: node http-state-server.js REQUESTS [OUT.heapsnapshot]');
    process.exit(2);
  }
  const server = http.createServer(handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  for (let i = 0; i < requests; i++) {
    await get(port, `/items/${i % 200}?user=user${i % 150}`);
    if (i % 100 === 0) bus.emit('broadcast', `tick ${i}`);
  }
  if (outPath) {
    v8.writeHeapSnapshot(outPath);
    process.exit(0);
  }
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

main();
