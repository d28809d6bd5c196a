/**
 * The end-to-end tests' window into the extension: `heapscope.test.getState` (see commands.ts for its
 * shape). Registered only under a test runner (ExtensionMode.Test) or with HEAPSCOPE_TEST_MODE=1, and
 * read-only: it reports what the user could see (sessions, findings, webviews that talk), nothing more.
 */
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { Services } from './services';
import { webviewMessageCounts, webviewMessagesSent } from './webview-page';

export function isTestMode(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || process.env.HEAPSCOPE_TEST_MODE === '1';
}

export function testState(services: Services): unknown {
  return {
    sessions: services.manager.sessions.map((session) => ({
      id: session.id,
      label: session.label,
      origin: session.origin,
      state: session.state,
      sampling: session.sampling,
      samples: session.samples.length,
      heapUsed: session.latest?.heapUsed ?? null,
      diagnosis: session.analysis?.diagnosis ?? null,
      captures: session.captures.map((capture) => ({ kind: capture.kind, path: capture.uri.fsPath })),
    })),
    runtimeFindings: services.findings.snapshot(),
    webviewMessages: { ...webviewMessageCounts },
    webviewMessagesSent: { ...webviewMessagesSent },
    languageServer: { [State.Starting]: 'starting', [State.Running]: 'running', [State.Stopped]: 'stopped' }[services.languageClient.state],
  };
}
