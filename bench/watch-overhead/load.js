'use strict';
/**
 * A bounded HTTP load generator: `concurrency` keep-alive connections, each sending its next
 * request as soon as the previous answer arrives, for `durationMs`. Returns completed requests per
 * second. Bounded by construction: at most `concurrency` requests are ever in flight.
 */
const http = require('http');

function measure(port, { concurrency = 16, durationMs = 10_000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = Date.now() + durationMs;
  let completed = 0;
  let errors = 0;
  const loop = () => new Promise((resolve) => {
    const next = () => {
      if (Date.now() >= deadline) return resolve();
      const req = http.get({ host: '127.0.0.1', port, path: `/item/${completed % 100}`, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          completed++;
          next();
        });
      });
      req.on('error', () => {
        errors++;
        setTimeout(next, 10);
      });
    };
    next();
  });
  const started = Date.now();
  return Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
    agent.destroy();
    return { requestsPerSecond: completed / ((Date.now() - started) / 1000), completed, errors };
  });
}

module.exports = { measure };
