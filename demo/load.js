// The built-in load generator: requests the service at a steady, bounded rate with a fresh query
// string each time (as real browsers and crawlers do), so the three leaks grow at a visible pace.
// It stops by itself after `maxRequests`, so the demo can never eat the machine.
'use strict';

/** Sends `perSecond` requests a second to http://127.0.0.1:port until `maxRequests` were sent. */
function startLoad({ port, perSecond, maxRequests }) {
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perSecond / 10 && sent < maxRequests; i++, sent++) {
      const product = sent % 50;
      const path = `/products/${product}?session=${sent.toString(36)}&t=${Date.now()}`;
      globalThis.fetch(`http://127.0.0.1:${port}${path}`).then((res) => res.arrayBuffer()).catch(() => undefined);
    }
    if (sent >= maxRequests) {
      clearInterval(timer);
      console.log(`load generator: done after ${sent} requests`);
    }
  }, 100);
}

module.exports = { startLoad };
