/**
 * The language server as an editor sees it: a real server process over stdio, real LSP messages.
 * It publishes diagnostics, updates them on edit, honours per-document settings pulled from the
 * client, offers quick fixes whose edits remove the finding, and survives bad input.
 */
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

const serverModule = path.resolve(__dirname, '../../../language-server/server.js');

const LEAKY = `const http = require('http');

const sessions = new Map();

http.createServer((req, res) => {
  sessions.set(req.headers['x-session'], { startedAt: Date.now() });
  res.end('ok');
}).listen(0);
`;

class Client {
  readonly process: ChildProcess;
  readonly connection: ProtocolConnection;
  /** Settings the client answers `workspace/configuration` with (or a function of the document URI). */
  settings: unknown = { rules: {} };
  configurationRequests = 0;
  private readonly waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly versions = new Map<string, number>();

  constructor() {
    this.process = spawn(process.execPath, [serverModule, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) => {
      this.configurationRequests++;
      return params.items.map((item) => (item.section !== 'heapscope' ? null
        : typeof this.settings === 'function' ? (this.settings as (uri?: string) => unknown)(item.scopeUri) : this.settings));
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const index = this.waiters.findIndex((w) => w.uri === params.uri && w.accept(params));
      if (index >= 0) this.waiters.splice(index, 1)[0].resolve(params);
    });
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async start(): Promise<void> {
    await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await this.connection.sendNotification('initialized', {});
  }

  diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, accept, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  open(uri: string, text: string, languageId = 'javascript'): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, contentChanges: unknown[]): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return version;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    this.connection.dispose();
  }
}

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.js', 'javascript', 1, text), [...edits]);
}

function ruleCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

