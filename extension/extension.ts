/**
 * Heapscope's entry point (bundled as dist/extension.js): creates the long-lived parts, registers
 * views, editors, the debug type and the commands, and starts the language server. Nothing here
 * analyses anything; see the files it wires.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { DashboardPanels } from './dashboard-panel';
import { registerDebugType } from './debug-config';
import { DebugSessionAttacher } from './debug-session-attach';
import { createLanguageClient } from './language-client';
import { log, showError } from './log';
import { createMonitorHost } from './monitor-host';
import { PROFILE_VIEW_TYPE, ProfileEditorProvider } from './profile-editor';
import { RuntimeFindings } from './runtime-findings';
import type { Services } from './services';
import { SessionManager } from './session-manager';
import { SessionsTree } from './sessions-tree';
import { SNAPSHOT_VIEW_TYPE, SnapshotEditorProvider } from './snapshot-editor';
import { pickSnapshot } from './snapshot-picker';
import { createStatusBar } from './status-bar';
import { olderSnapshotsOf, publishSuspects } from './suspects';

let languageClient: LanguageClient | undefined;
let sessions: SessionManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const manager = (sessions = new SessionManager());
  const findings = new RuntimeFindings();
  languageClient = createLanguageClient(context);
  const services: Services = {
    context,
    manager,
    findings,
    languageClient,
    debugSessions: new DebugSessionAttacher(manager),
    dashboards: new DashboardPanels(context.extensionUri, (action, session) => vscode.commands.executeCommand(`heapscope.${action}`, session.id)),
    snapshotEditor: new SnapshotEditorProvider(
      context.extensionUri,
      (uri, suspects) => publishSuspects(services, uri, suspects),
      (uri) => olderSnapshotsOf(services, uri),
      (uri) => pickSnapshot(manager, 'Compare with which snapshot of the same process?', uri),
    ),
  };
  const tree = new SessionsTree(manager);
  context.subscriptions.push(
    log.channel,
    manager,
    findings,
    services.debugSessions,
    services.dashboards,
    tree,
    vscode.window.createTreeView('heapscope.sessions', { treeDataProvider: tree, showCollapseAll: true }),
    createStatusBar(manager),
    vscode.window.registerCustomEditorProvider(SNAPSHOT_VIEW_TYPE, services.snapshotEditor, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.window.registerCustomEditorProvider(PROFILE_VIEW_TYPE, new ProfileEditorProvider(context.extensionUri)),
    registerDebugType(createMonitorHost(manager)),
    ...registerCommands(services),
  );
  languageClient.start().catch((error: unknown) => showError('Starting the Heapscope language server', error));
  log.info('Heapscope activated');
}

/** Leaves every watched process as it was found before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await Promise.all([sessions?.detachAll(), languageClient?.isRunning() ? languageClient.stop() : undefined]);
}
