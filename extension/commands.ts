/**
 * Every Heapscope command, registered in one place. Handlers are small: they resolve their
 * arguments and call the file that does the job. Errors reach the user through showError (an
 * InputError's message and hint verbatim); a command's promise still rejects, so callers (tests)
 * see the failure too.
 *
 * Command ids, their arguments and what they return (for scripts and the end-to-end tests):
 *
 *   heapscope.attach(target?)             target: port number | "9229" | "host:port" | "ws://…" | { port, host } | { url }
 *                                         none: quick pick of discovered targets. -> session id
 *   heapscope.launchScript(program?, args?)  starts a `heapscope` debug session (output in the Debug
 *                                         Console, stop/restart on the toolbar). -> session id
 *   heapscope.attachDebugSession(debugSessionId?)  js-debug's CDP proxy for that (or the active)
 *                                         Node debug session. -> session id
 *   heapscope.takeSnapshot(session?, { confirmed?, open? })  confirmed skips the "it pauses the
 *                                         target" warning; open (default true) opens the viewer. -> file path
 *   heapscope.startSampling(session?, { live? })  live (default true) opens the live flame graph. -> true
 *   heapscope.stopSampling(session?, { open? })  saves the .heapprofile, puts its top live allocation
 *                                         sites on their lines. -> file path
 *   heapscope.collectGarbage(session?, { confirmed? })  -> true when collected, false when declined
 *   heapscope.compareSnapshots(base?, target?)   paths or URIs; none: quick picks. -> true when opened
 *   heapscope.showSuspects(session? | snapshot path/URI)  -> LeakSuspect[] (engine/snapshot types)
 *   heapscope.detach(session?)            -> true
 *   heapscope.removeSession(session?)     forgets a session (its captures stay on disk) -> true
 *   heapscope.openDashboard(session?)     -> true
 *   heapscope.openCapture(path/URI)       opens a snapshot or profile in Heapscope's viewer
 *   heapscope.clearRuntimeFindings()      removes runtime diagnostics and CodeLens
 *   heapscope.restartLanguageServer()
 *
 * `session?` is a session id (as returned above), a Sessions-tree node, or nothing (the session of
 * the active debug session, else the current one, else a quick pick).
 *
 * Test hook, registered only when the extension runs under a test runner (ExtensionMode.Test) or
 * with HEAPSCOPE_TEST_MODE=1 in the environment:
 *   heapscope.test.getState() -> { sessions: [{ id, label, origin, state, sampling, samples,
 *     heapUsed, diagnosis, captures: [{ kind, path }] }], runtimeFindings: [{ file, line, title }],
 *     webviewMessages: { ready: n, query: n, rejected: n, … } (inbound webview messages by type),
 *     webviewMessagesSent: { snapshotProgress: n, snapshotReady: n, … } (outbound, by type),
 *     languageServer: 'starting' | 'running' | 'stopped' }
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseAttachInput, type AttachAddress } from '../engine/editor/attach-input';
import { InputError } from '../engine/errors';
import { attachTo, pickAddress } from './attach';
import { collectGarbage, confirmSnapshot, startSampling, stopSampling, takeSnapshot } from './capture';
import { launchScript } from './launch-script';
import { showError } from './log';
import { showLiveFlame, PROFILE_VIEW_TYPE } from './profile-editor';
import type { Services } from './services';
import { resolveSession } from './session-argument';
import type { SessionsTreeNode } from './sessions-tree';
import { settings } from './settings';
import { SNAPSHOT_VIEW_TYPE } from './snapshot-editor';
import { compareSnapshots, latestSnapshot, showSuspects } from './suspects';
import { isTestMode, testState } from './test-hook';

type Handler = (...args: unknown[]) => Promise<unknown>;

export function registerCommands(services: Services): vscode.Disposable[] {
  const handlers: Record<string, [doing: string, handler: Handler]> = {
    'heapscope.attach': ['Attaching', async (target) => showDashboardOf(services, await attach(services, target))],
    'heapscope.launchScript': ['Launching the script', async (program, args) =>
      showDashboardOf(services, await launchScript(services.manager, asPath(program), asStrings(args)))],
    'heapscope.attachDebugSession': ['Attaching to the debug session', async (id) => showDashboardOf(services, await attachDebugSession(services, id))],
    'heapscope.takeSnapshot': ['Taking the heap snapshot', (session, options) => snapshot(services, session, asOptions(options))],
    'heapscope.startSampling': ['Starting allocation sampling', (session, options) => sample(services, session, asOptions(options))],
    'heapscope.stopSampling': ['Stopping allocation sampling', (session, options) => stopSample(services, session, asOptions(options))],
    'heapscope.collectGarbage': ['Collecting garbage', async (session, options) =>
      collectGarbage(await resolveSession(services, session, { live: true }), asOptions(options).confirmed === true)],
    // Invoked on a snapshot in the tree, that snapshot is the later one: only the baseline is asked for.
    'heapscope.compareSnapshots': ['Comparing snapshots', (base, target) =>
      isCaptureNode(base) ? compareSnapshots(services, undefined, base.capture.uri) : compareSnapshots(services, asUri(base), asUri(target))],
    'heapscope.showSuspects': ['Finding leak suspects', (argument) => suspects(services, argument)],
    'heapscope.detach': ['Detaching', async (session) => {
      await (await resolveSession(services, session, { live: true })).detach();
      return true;
    }],
    'heapscope.removeSession': ['Removing the session', async (session) => {
      services.manager.remove(await resolveSession(services, session, { live: false }));
      return true;
    }],
    'heapscope.openDashboard': ['Opening the memory dashboard', async (argument) => {
      const session = await resolveSession(services, argument, { live: false });
      // The session the user looks at becomes the status bar's.
      services.manager.select(session);
      services.dashboards.show(session);
      return true;
    }],
    'heapscope.openCapture': ['Opening the capture', (uri) => openCapture(asUri(uri))],
    'heapscope.clearRuntimeFindings': ['Clearing runtime findings', async () => services.findings.clear()],
    'heapscope.restartLanguageServer': ['Restarting the language server', () => services.languageClient.restart()],
  };
  const testMode = isTestMode(services.context);
  void vscode.commands.executeCommand('setContext', 'heapscope.testMode', testMode);
  if (testMode) handlers['heapscope.test.getState'] = ['Reading the test state', async () => testState(services)];
  return Object.entries(handlers).map(([id, [doing, handler]]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        showError(doing, error);
        throw error;
      }
    }),
  );
}

async function attach(services: Services, target: unknown): Promise<string | undefined> {
  let address: AttachAddress | undefined;
  let label: string | undefined;
  if (typeof target === 'number') address = parseAttachInput(String(target));
  else if (typeof target === 'string') address = parseAttachInput(target);
  else if (typeof target === 'object' && target !== null) {
    const { port, host, url } = target as { port?: number; host?: string; url?: string };
    address = url ? { url } : port !== undefined ? { host: host ?? '127.0.0.1', port } : undefined;
    if (!address) throw new InputError('attach needs a port or a ws:// url');
  } else {
    const picked = await pickAddress();
    if (!picked) return undefined;
    ({ address, label } = picked);
  }
  return (await attachTo(services.manager, address, { label })).id;
}

/**
 * After an attach the user wants to watch memory: the new session's dashboard opens beside the
 * editor without taking focus (unless `heapscope.openDashboardOnAttach` is off). Returns the id.
 */
