// Leak 3, a timer per request: each request starts an interval that keeps its session "fresh"
// and nobody ever clears it. Timers are GC roots, so each one pins its callback and the session.
'use strict';

/** Refreshes the session every minute, for as long as the process lives. */
function keepSessionFresh(session) {
  setInterval(() => {
    session.refreshedAt = Date.now();
  }, 60_000);
}

module.exports = { keepSessionFresh };
