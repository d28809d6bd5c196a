/**
 * The HTML page every Heapscope webview loads. Pure string building (no vscode, no DOM) so the
 * extension's panel hosts and the browser tests serve exactly the same page.
 *
 * Security: a strict Content-Security-Policy — scripts only with this page's nonce, styles and
 * fonts only from the extension's own resources, no network (`default-src 'none'`, no connect-src).
 * The initial state travels as an inert JSON data block (not executed), escaped so no string in it
 * can close the tag.
 */
import { checkViewKind, ViewKind } from './messages';
import { Check, object, str } from './validate';

/** What the page knows before the first message arrives. */
export interface InitialState {
  /** Shown as the page heading: the session label or the file name. */
  title: string;
}

export const checkInitialState: Check<InitialState> = object<InitialState>({ title: str });

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin the extension's resources are served from. */
  cspSource: string;
  /** A fresh random value per page load (at least 128 bits, base64 or hex). */
  nonce: string;
  /** URI of dist/webview.js as the webview sees it (`webview.asWebviewUri`). */
  scriptUri: string;
  /** URI of dist/webview.css. */
  styleUri: string;
  view: ViewKind;
  initialState: InitialState;
}

/** The id of the JSON data block holding the initial state. */
export const INITIAL_STATE_ELEMENT_ID = 'heapscope-initial-state';

export function webviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri } = options;
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('webviewHtml: the nonce must be 16+ base64/hex characters');
  const view = checkViewKind(options.view, 'view');
  const state = checkInitialState(options.initialState, 'initialState');
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    // Lit (behind @vscode-elements) adopts constructed stylesheets; uPlot sets element.style. Neither
    // is an inline <style> or style="" attribute, so the nonce rule is enough.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}" nonce="${nonce}">
<title>${escapeText(state.title)}</title>
</head>
<body data-view="${view}">
<div id="app" role="main"></div>
<script type="application/json" id="${INITIAL_STATE_ELEMENT_ID}" nonce="${nonce}">${jsonForScriptBlock(state)}</script>
<script src="${escapeAttribute(scriptUri)}" nonce="${nonce}"></script>
</body>
</html>
`;
}

/** JSON that cannot end the surrounding <script> element or open a comment. */
function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
