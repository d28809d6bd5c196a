/**
 * The webview bundle's entry: reads which view this page is (`data-view`) and its initial state
 * (an inert JSON block, checked like any message), then mounts that view. The bundle talks to the
 * extension only through `Host` (acquireVsCodeApi + the protocol); it never fetches anything.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { checkInitialState, INITIAL_STATE_ELEMENT_ID, InitialState } from '../protocol/html';
import { checkViewKind } from '../protocol/messages';
import { mountDashboard } from './dashboard/index';
import { mountFlameView } from './flame/index';
import { Host } from './host';
import { mountSnapshotView } from './snapshot/index';

function readInitialState(): InitialState {
  try {
    const text = document.getElementById(INITIAL_STATE_ELEMENT_ID)?.textContent ?? '{}';
    return checkInitialState(JSON.parse(text), 'initialState');
  } catch {
    return { title: 'Heapscope' };
  }
}

const root = document.getElementById('app')!;
const host = new Host();
const { title } = readInitialState();
const view = checkViewKind(document.body.dataset.view, 'data-view');
if (view === 'dashboard') mountDashboard(root, host, title);
else if (view === 'snapshot') mountSnapshotView(root, host, title);
else mountFlameView(root, host, title);
document.body.dataset.mounted = view;
