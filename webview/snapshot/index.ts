/**
 * The snapshot viewer (custom editor for .heapsnapshot): a progress bar while the extension's
 * worker parses, then tabs for Summary, Dominators, Comparison and Leak suspects over a Retainers
 * pane for the selected object. All data comes through `SnapshotQueries`, a page at a time.
 */
import { SnapshotInfo } from '../../protocol/snapshot';
import { ToWebview } from '../../protocol/messages';
import { custom, h, replaceChildren } from '../dom';
import { formatBytes, formatCount } from '../format';
import { Host } from '../host';
import { SortState } from '../virtual-tree';
import { OpenSource } from './cells';
import { ComparisonPanel } from './comparison';
import { DominatorPanel } from './dominators';
import { SnapshotQueries } from './queries';
import { RetainersPanel, RetainersTarget, targetOf } from './retainers';
import { SummaryPanel } from './summary';
import { SuspectsPanel } from './suspects';

const TABS = ['Summary', 'Dominators', 'Comparison', 'Leak suspects'] as const;

interface SavedState {
  tab: number;
  filter: string;
  summarySort?: SortState;
  comparisonSort?: SortState;
  selected?: RetainersTarget;
}

export function mountSnapshotView(root: HTMLElement, host: Host, title: string): void {
  const queries = new SnapshotQueries(host);
  let info: SnapshotInfo | undefined;
  const totalSize = () => info?.summary.rootRetainedSize ?? 0;
  const openSource: OpenSource = (location) => {
    if (location.scriptName) host.post({ type: 'openSource', url: location.scriptName, line: location.line, column: location.column });
  };
  const saved = host.loadState(readSavedState) ?? { tab: 0, filter: '' };

  const retainers = new RetainersPanel(queries, totalSize, openSource);
  const selectNode = (target: RetainersTarget) => {
    saved.selected = target;
    save();
    void retainers.show(target);
  };
  const summary = new SummaryPanel({ queries, totalSize, openSource, onSelectNode: (row) => selectNode(targetOf(row)), onStateChange: () => save() });
  const dominators = new DominatorPanel(queries, totalSize, openSource, (row) => selectNode(targetOf(row)));
  const comparison = new ComparisonPanel(host, queries, () => save());
  const suspects = new SuspectsPanel(queries, openSource, selectNode);
  summary.restore(saved.filter, saved.summarySort);
  comparison.restoreSort(saved.comparisonSort);

  const save = () =>
    host.saveState({
      tab: saved.tab,
      filter: summary.filter,
      summarySort: summary.table.sortState,
      comparisonSort: comparison.table.sortState,
      selected: saved.selected,
    } satisfies SavedState);

  const panels = [summary.element, dominators.element, comparison.element, suspects.element];
  const tabs = custom('vscode-tabs', { 'selected-index': saved.tab, 'aria-label': 'Snapshot views' });
  TABS.forEach((name, i) => tabs.append(custom('vscode-tab-header', { slot: 'header', 'data-tab': i }, name), custom('vscode-tab-panel', {}, panels[i])));

  const shown = new Set<number>();
  const showTab = (index: number) => {
    saved.tab = index;
    save();
    if (!info || shown.has(index)) return;
    shown.add(index);
    if (index === 1) dominators.show(info.rootIndex);
    if (index === 3) suspects.load().catch(showError);
  };
  tabs.addEventListener('vsc-tabs-select', (event) => showTab((event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex));

  const heading = h('h1', {}, title);
  const stats = h('span', { class: 'stats' });
  const progressBar = custom('vscode-progress-bar', { 'aria-label': 'Reading the snapshot' }) as HTMLElement & { value: number; max: number; indeterminate: boolean };
  const progressText = h('span', { class: 'progress-text' }, 'Waiting for the snapshot…');
  const progress = h('div', { class: 'progress' }, progressBar, progressText);
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  const main = h('div', { class: 'snapshot-main', hidden: true }, tabs, retainers.element);
  replaceChildren(root, h('header', { class: 'view-header' }, heading, stats), banner, progress, main);

  function showError(error: unknown): void {
    banner.hidden = false;
    replaceChildren(banner, error instanceof Error ? error.message : String(error));
  }

  host.onMessage((message: ToWebview) => {
    switch (message.type) {
      case 'snapshotProgress': {
        const { phase, step, done, total } = message.progress;
        progress.hidden = false;
        progressBar.indeterminate = total <= 0;
        progressBar.max = Math.max(1, total);
        progressBar.value = done;
        const label = `${phase === 'parse' ? 'Reading' : 'Analysing'}${step ? ` (${step})` : ''}`;
        progressText.textContent = total > 0 ? `${label} ${Math.round((100 * done) / total)}%` : `${label}…`;
        break;
      }
      case 'snapshotReady':
        onReady(message.info, message.baseline);
        break;
      case 'error':
        showError(message.hint ? `${message.message} ${message.hint}` : message.message);
        break;
      default:
        break;
    }
  });

  function onReady(next: SnapshotInfo, baseline: string | null): void {
    const reloaded = info !== undefined && info.fileName !== next.fileName;
    if (reloaded) queries.cancelAll();
    const first = info === undefined || reloaded;
    info = next;
    progress.hidden = true;
    main.hidden = false;
    replaceChildren(stats, `${formatCount(next.summary.nodeCount)} objects · ${formatCount(next.summary.edgeCount)} references · ${formatBytes(next.summary.rootRetainedSize)}`);
    if (first) {
      shown.clear();
      summary.load().catch(showError);
      showTab(saved.tab);
      if (saved.selected) void retainers.show(saved.selected);
    }
    if (baseline) comparison.load(baseline).catch(showError);
  }

  host.post({ type: 'ready', view: 'snapshot' });
}

function readSavedState(value: unknown): SavedState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const state = value as Partial<SavedState>;
  const sort = (s: unknown): SortState | undefined =>
    typeof s === 'object' && s !== null && typeof (s as SortState).column === 'string' ? { column: (s as SortState).column, descending: (s as SortState).descending === true } : undefined;
  const selected = state.selected;
  return {
    tab: typeof state.tab === 'number' && state.tab >= 0 && state.tab < TABS.length ? state.tab : 0,
    filter: typeof state.filter === 'string' ? state.filter : '',
    summarySort: sort(state.summarySort),
    comparisonSort: sort(state.comparisonSort),
    selected:
      selected && typeof selected.nodeIndex === 'number' && typeof selected.label === 'string' ? { nodeIndex: selected.nodeIndex, label: selected.label } : undefined,
  };
}
