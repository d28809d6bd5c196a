/**
 * The protocol's checkers: real engine output passes unchanged (the mirror types are structurally
 * the engine's), and malformed or hostile messages from either side are rejected with the path of
 * the offending field. Also the page builder's CSP and escaping.
 */
import * as assert from 'node:assert/strict';
import { SnapshotWorkerClient } from '../../engine/snapshot';
import { webviewHtml } from '../../protocol/html';
import { parseFromWebview, parseToWebview, ToWebview } from '../../protocol/messages';
import { FLAME_LIMITS, FlameNode } from '../../protocol/profile';
import { SeriesAnalysis } from '../../protocol/series';
import { LeakSuspect, SnapshotQueryResult } from '../../protocol/snapshot';
import { leakySnapshots, recordLiveSession, removeFixtures } from './fixtures';

function rejected(raw: unknown, side: 'to' | 'from'): string {
  const parsed = side === 'to' ? parseToWebview(raw) : parseFromWebview(raw);
  if (parsed.ok) assert.fail(`should be rejected: ${String(JSON.stringify(raw)).slice(0, 200)}`);
  return parsed.error;
}

/** What the message looks like after postMessage (JSON in VS Code's webview transport). */
function overTheWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('protocol checkers', function () {
  this.timeout(60_000);
  after(() => removeFixtures());

  describe('accept real engine output unchanged', () => {
    it('series: samples, GC events and the analysis of a live session', async () => {
      const session = await recordLiveSession();
      // Compile-time half of the mirror check: engine values are assignable to the protocol types.
      const analysis: SeriesAnalysis = session.analysis;
      const messages: ToWebview[] = [
        { type: 'samples', samples: session.samples, gcEvents: session.gcEvents, reset: true },
        { type: 'analysis', analysis },
      ];
      for (const message of messages) {
        const parsed = parseToWebview(overTheWire(message));
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
        assert.deepEqual(parsed.message, overTheWire(message));
      }
    });

    it('profile: live and total flame trees', async () => {
      const { live, total } = await recordLiveSession();
      const message: ToWebview = { type: 'profile', title: 'p', trees: [live, total], sampling: true };
      const parsed = parseToWebview(overTheWire(message));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.deepEqual(parsed.message, overTheWire(message));
    });

    it('snapshot: every query result the worker gives', async () => {
      const { current, baseline } = leakySnapshots();
      const client = await SnapshotWorkerClient.open(current);
      try {
        const rows = await client.aggregates();
        const session = rows.find((r) => r.name === 'Session')!;
        const instances = await client.instances(session.key, 0, 50);
        const node = instances.items[0].index;
        const suspects: LeakSuspect[] = await client.suspects([baseline]);
        const results: SnapshotQueryResult[] = [
          { kind: 'summary', rows },
          { kind: 'instances', classKey: session.key, page: instances },
          { kind: 'dominatorChildren', nodeIndex: 0, page: await client.dominatorChildren(0, 0, 100) },
          { kind: 'retainers', nodeIndex: node, page: await client.retainers(node, 0, 100) },
          { kind: 'pathToRoot', nodeIndex: node, path: await client.pathToRoot(node) },
          { kind: 'compare', baseline: 'baseline.heapsnapshot', comparison: await client.compareWith(baseline) },
          { kind: 'suspects', suspects },
        ];
        results.forEach((result, requestId) => {
          const message = overTheWire({ type: 'queryResult', requestId, result });
          const parsed = parseToWebview(message);
          assert.ok(parsed.ok, `${result.kind}: ${parsed.ok ? '' : parsed.error}`);
          assert.deepEqual(parsed.message, message, `${result.kind} passes unchanged`);
        });
        const ready = overTheWire({ type: 'snapshotReady', info: { fileName: 'x', rootIndex: 0, summary: client.summary }, baseline: null });
        assert.ok(parseToWebview(ready).ok);
      } finally {
        await client.close();
      }
    });
  });

  describe('reject what the webview must not send', () => {
    it('unknown types, non-objects and missing fields', () => {
      assert.match(rejected({ type: 'runCommand', command: 'workbench.action.terminal.new' }, 'from'), /message\.type.*known type/);
      assert.match(rejected(null, 'from'), /message\.type/);
      assert.match(rejected('ready', 'from'), /message\.type/);
      assert.match(rejected([{ type: 'ready', view: 'flame' }], 'from'), /message\.type/);
      assert.match(rejected({ type: 'ready' }, 'from'), /message\.view/);
      assert.match(rejected({ type: 'action', action: 'rm -rf' }, 'from'), /message\.action/);
    });

    it('queries with bad indexes or page sizes', () => {
      const query = (q: object) => ({ type: 'query', requestId: 1, query: q });
      assert.match(rejected(query({ kind: 'instances', classKey: 'x', offset: -1, limit: 10 }), 'from'), /query\.offset/);
      assert.match(rejected(query({ kind: 'instances', classKey: 'x', offset: 0, limit: 1e9 }), 'from'), /query\.limit.*page size/);
      assert.match(rejected(query({ kind: 'retainers', nodeIndex: 1.5, offset: 0, limit: 10 }), 'from'), /query\.nodeIndex/);
      assert.match(rejected(query({ kind: 'dominatorChildren', nodeIndex: '0', offset: 0, limit: 10 }), 'from'), /query\.nodeIndex/);
      assert.match(rejected(query({ kind: 'eval', code: '1' }), 'from'), /query\.kind/);
      assert.match(rejected({ type: 'query', requestId: -3, query: { kind: 'summary' } }, 'from'), /requestId/);
    });

    it('openSource outside files (remote urls, command links, scripts)', () => {
      const open = (url: unknown) => ({ type: 'openSource', url, line: 1, column: 0 });
      for (const url of ['https://evil.example/x.js', 'command:workbench.action.terminal.new', 'javascript:alert(1)', 'vscode://file/x', '', 'relative/path.js', 42]) {
        assert.match(rejected(open(url), 'from'), /message\.url/, String(url));
      }
      for (const url of ['file:///home/me/app.js', '/home/me/app.js', 'C:\\app\\server.js', 'node:internal/timers']) {
        assert.ok(parseFromWebview(open(url)).ok, url);
      }
      assert.match(rejected({ type: 'openSource', url: '/a.js', line: -1, column: 0 }, 'from'), /message\.line/);
    });

    it('drops fields it does not know (nothing unchecked reaches a handler)', () => {
      const parsed = parseFromWebview({ type: 'action', action: 'detach', __proto__: { admin: true }, extra: 'x' });
      assert.ok(parsed.ok);
      assert.deepEqual(Object.keys(parsed.message), ['type', 'action']);
    });
  });

  describe('reject malformed data sent to the webview', () => {
    it('non-finite numbers, wrong kinds, oversized pages', () => {
      assert.match(rejected({ type: 'analysis', analysis: { duration_s: 'x' } }, 'to'), /analysis\.duration_s/);
      assert.match(rejected({ type: 'snapshotProgress', progress: { phase: 'parse', done: null, total: 1 } }, 'to'), /progress\.done/);
      const items = Array.from({ length: 10_001 }, () => ({}));
      assert.match(rejected({ type: 'queryResult', requestId: 1, result: { kind: 'instances', classKey: 'k', page: { total: 1, offset: 0, items } } }, 'to'), /page\.items/);
    });

    it('flame trees deeper or larger than the limits, without overflowing the stack', () => {
      const deep: FlameNode = { id: 0, name: 'f', url: '', line: 0, column: 0, selfBytes: 1, totalBytes: 1, selfSamples: 1, children: [] };
      let tip = deep;
      for (let i = 1; i <= FLAME_LIMITS.depth + 1; i++) {
        const child = { ...deep, id: i, children: [] };
        tip.children.push(child);
        tip = child;
      }
      const tree = { root: deep, mode: 'live', totalBytes: 1, sampleCount: 1, nodeCount: FLAME_LIMITS.depth + 2 };
      assert.match(rejected({ type: 'profile', title: 't', trees: [tree], sampling: false }, 'to'), /deep/);
      const badChild = { ...tree, root: { ...deep, children: [{ ...deep, children: 'nope' }] } };
      assert.match(rejected({ type: 'profile', title: 't', trees: [badChild], sampling: false }, 'to'), /frames\[1\]\.children/);
    });
  });

  describe('webviewHtml', () => {
    const options = {
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce: 'r4nd0mN0nc3Value1234==',
      scriptUri: 'https://res/dist/webview.js',
      styleUri: 'https://res/dist/webview.css',
      view: 'snapshot' as const,
    };

    it('sets a strict CSP: nonce-only scripts, no network, no inline styles', () => {
      const html = webviewHtml({ ...options, initialState: { title: 'a' } });
      const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-r4nd0mN0nc3Value1234=='(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|connect-src|\*/);
      assert.equal(html.match(/<script /g)!.length, 2);
      assert.equal(html.match(/nonce="r4nd0mN0nc3Value1234=="/g)!.length, 3, 'stylesheet and both scripts carry the nonce');
    });

    it('escapes the title and the initial state so they cannot break out of their elements', () => {
      const title = '</script><script>alert(1)</script><!--';
      const html = webviewHtml({ ...options, initialState: { title } });
      assert.ok(!html.includes('<script>alert'), 'no injected script element');
      assert.ok(html.includes('\\u003c/script\\u003e'), 'the JSON block escapes angle brackets');
      const json = /id="heapscope-initial-state"[^>]*>([^<]*)<\/script>/.exec(html)![1];
      assert.deepEqual(JSON.parse(json), { title });
    });

    it('refuses a weak nonce and an unknown view', () => {
      assert.throws(() => webviewHtml({ ...options, nonce: 'abc', initialState: { title: '' } }), /nonce/);
      assert.throws(() => webviewHtml({ ...options, view: 'terminal' as never, initialState: { title: '' } }), /view/);
    });
  });
});
