/**
 * Why a session ended: `closed` by us, `target-exited` (its program finished or called
 * process.exit), `connection-lost` (the socket dropped: the process died, or the proxy closed).
 */
export type DisconnectReason = 'closed' | 'target-exited' | 'connection-lost';

/** A command sent after (or cut off by) the end of the session. */
export class SessionEndedError extends Error {
  constructor(readonly reason: DisconnectReason) {
    super(
      reason === 'closed' ? 'the inspector session is closed'
        : reason === 'target-exited' ? 'the target program has finished'
          : 'the connection to the target was lost (the process exited or crashed, or the connection was closed)',
    );
    this.name = 'SessionEndedError';
  }
}
