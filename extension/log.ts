/**
 * The "Heapscope" output channel, and how errors reach the user: an InputError (bad port, not a
 * snapshot, …) is shown verbatim with its hint; a cancellation is not an error; anything else is
 * shown by message and logged with its stack.
 */
import * as vscode from 'vscode';
import { CancelledError, InputError } from '../engine/errors';

const channel = vscode.window.createOutputChannel('Heapscope', { log: true });

export const log = {
  channel,
  info: (message: string) => channel.info(message),
  warn: (message: string) => channel.warn(message),
  error: (message: string) => channel.error(message),
};

/** The text a user sees for an error: InputError messages and hints verbatim, others by message. */
export function errorText(error: unknown): { message: string; hint?: string } {
  if (error instanceof InputError) return error.hint ? { message: error.message, hint: error.hint } : { message: error.message };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}

function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError') || error instanceof vscode.CancellationError;
}

/** Shows an error to the user (never throws); `doing` says what failed: "Taking the heap snapshot". */
export function showError(doing: string, error: unknown): void {
  if (isCancellation(error)) {
    log.info(`${doing}: cancelled`);
    return;
  }
  const { message, hint } = errorText(error);
  log.error(`${doing} failed: ${error instanceof Error && !(error instanceof InputError) ? (error.stack ?? message) : message}`);
  void vscode.window.showErrorMessage(`${doing} failed: ${message}${hint ? ` ${hint}` : ''}`);
}
