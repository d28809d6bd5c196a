/**
 * Renders a Heapscope webview in a real headless Chromium, as VS Code would: the page comes from
 * the same `webviewHtml` builder the extension uses (same CSP, nonce, bundle), served from a
 * loopback server that stands in for the webview resource origin. The one stand-in is
 * `acquireVsCodeApi`: it records what the page posts and forwards it to a Node-side handler that
 * plays the extension (answering with real engine output); messages go in as `message` events,
 * exactly as VS Code delivers them.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { webviewHtml } from '../../protocol/html';
import { FromWebview, parseFromWebview, ToWebview, ViewKind } from '../../protocol/messages';

const REPO = path.resolve(__dirname, '../../..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'webview');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A few of the variables VS Code's Dark Modern theme sets on a webview's <html>. */
const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': 'Liberation Sans, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'Liberation Mono, monospace',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
};

/** A few of the variables VS Code's Light Modern theme sets. */
const LIGHT_THEME: Record<string, string> = {
  ...DARK_THEME,
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-list-activeSelectionBackground': '#e8e8e8',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-settings-textInputBackground': '#ffffff',
  '--vscode-settings-textInputForeground': '#3b3b3b',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-panelTitle-activeForeground': '#3b3b3b',
  '--vscode-panelTitle-inactiveForeground': '#717171',
};

export type Theme = 'dark' | 'light';

/** Builds dist-like webview.js/.css into a temp dir with the same options as esbuild.mjs. */
export async function buildBundle(outdir: string): Promise<void> {
  await esbuild.build({
    entryPoints: { webview: path.join(REPO, 'webview/main.ts') },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    outdir,
    minify: true,
    loader: { '.css': 'css', '.ttf': 'file' },
    logLevel: 'warning',
  });
}

export type ExtensionStandIn = (message: FromWebview, view: WebviewPage) => void | Promise<void>;

export class WebviewPage {
  /** Everything the page posted, parsed (what the extension would accept). */
  readonly posted: FromWebview[] = [];
  /** Messages the page posted that the extension-side parser refused. */
  readonly refused: string[] = [];
  readonly consoleErrors: string[] = [];

  constructor(
    readonly page: Page,
    private readonly standIn: ExtensionStandIn,
  ) {}

  /** Delivers a message to the page the way VS Code does (a `message` event on window). */
  async send(message: ToWebview | unknown): Promise<void> {
    await this.page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.refused.push(parsed.error);
      return;
    }
    this.posted.push(parsed.message);
    await this.standIn(parsed.message, this);
  }

  /** Waits until the page has posted a message matching `predicate`. */
  async waitForPosted<T extends FromWebview>(predicate: (m: FromWebview) => m is T, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.posted.find(predicate);
      if (found) return found as T;
      if (Date.now() > deadline) throw new Error(`the page did not post the expected message; it posted ${JSON.stringify(this.posted.map((m) => m.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** One browser, one bundle, one server for a test file; `open` gives each view a fresh page. */
export class WebviewBrowser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly server: http.Server,
    private readonly origin: string,
    private readonly scratch: string,
    private readonly pages: Map<string, string>,
  ) {}

  static async start(): Promise<WebviewBrowser> {
    execFileSync('bash', [path.join(REPO, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-webview-'));
    const bundleDir = path.join(scratch, 'bundle');
    await buildBundle(bundleDir);
    const pages = new Map<string, string>();
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const page = pages.get(url.pathname);
      const asset = /^\/dist\/(webview\.(js|css))$/.exec(url.pathname);
      if (page) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else if (asset) {
        const type = asset[2] === 'js' ? 'text/javascript' : 'text/css';
        response.writeHead(200, { 'content-type': type }).end(fs.readFileSync(path.join(bundleDir, asset[1])));
      } else if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end(); // Chromium asks for one on its own; VS Code webviews never do.
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1200, height: 800 },
      args: CHROMIUM_ARGS,
    });
    return new WebviewBrowser(context, server, origin, scratch, pages);
  }

  private nextPage = 1;

  async open(view: ViewKind, title: string, standIn: ExtensionStandIn, theme: Theme = 'dark'): Promise<WebviewPage> {
    const route = `/view/${this.nextPage++}`;
    this.pages.set(
      route,
      webviewHtml({
        cspSource: this.origin,
        nonce: crypto.randomBytes(16).toString('base64'),
        scriptUri: `${this.origin}/dist/webview.js`,
        styleUri: `${this.origin}/dist/webview.css`,
        view,
        initialState: { title },
      }),
    );
    const page = await this.context.newPage();
    const webview = new WebviewPage(page, standIn);
    page.on('console', (message) => {
      if (message.type() === 'error') webview.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => webview.consoleErrors.push(String(error)));
    await page.exposeFunction('__heapscopePostToExtension', (raw: unknown) => webview.receive(raw));
    await page.addInitScript({ content: vscodeApiStandIn(theme === 'dark' ? DARK_THEME : LIGHT_THEME, `vscode-${theme}`) });
    await page.goto(`${this.origin}${route}`);
    await page.waitForSelector(`body[data-mounted="${view}"]`);
    return webview;
  }

  async close(): Promise<void> {
    await this.context.close();
    await new Promise((resolve) => this.server.close(resolve));
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/**
 * Page-side script run before the bundle: the stand-in for VS Code's webview API (state kept in
 * sessionStorage so it survives a reload, as VS Code keeps it across hide/show) and the theme
 * variables and body class VS Code puts on every webview.
 */
function vscodeApiStandIn(theme: Record<string, string>, bodyClass: string): string {
  return `
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__heapscopePostToExtension(message),
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null'),
      setState: (state) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
    });
    document.addEventListener('DOMContentLoaded', () => {
      for (const [name, value] of Object.entries(${JSON.stringify(theme)})) document.documentElement.style.setProperty(name, value);
      document.body.classList.add(${JSON.stringify(bodyClass)});
    });
  `;
}
