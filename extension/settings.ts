/**
 * Typed access to the `heapscope.*` settings. Read at the moment of use (never cached), so a change
 * in the Settings editor applies to the next action without a reload.
 */
import * as vscode from 'vscode';

function section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('heapscope', scope);
}

export const settings = {
  /** Milliseconds between heap-statistics samples. */
  statsIntervalMs: (): number => section().get<number>('statsInterval', 1000),
  /** Mean bytes between samples of the allocation sampling profiler. */
  samplingIntervalBytes: (): number => section().get<number>('samplingInterval', 512 * 1024),
  /** True when the user opted in to non-loopback inspector hosts once and for all (application scope only). */
  allowRemote: (): boolean => section().get<boolean>('allowRemote', false),
  offerDebugSessionAttach: (): boolean => section().get<boolean>('offerDebugSessionAttach', true),
  /** An explicit folder for captures, or '' for the extension's private storage. */
  snapshotDirectory: (): string => section().get<string>('snapshotDirectory', ''),
  /** Open a session's memory dashboard beside the editor as soon as it is attached. */
  openDashboardOnAttach: (): boolean => section().get<boolean>('openDashboardOnAttach', true),
};
