/**
 * Everything the three webviews share on the extension side: the options that confine them to
 * dist/ and media/, the page (protocol's webviewHtml with a fresh nonce), and a message listener
 * that validates every inbound message before a handler sees it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseFromWebview, webviewHtml, type FromWebview, type ToWebview, type ViewKind } from '../protocol';
import { errorText, log } from './log';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

export function setWebviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, view: ViewKind, title: string): void {
  webview.options = webviewOptions(extensionUri);
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
    view,
    initialState: { title },
  });
}

/** Inbound webview messages by type (and `rejected`), for the test hook: proof that a page loaded and talks. */
export const webviewMessageCounts: Record<string, number> = {};

/** Calls `handler` with each inbound message that passes the protocol's checks; logs and drops the rest. */
export function onValidMessage(webview: vscode.Webview, handler: (message: FromWebview) => unknown): vscode.Disposable {
  return webview.onDidReceiveMessage(async (raw: unknown) => {
    const parsed = parseFromWebview(raw);
    const counted = parsed.ok ? parsed.message.type : 'rejected';
    webviewMessageCounts[counted] = (webviewMessageCounts[counted] ?? 0) + 1;
    if (!parsed.ok) {
      log.warn(`rejected a webview message: ${parsed.error}`);
      return;
    }
    try {
      await handler(parsed.message);
    } catch (error) {
      void post(webview, { type: 'error', ...errorText(error) });
    }
  });
}

/** Outbound webview messages by type, for the test hook: proof that the extension told a page something. */
export const webviewMessagesSent: Record<string, number> = {};

/** Posts a message; its type is the protocol's, so the webview's checker accepts it. */
export function post(webview: vscode.Webview, message: ToWebview): Thenable<boolean> {
  webviewMessagesSent[message.type] = (webviewMessagesSent[message.type] ?? 0) + 1;
  return webview.postMessage(message);
}