function showDashboardOf<T extends string | undefined>(services: Services, sessionId: T): T {
  const session = services.manager.sessions.find((candidate) => candidate.id === sessionId);
  if (session && settings.openDashboardOnAttach()) services.dashboards.show(session, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  return sessionId;
}

async function attachDebugSession(services: Services, id: unknown): Promise<string> {
  const debugSession = typeof id === 'string' ? services.debugSessions.find(id) : vscode.debug.activeDebugSession;
  if (typeof id === 'string' && !debugSession) throw new InputError(`there is no debug session '${id}'`);
  return (await services.debugSessions.attach(debugSession)).id;
}

async function snapshot(services: Services, argument: unknown, options: CommandOptions): Promise<string | undefined> {
  const session = await resolveSession(services, argument, { live: true });
  if (!options.confirmed && !(await confirmSnapshot(services.context, session))) return undefined;
  const uri = await takeSnapshot(services.context, session);
  if (options.open !== false) await vscode.commands.executeCommand('vscode.openWith', uri, SNAPSHOT_VIEW_TYPE);
  return uri.fsPath;
}

async function sample(services: Services, argument: unknown, options: CommandOptions): Promise<boolean> {
  const session = await resolveSession(services, argument, { live: true });
  await startSampling(session);
  if (options.live !== false) showLiveFlame(services.context.extensionUri, session);
  return true;
}

async function stopSample(services: Services, argument: unknown, options: CommandOptions): Promise<string> {
  const session = await resolveSession(services, argument, { live: true });
  const uri = await stopSampling(services.context, session, services.findings);
  if (options.open !== false) await vscode.commands.executeCommand('vscode.openWith', uri, PROFILE_VIEW_TYPE);
  return uri.fsPath;
}

async function suspects(services: Services, argument: unknown): Promise<unknown> {
  const file = asUri(argument);
  if (file) return showSuspects(services, file);
  const session = await resolveSession(services, argument, { live: false });
  const latest = latestSnapshot(session);
  if (!latest) {
    throw new InputError(`no snapshot of ${session.label} yet`, 'Take a heap snapshot first (two or three, a minute apart, to see what grows).');
  }
  return showSuspects(services, latest);
}

async function openCapture(uri: vscode.Uri | undefined): Promise<void> {
  if (!uri) throw new InputError('no file to open');
  const viewType = uri.fsPath.endsWith('.heapprofile') ? PROFILE_VIEW_TYPE : SNAPSHOT_VIEW_TYPE;
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
}

interface CommandOptions {
  confirmed?: boolean;
  open?: boolean;
  live?: boolean;
}

function asOptions(value: unknown): CommandOptions {
  return typeof value === 'object' && value !== null ? (value as CommandOptions) : {};
}

/** A path, a URI (tests, CodeLens) or a capture in the Sessions tree; undefined for anything else. */
function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && path.isAbsolute(value)) return vscode.Uri.file(value);
  if (isCaptureNode(value)) return value.capture.uri;
  return undefined;
}

function isCaptureNode(value: unknown): value is Extract<SessionsTreeNode, { kind: 'capture' }> {
  return typeof value === 'object' && value !== null && (value as Partial<SessionsTreeNode>).kind === 'capture';
}

function asPath(value: unknown): string | undefined {
  return asUri(value)?.fsPath;
}

function asStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}
