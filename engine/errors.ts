/**
 * An error caused by what the user gave us (a file, a port, a flag), not by a bug.
 * Its message says what is wrong and where; `hint` says what to do about it.
 * The CLI prints these without a stack trace and exits with code 2; the extension shows them as-is.
 */
export class InputError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Thrown when the user (or a caller) cancels long work such as parsing or capture. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
