/**
 * The webview's only channel to the outside: VS Code's `acquireVsCodeApi()`. Outbound messages are
 * typed by the protocol; inbound ones are checked by it and dropped (with a console warning) when
 * they do not parse, so a malformed message never reaches a view.
 */
import { FromWebview, parseToWebview, ToWebview } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type MessageListener = (message: ToWebview) => void;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private readonly listeners: MessageListener[] = [];
  /** How many inbound messages were rejected; shown nowhere, but tests read it from the page. */
  rejected = 0;

  constructor() {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = parseToWebview(event.data);
      if (!parsed.ok) {
        this.rejected++;
        document.body.dataset.rejectedMessages = String(this.rejected);
        console.warn(`heapscope: ignored a message: ${parsed.error}`);
        return;
      }
      for (const listener of this.listeners) listener(parsed.message);
    });
  }

  post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  onMessage(listener: MessageListener): void {
    this.listeners.push(listener);
  }

  /** The view's saved UI state (survives hide/show); `check` guards against an older shape. */
  loadState<T>(check: (value: unknown) => T | undefined): T | undefined {
    try {
      return check(this.api.getState());
    } catch {
      return undefined;
    }
  }

  saveState(state: unknown): void {
    this.api.setState(state);
  }
}