describe('language server over stdio', function () {
  this.timeout(60000);
  let client: Client;

  beforeEach(async () => {
    client = new Client();
    await client.start();
  });

  afterEach(async () => {
    if (client.process.exitCode === null) await client.stop();
  });

  it('publishes a diagnostic with rule code, rule link, related locations and the severity from the pulled settings', async () => {
    client.settings = { rules: { 'unbounded-cache': 'error' } };
    const uri = 'file:///tmp/heapscope-lsp/sessions.js';
    const published = client.diagnostics(uri);
    client.open(uri, LEAKY);
    const { diagnostics } = await published;
    assert.strictEqual(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [d] = diagnostics;
    assert.strictEqual(d.code, 'unbounded-cache');
    assert.strictEqual(d.source, 'heapscope');
    assert.strictEqual(d.severity, 1, 'error, as the client settings asked');
    assert.match(d.codeDescription?.href ?? '', /unbounded-cache/);
    assert.strictEqual(d.range.start.line, 5);
    assert.match(d.message, /`sessions` is a module-level Map/);
    assert.ok((d.relatedInformation ?? []).some((r) => r.location.range.start.line === 2), 'points at the declaration');
    assert.ok(client.configurationRequests >= 1, 'settings are pulled from the client for the document');
  });

  it('updates diagnostics when the document is edited (incrementally)', async () => {
    const uri = 'file:///tmp/heapscope-lsp/edit.js';
    let published = client.diagnostics(uri);
    client.open(uri, LEAKY);
    assert.deepStrictEqual(ruleCodes((await published).diagnostics), ['unbounded-cache']);

    // Insert a removal on the close path: the finding disappears.
    const line = 6; // "  res.end('ok');"
    published = client.diagnostics(uri, (p) => p.version === 2);
    client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: "  res.on('close', () => sessions.delete(req.headers['x-session']));\n" }]);
    assert.deepStrictEqual((await published).diagnostics, []);

    // Remove it again: the finding is back.
    published = client.diagnostics(uri, (p) => p.version === 3);
    client.change(uri, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    assert.deepStrictEqual(ruleCodes((await published).diagnostics), ['unbounded-cache']);
  });

  it('offers each quick fix as a quickfix code action whose edit removes the finding', async () => {
    const uri = 'file:///tmp/heapscope-lsp/fix.js';
    const source = `${LEAKY}
const log = [];
process.on('message', (message) => {
  log.push(message);
});
`;
    const published = client.diagnostics(uri);
    client.open(uri, source);
    const { diagnostics } = await published;
    assert.deepStrictEqual(ruleCodes(diagnostics), ['growing-array', 'unbounded-cache']);
    let version = 1;
    for (const diagnostic of diagnostics) {
      const actions = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] },
      }) as CodeAction[];
      const own = actions.filter((a) => a.diagnostics?.some((d) => d.code === diagnostic.code));
      assert.ok(own.length >= 1, `a fix for ${diagnostic.code}`);
      for (const action of own) {
        assert.strictEqual(action.kind, 'quickfix');
        assert.ok(action.title.length > 20, `a preview title that says what it does: ${action.title}`);
        const change = action.edit?.documentChanges?.[0];
        assert.ok(change && 'edits' in change, 'a versioned text document edit');
        const fixed = applyTextEdits(source, change.edits as TextEdit[]);
        // Send the fixed text as the editor would after applying the edit, then back to the original.
        const fixedVersion = version + 1;
        const after = client.diagnostics(uri, (p) => p.version === fixedVersion);
        version = client.change(uri, [{ text: fixed }]);
        const codesAfter = ruleCodes((await after).diagnostics);
        assert.ok(!codesAfter.includes(String(diagnostic.code)), `"${action.title}" left ${codesAfter.join(', ')}`);
        const restoredVersion = version + 1;
        const restored = client.diagnostics(uri, (p) => p.version === restoredVersion);
        version = client.change(uri, [{ text: source }]);
        await restored;
      }
    }
  });

  it('honours a rule turned off in the settings, after a configuration change', async () => {
    const uri = 'file:///tmp/heapscope-lsp/config.js';
    let published = client.diagnostics(uri);
    client.open(uri, LEAKY);
    assert.strictEqual((await published).diagnostics.length, 1);
    client.settings = { rules: { 'unbounded-cache': 'off' } };
    published = client.diagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepStrictEqual((await published).diagnostics, []);
  });

  it('pulls settings per document: two folders, two severities', async () => {
    client.settings = (uri?: string) => ({ rules: { 'unbounded-cache': uri?.includes('/strict/') ? 'error' : 'hint' } });
    const strict = 'file:///tmp/heapscope-lsp/strict/a.js';
    const relaxed = 'file:///tmp/heapscope-lsp/relaxed/a.js';
    const both = [client.diagnostics(strict), client.diagnostics(relaxed)];
    client.open(strict, LEAKY);
    client.open(relaxed, LEAKY);
    const [a, b] = await Promise.all(both);
    assert.deepStrictEqual([a.diagnostics[0].severity, b.diagnostics[0].severity], [1, 4]);
  });

  it('honours // heapscope-ignore-next-line', async () => {
    const uri = 'file:///tmp/heapscope-lsp/ignored.js';
    const published = client.diagnostics(uri);
    client.open(uri, LEAKY.replace('  sessions.set(', '  // heapscope-ignore-next-line unbounded-cache -- sessions end with the process\n  sessions.set('));
    assert.deepStrictEqual((await published).diagnostics, []);
  });

  it('survives bad input: empty, binary, syntax errors, a 5 MB minified file — and keeps serving', async () => {
    const cases: [string, string][] = [
      ['file:///tmp/heapscope-lsp/empty.js', ''],
      ['file:///tmp/heapscope-lsp/binary.js', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
      ['file:///tmp/heapscope-lsp/broken.ts', `${LEAKY}\nfunction broken( {\n  return ]]];\n`],
      ['file:///tmp/heapscope-lsp/huge.min.js', `var a={};${'function f(b){return b+1};'.repeat(220000)}`],
    ];
    const results = await Promise.all(cases.map(([uri, text]) => {
      const published = client.diagnostics(uri);
      client.open(uri, text);
      return published;
    }));
    assert.deepStrictEqual(results.map((r) => r.diagnostics.length), [0, 0, 1, 0]);
    assert.strictEqual(results[2].diagnostics[0].code, 'unbounded-cache', 'findings in the part that parses');
    // still responsive
    const uri = 'file:///tmp/heapscope-lsp/after.js';
    const published = client.diagnostics(uri);
    client.open(uri, LEAKY);
    assert.strictEqual((await published).diagnostics.length, 1);
  });
});
