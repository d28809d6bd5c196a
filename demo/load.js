// The built-in load generator: requests the service at a steady, bounded rate with a fresh query
// string each time (as real browsers and crawlers do), so the three leaks grow at a visible pace.
// It stops by itself after `maxRequests`, so the demo can never eat the machine.
'use strict';
const http = require('http');

/**
 * Starts sending `perSecond` requests a second to http://127.0.0.1:port until `maxRequests` were sent.
 * Returns a function that stops it early.
 */
function startLoad({ port, perSecond, maxRequests }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perSecond / 10 && sent < maxRequests; i++, sent++) {
      const product = sent % 50;
      const path = `/products/${product}?session=${sent.toString(36)}&t=${Date.now()}`;
      http.get({ host: '127.0.0.1', port, path, agent }, (res) => res.resume()).on('error', () => undefined);
    }
    if (sent >= maxRequests) {
      clearInterval(timer);
      console.log(`load generator: done after ${sent} requests`);
    }
  }, 100);
  return () => {
    clearInterval(timer);
    agent.destroy();
  };
}

module.exports = { startLoad };
