/** Comparison with a baseline snapshot the user picks: per class, what was added and removed. */
import { ClassDelta } from '../../protocol/snapshot';
import { custom, h, replaceChildren } from '../dom';
import { formatBytes, formatCount, formatDelta } from '../format';
import { Host } from '../host';
import { SortState, TreeTable } from '../virtual-tree';
import { SnapshotQueries } from './queries';

export class ComparisonPanel {
  readonly element: HTMLElement;
  readonly table: TreeTable<ClassDelta>;
  private readonly caption: HTMLElement;

  constructor(
    host: Host,
    private readonly queries: SnapshotQueries,
    onSortChange: () => void,
  ) {
    const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : formatCount(n));
    this.table = new TreeTable<ClassDelta>({
      label: 'Comparison with the baseline snapshot',
      columns: [
        { id: 'name', title: 'Constructor', width: 'minmax(14rem, 1fr)', render: (r) => r.name, sortValue: (r) => r.name },
        { id: 'added', title: '# New', width: '6rem', numeric: true, render: (r) => formatCount(r.addedCount), sortValue: (r) => r.addedCount },
        { id: 'removed', title: '# Deleted', width: '6rem', numeric: true, render: (r) => formatCount(r.removedCount), sortValue: (r) => r.removedCount },
        { id: 'delta', title: '# Delta', width: '6rem', numeric: true, render: (r) => signed(r.countDelta), sortValue: (r) => r.countDelta },
        { id: 'addedSize', title: 'Alloc. size', width: '7rem', numeric: true, render: (r) => formatBytes(r.addedSize), sortValue: (r) => r.addedSize },
        { id: 'removedSize', title: 'Freed size', width: '7rem', numeric: true, render: (r) => formatBytes(r.removedSize), sortValue: (r) => r.removedSize },
        { id: 'sizeDelta', title: 'Size delta', width: '7rem', numeric: true, render: (r) => formatDelta(r.sizeDelta), sortValue: (r) => r.sizeDelta },
      ],
      hasChildren: () => false,
      loadChildren: async () => ({ total: 0, rows: [] }),
      onSortChange,
    });
    const pick = custom('vscode-button', { secondary: true }, 'Compare with…');
    pick.addEventListener('click', () => host.post({ type: 'pickBaseline' }));
    this.caption = h('span', { class: 'caption' }, 'No baseline yet: pick an earlier snapshot of the same process.');
    this.element = h('div', { class: 'panel-body' }, h('div', { class: 'toolbar' }, pick, this.caption), this.table.element);
    this.table.setSort({ column: 'sizeDelta', descending: true });
  }

  async load(baseline: string): Promise<void> {
    replaceChildren(this.caption, `Comparing with ${baseline}…`);
    const { comparison } = await this.queries.ask({ kind: 'compare' });
    const growth = comparison.target.rootRetainedSize - comparison.base.rootRetainedSize;
    replaceChildren(this.caption, 'Compared with ', h('strong', {}, baseline), ` — heap ${formatDelta(growth)}`);
    this.table.setRootRows(comparison.classes);
  }

  restoreSort(sort: SortState | undefined): void {
    if (sort) this.table.setSort(sort);
  }
}
