/**
 * Show Leak Suspects and Compare Snapshots: analyses of captured snapshots, run in the engine's
 * worker. Suspects that the engine ties to source go onto their lines (runtime findings).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findingsFromSuspects } from '../engine/editor/suspect-findings';
import { formatBytes } from '../engine/series';
import type { LeakSuspect } from '../engine/snapshot';
import { openSource } from './open-source';
import type { Session } from './session';
import type { Services } from './services';
import { loadSnapshot, SNAPSHOT_VIEW_TYPE } from './snapshot-editor';
import { pickSnapshot } from './snapshot-picker';

/** Growth needs several snapshots of one process; more than this many adds little but load time. */
const GROWTH_SNAPSHOTS = 3;

/** The snapshots of the session that holds `uri`, taken before it, oldest first. */
export function olderSnapshotsOf(services: Services, uri: vscode.Uri): string[] {
  for (const session of services.manager.sessions) {
    const snapshots = session.captures.filter((capture) => capture.kind === 'snapshot');
    const index = snapshots.findIndex((capture) => capture.uri.toString() === uri.toString());
    if (index >= 0) return snapshots.slice(Math.max(0, index - (GROWTH_SNAPSHOTS - 1)), index).map((capture) => capture.uri.fsPath);
  }
  return [];
}

export function latestSnapshot(session: Session): vscode.Uri | undefined {
  return session.captures.filter((capture) => capture.kind === 'snapshot').at(-1)?.uri;
}

/** Suspects of a snapshot (with growth across the older snapshots of its session); findings published. */
export async function showSuspects(services: Services, snapshot: vscode.Uri): Promise<LeakSuspect[]> {
  const older = olderSnapshotsOf(services, snapshot);
  const open = services.snapshotEditor.documentFor(snapshot);
  const loaded = open ? undefined : await loadSnapshot(snapshot);
  const client = open?.client ?? loaded!.client;
  try {
    const suspects = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: older.length > 0 ? `Finding leak suspects across ${older.length + 1} snapshots` : 'Finding leak suspects' },
      () => client.suspects(older),
    );
    publishSuspects(services, snapshot, suspects);
    void offerSuspects(snapshot, suspects, older.length);
    return suspects;
  } finally {
    await loaded?.client.close();
  }
}

export function publishSuspects(services: Services, snapshot: vscode.Uri, suspects: readonly LeakSuspect[]): void {
  services.findings.show(`snapshot:${sessionKey(services, snapshot)}`, findingsFromSuspects(suspects), snapshot);
}

/** Findings of later snapshots of a session replace those of its earlier ones. */
function sessionKey(services: Services, snapshot: vscode.Uri): string {
  const owner = services.manager.sessions.find((session) => session.captures.some((capture) => capture.uri.toString() === snapshot.toString()));
  return owner?.id ?? snapshot.toString();
}

/** A quick pick of the suspects; choosing one opens its source line, or the snapshot viewer. */
async function offerSuspects(snapshot: vscode.Uri, suspects: readonly LeakSuspect[], olderCount: number): Promise<void> {
  const note = olderCount === 0 ? ' — take two more snapshots a minute apart to see what grows' : '';
  const picked = await vscode.window.showQuickPick(
    suspects.map((suspect) => ({
      label: suspect.title,
      description: `${formatBytes(suspect.retainedSize)} · ${Math.round(suspect.share * 100)}% of the heap`,
      detail: suspect.location?.scriptName ? `${path.basename(suspect.location.scriptName)}:${suspect.location.line + 1}` : undefined,
      suspect,
    })),
    { title: `${suspects.length} leak suspect${suspects.length === 1 ? '' : 's'} in ${path.basename(snapshot.fsPath)}${note}` },
  );
  const location = picked?.suspect.location;
  if (location?.scriptName) await openSource(location.scriptName, location.line, location.column);
  else if (picked) await vscode.commands.executeCommand('vscode.openWith', snapshot, SNAPSHOT_VIEW_TYPE);
}

/** Compare Snapshots…: pick the two (or take them from the arguments) and open the newer with the older as baseline. */
export async function compareSnapshots(services: Services, base?: vscode.Uri, target?: vscode.Uri): Promise<boolean> {
  const baseline = base ?? (await pickSnapshot(services.manager, `Compare Snapshots: the earlier snapshot (baseline)${target ? ` for ${path.basename(target.fsPath)}` : ''}`, target));
  if (!baseline) return false;
  const newer = target ?? (await pickSnapshot(services.manager, 'Compare Snapshots (2/2): the later snapshot', baseline));
  if (!newer) return false;
  services.snapshotEditor.setBaseline(newer, baseline.fsPath);
  await vscode.commands.executeCommand('vscode.openWith', newer, SNAPSHOT_VIEW_TYPE);
  return true;
}
