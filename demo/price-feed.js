// Leak 2, a lapsed listener: each request subscribes to price updates so it can report the
// latest price, but never unsubscribes. The emitter lives forever, so every listener — and the
// request state its closure captured — stays reachable.
'use strict';
const { EventEmitter } = require('events');

const priceFeed = new EventEmitter();
priceFeed.setMaxListeners(0); // silences the warning that would have pointed at the leak

let latestPrice = 100;
const ticker = setInterval(() => {
  latestPrice = Math.round((latestPrice + (Math.random() - 0.5) * 2) * 100) / 100;
  priceFeed.emit('price', latestPrice);
}, 1000);
ticker.unref();

/** Tracks the latest price on behalf of one request. */
function watchPrice(requestState) {
  priceFeed.on('price', (price) => {
    requestState.lastSeenPrice = price;
  });
  return latestPrice;
}

module.exports = { watchPrice };
