/**
 * Every message between the extension and a Heapscope webview, and the checkers each side runs
 * on arrival. The extension calls `parseFromWebview` on everything `onDidReceiveMessage` hands it;
 * the webview calls `parseToWebview` on every `message` event. Anything that does not parse is
 * rejected (logged), never acted on.
 */
import { checkFlameTrees, FlameTree } from './profile';
import { checkGcEvent, checkHeapSample, checkSeriesAnalysis, checkSessionInfo, GcEvent, HeapSample, SeriesAnalysis, SessionInfo } from './series';
import {
  checkLoadProgress,
  checkSnapshotInfo,
  checkSnapshotQuery,
  checkSnapshotQueryResult,
  LoadProgress,
  SnapshotInfo,
  SnapshotQuery,
  SnapshotQueryResult,
} from './snapshot';
import { arrayOf, bool, Check, count, discriminated, literal, nullable, num, object, optional, ProtocolError, str } from './validate';

/** The three webviews. One bundle serves all; the page's `data-view` says which to mount. */
export type ViewKind = 'dashboard' | 'snapshot' | 'flame';
export const checkViewKind: Check<ViewKind> = literal('dashboard', 'snapshot', 'flame');

/** Buttons on the dashboard; the extension runs the matching command for the session. */
export type SessionAction = 'takeSnapshot' | 'startSampling' | 'stopSampling' | 'collectGarbage' | 'detach';
export const checkSessionAction: Check<SessionAction> = literal('takeSnapshot', 'startSampling', 'stopSampling', 'collectGarbage', 'detach');

// ---------------------------------------------------------------- extension -> webview

export type ToWebview =
  /** Something failed on the extension side; shown as a banner. */
  | { type: 'error'; message: string; hint?: string }
  // dashboard
  | { type: 'session'; session: SessionInfo }
  /** New samples to append; `reset` replaces the history (sent after `ready`, e.g. on re-show). */
  | { type: 'samples'; samples: HeapSample[]; gcEvents: GcEvent[]; reset: boolean }
  /** engine/series' analysis of the history so far (floor, slopes, diagnosis); null before enough samples. */
  | { type: 'analysis'; analysis: SeriesAnalysis | null }
  /** Progress of an action the user started (a snapshot capture can take a while). */
  | { type: 'actionState'; action: SessionAction; state: 'running' | 'done' | 'failed'; message?: string; progress?: number }
  // snapshot viewer
  /** The worker's load progress (engine/snapshot's LoadProgress). */
  | { type: 'snapshotProgress'; progress: LoadProgress }
  /** The snapshot is loaded; `baseline` names the snapshot picked to compare with, if any. */
  | { type: 'snapshotReady'; info: SnapshotInfo; baseline: string | null }
  | { type: 'queryResult'; requestId: number; result: SnapshotQueryResult }
  | { type: 'queryError'; requestId: number; message: string }
  // flame graph
  /**
   * A profile to draw: one tree, or a live and a total tree of the same profile (the view offers a
   * toggle). `sampling` is true while a live view is still being updated.
   */
  | { type: 'profile'; title: string; trees: FlameTree[]; sampling: boolean };

export const checkToWebview: Check<ToWebview> = discriminated<'type', ToWebview>('type', {
  error: object({ type: literal('error'), message: str, hint: optional(str) }),
  session: object({ type: literal('session'), session: checkSessionInfo }),
  samples: object({ type: literal('samples'), samples: arrayOf(checkHeapSample, 1_000_000), gcEvents: arrayOf(checkGcEvent, 1_000_000), reset: bool }),
  analysis: object({ type: literal('analysis'), analysis: nullable(checkSeriesAnalysis) }),
  actionState: object({
    type: literal('actionState'),
    action: checkSessionAction,
    state: literal('running', 'done', 'failed'),
    message: optional(str),
    progress: optional(num),
  }),
  snapshotProgress: object({ type: literal('snapshotProgress'), progress: checkLoadProgress }),
  snapshotReady: object({ type: literal('snapshotReady'), info: checkSnapshotInfo, baseline: nullable(str) }),
  queryResult: object({ type: literal('queryResult'), requestId: count, result: checkSnapshotQueryResult }),
  queryError: object({ type: literal('queryError'), requestId: count, message: str }),
  profile: object({ type: literal('profile'), title: str, trees: checkFlameTrees, sampling: bool }),
});

// ---------------------------------------------------------------- webview -> extension

export type FromWebview =
  /** The page has loaded and listens; the extension (re)sends its current data. */
  | { type: 'ready'; view: ViewKind }
  | { type: 'action'; action: SessionAction }
  /** A snapshot query; answered by `queryResult` or `queryError` with the same `requestId`. */
  | { type: 'query'; requestId: number; query: SnapshotQuery }
  /** Ask the extension to let the user pick a baseline snapshot to compare with. */
  | { type: 'pickBaseline' }
  /** Open a script at a 0-based line and column (a closure's definition, a profile frame). */
  | { type: 'openSource'; url: string; line: number; column: number };

export const checkFromWebview: Check<FromWebview> = discriminated<'type', FromWebview>('type', {
  ready: object({ type: literal('ready'), view: checkViewKind }),
  action: object({ type: literal('action'), action: checkSessionAction }),
  query: object({ type: literal('query'), requestId: count, query: checkSnapshotQuery }),
  pickBaseline: object({ type: literal('pickBaseline') }),
  openSource: object({ type: literal('openSource'), url: checkSourceUrl, line: count, column: count }),
});

/**
 * A script URL the extension may open: a file URL, a plain absolute path, or a `node:` builtin.
 * Everything else (http:, javascript:, command: links...) is refused, so a compromised webview
 * cannot make the extension open remote content or run commands. The webview uses the same test to
 * decide which frames and closures get a source link.
 */
export function isOpenableSourceUrl(url: string): boolean {
  return url.length > 0 && url.length <= 4096 && /^(file:\/\/|node:|\/|[A-Za-z]:[\\/])/.test(url);
}

function checkSourceUrl(value: unknown, path: string): string {
  const url = str(value, path);
  if (!isOpenableSourceUrl(url)) throw new ProtocolError(path, 'a file:, node: or absolute-path url of at most 4096 characters');
  return url;
}

// ---------------------------------------------------------------- parsing entry points

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(check: Check<T>, raw: unknown): Parsed<T> {
  try {
    return { ok: true, message: check(raw, 'message') };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error: error.message };
    throw error;
  }
}

/** For the webview: check a message from the extension. */
export function parseToWebview(raw: unknown): Parsed<ToWebview> {
  return parseWith(checkToWebview, raw);
}

/** For the extension: check a message from a webview before acting on it. */
export function parseFromWebview(raw: unknown): Parsed<FromWebview> {
  return parseWith(checkFromWebview, raw);
}
