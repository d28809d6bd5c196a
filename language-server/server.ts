/**
 * The Heapscope language server: leak-pattern diagnostics and quick fixes for JS/TS documents.
 * Transport is picked from argv (`--node-ipc` from the extension, `--stdio` for tests and other
 * editors). Each change re-analyses only that document, after a short debounce that coalesces
 * bursts of keystrokes. Settings (`heapscope.rules.<id>`, `heapscope.maxFileBytes`) are pulled per
 * document from the client and cached per document until the configuration changes; nothing else
 * survives a restart, so a restarted server simply re-validates what the client re-opens.
 */
import * as path from 'path';
import { fileURLToPath } from 'url';
import {
  CodeActionKind, createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type Connection, type Diagnostic as LspDiagnostic, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkText, type CheckResult } from './check';
import { defaultSettings, parseSettings, type LintSettings } from './config';
import { dependenciesFor } from './dependencies';
import { allRules } from './rules/index';
import type { Diagnostic, Severity } from './rules/rule';

/**
 * Coalesces changes: those already queued when the timer fires are analysed once, at the latest
 * version. Zero keeps edit-to-diagnostics latency at the cost of the analysis alone; a 3,000-line
 * file takes ~25-40 ms of CPU (bench/lint/RESULTS.md), so even fast typing cannot back up.
 */
const DEBOUNCE_MS = 0;
const RULE_DOCS = 'https://github.com/heapscope/heapscope/blob/main/language-server/rules/';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

interface Validated {
  readonly version: number;
  readonly result: CheckResult;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const validated = new Map<string, Validated>();
  const pending = new Map<string, NodeJS.Timeout>();
  const settingsByDocument = new Map<string, Promise<LintSettings>>();
  let canPullConfiguration = false;

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      },
      serverInfo: { name: 'heapscope-language-server', version: '0.1.0' },
    };
  });

  /** The settings for one document, pulled from the client (resource-scoped) and validated. */
  function settingsFor(uri: string): Promise<LintSettings> {
    let settings = settingsByDocument.get(uri);
    if (!settings) {
      settings = (canPullConfiguration ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'heapscope' }) : Promise.resolve(undefined))
        .then((raw: unknown) => parseSettings(raw, 'heapscope settings', allRules))
        .catch((error: unknown) => {
          connection.window.showWarningMessage(`Heapscope: ${error instanceof Error ? error.message : String(error)}; using the default rule settings.`);
          return defaultSettings;
        });
      settingsByDocument.set(uri, settings);
    }
    return settings;
  }

  async function validate(document: TextDocument): Promise<void> {
    const settings = await settingsFor(document.uri);
    const latest = documents.get(document.uri);
    if (!latest || latest.version !== document.version) return; // a newer change is already queued
    const fileName = fileNameOf(document);
    const result = checkText(fileName, document.getText(), { settings, dependencies: dependenciesFor(fileName) });
    validated.set(document.uri, { version: document.version, result });
    if (result.note) connection.console.info(`${fileName}: ${result.note}`);
    await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: result.diagnostics.map((d) => toLsp(document, d)) });
  }

  function schedule(document: TextDocument, delay: number): void {
    clearTimeout(pending.get(document.uri));
    pending.set(document.uri, setTimeout(() => {
      pending.delete(document.uri);
      validate(document).catch((error: unknown) => connection.console.error(`validating ${document.uri}: ${error instanceof Error ? error.stack : String(error)}`));
    }, delay));
  }

  documents.onDidOpen((event) => schedule(event.document, 0));
  documents.onDidChangeContent((event) => schedule(event.document, DEBOUNCE_MS));
  documents.onDidClose((event) => {
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    validated.delete(event.document.uri);
    settingsByDocument.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration(() => {
    settingsByDocument.clear();
    for (const document of documents.all()) schedule(document, 0);
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    const state = validated.get(params.textDocument.uri);
    if (!document || !state || state.version !== document.version) return [];
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    const actions: CodeAction[] = [];
    for (const diagnostic of state.result.diagnostics) {
      if (diagnostic.end < start || diagnostic.start > end || diagnostic.fixes.length === 0) continue;
      const lsp = toLsp(document, diagnostic);
      diagnostic.fixes.forEach((fix, index) => {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [lsp],
          isPreferred: index === 0,
          edit: {
            documentChanges: [{
              textDocument: { uri: document.uri, version: document.version },
              edits: fix.edits().map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText })),
            }],
          },
        });
      });
    }
    return actions;
  });

  connection.onShutdown(() => {
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  });

  documents.listen(connection);
  connection.listen();
}

function toLsp(document: TextDocument, diagnostic: Diagnostic): LspDiagnostic {
  const rule = allRules.find((r) => r.id === diagnostic.rule);
  return {
    range: { start: document.positionAt(diagnostic.start), end: document.positionAt(diagnostic.end) },
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.rule,
    codeDescription: { href: `${RULE_DOCS}${diagnostic.rule}.ts` },
    source: 'heapscope',
    message: diagnostic.message,
    relatedInformation: diagnostic.related.map((r) => ({
      location: { uri: document.uri, range: { start: document.positionAt(r.start), end: document.positionAt(r.end) } },
      message: r.message,
    })),
    data: rule ? { rule: rule.id } : undefined,
  };
}

const EXTENSION_BY_LANGUAGE: Record<string, string> = { javascript: '.js', typescript: '.ts', javascriptreact: '.jsx', typescriptreact: '.tsx' };

/** A file path for `file:` URIs (package.json lookup, .ts/.js detection); for others (untitled:) a name with the language's extension. */
function fileNameOf(document: TextDocument): string {
  if (document.uri.startsWith('file:')) return fileURLToPath(document.uri);
  const base = path.basename(document.uri.replace(/^[a-z-]+:/i, '')) || 'untitled';
  return /\.[cm]?[jt]sx?$/.test(base) ? base : `${base}${EXTENSION_BY_LANGUAGE[document.languageId] ?? '.js'}`;
}

// Started as a program (dist/server.js by the extension, or `node server.js --stdio`), not when imported.
if (require.main === module) startServer(createConnection(ProposedFeatures.all));
