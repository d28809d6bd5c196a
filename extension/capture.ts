/**
 * Captures from a live session: a heap snapshot (progress + cancel; it pauses the target), the
 * allocation sampling profiler (start, stop → .heapprofile), and a forced GC (only after a warning).
 * Each returns what it produced, so commands and tests can use it.
 */
import * as vscode from 'vscode';
import { InputError } from '../engine/errors';
import { formatBytes } from '../engine/series';
import { SNAPSHOT_PAUSE_WARNING } from '../engine/inspector';
import { buildFlameTree, saveHeapProfile } from '../engine/profile';
import { findingsFromProfile } from '../engine/editor/suspect-findings';
import { captureFile } from './captures';
import type { RuntimeFindings } from './runtime-findings';
import type { Session } from './session';
import { settings } from './settings';

/** Sessions with a snapshot under way: V8 streams one snapshot at a time, and two would interleave their chunks. */
const snapshotting = new WeakSet<Session>();

export async function takeSnapshot(context: vscode.ExtensionContext, session: Session): Promise<vscode.Uri> {
  if (snapshotting.has(session)) throw new InputError(`a heap snapshot of ${session.label} is already being taken`, 'Wait for it to finish.');
  snapshotting.add(session);
  try {
    return await captureSnapshot(context, session);
  } finally {
    snapshotting.delete(session);
  }
}

async function captureSnapshot(context: vscode.ExtensionContext, session: Session): Promise<vscode.Uri> {
  const uri = await captureFile(context, session.label, 'snapshot');
  session.reportAction({ action: 'takeSnapshot', state: 'running', message: 'the process is paused while V8 writes the snapshot' });
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Heap snapshot of ${session.label}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: 'the process is paused until it is written…' });
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        await session.inspector.takeHeapSnapshot(uri.fsPath, {
          signal: controller.signal,
          onProgress: ({ done, total, bytesWritten }) => {
            const percent = total > 0 ? (100 * done) / total : 0;
            progress.report({ increment: percent - shown, message: total > 0 && done < total ? `${Math.round(percent)}% walked` : `${formatBytes(bytesWritten)} written` });
            session.reportAction({ action: 'takeSnapshot', state: 'running', progress: percent / 100 });
            shown = percent;
          },
        });
      },
    );
  } catch (error) {
    session.reportAction({ action: 'takeSnapshot', state: 'failed', message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  session.addCapture({ kind: 'snapshot', uri, takenAt: Date.now() });
  session.reportAction({ action: 'takeSnapshot', state: 'done' });
  return uri;
}

const SNAPSHOT_WARNING_DISMISSED = 'heapscope.snapshotWarningDismissed';

/** Before a snapshot: say it pauses the target and that the file holds secrets, until the user has read it enough. */
export async function confirmSnapshot(context: vscode.ExtensionContext, session: Session): Promise<boolean> {
  if (context.globalState.get<boolean>(SNAPSHOT_WARNING_DISMISSED)) return true;
  const take = 'Take Snapshot';
  const takeAlways = 'Take Snapshot, Don\'t Warn Again';
  const answer = await vscode.window.showWarningMessage(`Take a heap snapshot of ${session.label}?`, { modal: true, detail: SNAPSHOT_PAUSE_WARNING }, take, takeAlways);
  if (answer === takeAlways) await context.globalState.update(SNAPSHOT_WARNING_DISMISSED, true);
  return answer === take || answer === takeAlways;
}

export async function startSampling(session: Session): Promise<void> {
  await session.inspector.startSampling({ intervalBytes: settings.samplingIntervalBytes() });
  session.setSampling(true);
  session.reportAction({ action: 'startSampling', state: 'done' });
}

/** Stops the sampler, saves the profile, and puts its top live allocation sites on their source lines. */
export async function stopSampling(context: vscode.ExtensionContext, session: Session, findings: RuntimeFindings): Promise<vscode.Uri> {
  const profile = await session.inspector.stopSampling();
  session.setSampling(false);
  const uri = await captureFile(context, session.label, 'profile');
  await saveHeapProfile(profile, uri.fsPath);
  session.addCapture({ kind: 'profile', uri, takenAt: Date.now() });
  findings.show(`${session.id}/profile`, findingsFromProfile(buildFlameTree(profile, 'live')), uri);
  session.reportAction({ action: 'stopSampling', state: 'done' });
  return uri;
}

/** A forced full GC blocks the target: ask first, unless the caller already did. */
export async function collectGarbage(session: Session, confirmed: boolean): Promise<boolean> {
  if (!confirmed) {
    const collect = 'Collect Garbage';
    const answer = await vscode.window.showWarningMessage(
      `Force a full garbage collection in ${session.label}?`,
      { modal: true, detail: 'The process is paused while V8 collects (0.3–1 s on a big heap, longer on a huge one). Do this only to check what survives a GC.' },
      collect,
    );
    if (answer !== collect) return false;
  }
  session.reportAction({ action: 'collectGarbage', state: 'running' });
  await session.inspector.collectGarbage();
  session.reportAction({ action: 'collectGarbage', state: 'done' });
  return true;
}
