/**
 * Summary by constructor: one row per class (sortable, filterable by name), each expanding into
 * its instances (paged from the extension), each instance into the objects it dominates.
 */
import { ClassRow, NodeInfo } from '../../protocol/snapshot';
import { custom, h } from '../dom';
import { formatCount } from '../format';
import { SortState, TreeTable } from '../virtual-tree';
import { dominatesOthers, objectCell, openable, OpenSource, sizeColumns } from './cells';
import { SnapshotQueries } from './queries';

type SummaryRow = { kind: 'class'; row: ClassRow } | { kind: 'node'; row: NodeInfo };

export interface SummaryOptions {
  queries: SnapshotQueries;
  totalSize: () => number;
  openSource: OpenSource;
  onSelectNode(row: NodeInfo): void;
  onStateChange(): void;
}

export class SummaryPanel {
  readonly element: HTMLElement;
  readonly table: TreeTable<SummaryRow>;
  private classes: ClassRow[] = [];
  private filterText = '';
  private readonly filterField: HTMLElement & { value: string };

  constructor(private readonly options: SummaryOptions) {
    const nodes = (items: NodeInfo[]) => items.map((row) => ({ kind: 'node' as const, row }));
    this.table = new TreeTable<SummaryRow>({
      label: 'Summary by constructor',
      columns: [
        {
          id: 'name',
          title: 'Constructor',
          width: 'minmax(14rem, 1fr)',
          render: (r) =>
            r.kind === 'class'
              ? h('span', { class: 'class-name' }, r.row.name, h('span', { class: 'class-count' }, ` ×${formatCount(r.row.count)}`))
              : objectCell(r.row, options.openSource),
          sortValue: (r) => r.row.name,
        },
        ...sizeColumns<SummaryRow>(options.totalSize, (r) =>
          r.kind === 'class'
            ? { distance: r.row.distance, shallow: r.row.shallowSize, retained: r.row.retainedSize }
            : { distance: r.row.distance, shallow: r.row.selfSize, retained: r.row.retainedSize },
        ),
      ],
      hasChildren: (r) => r.kind === 'class' || dominatesOthers(r.row),
      loadChildren: async (parent, offset, limit) => {
        if (!parent) return { total: 0, rows: [] };
        if (parent.kind === 'class') {
          const { page } = await options.queries.ask({ kind: 'instances', classKey: parent.row.key, offset, limit });
          return { total: page.total, rows: nodes(page.items) };
        }
        const { page } = await options.queries.ask({ kind: 'dominatorChildren', nodeIndex: parent.row.index, offset, limit });
        return { total: page.total, rows: nodes(page.items) };
      },
      onSelect: (r) => {
        if (r.kind === 'node') options.onSelectNode(r.row);
      },
      onActivate: (r) => {
        if (r.kind === 'node' && openable(r.row.location)) options.openSource(r.row.location);
      },
      onSortChange: () => options.onStateChange(),
    });
    this.filterField = custom('vscode-textfield', { placeholder: 'Filter by constructor', 'aria-label': 'Filter by constructor' }) as HTMLElement & {
      value: string;
    };
    this.filterField.addEventListener('input', () => {
      this.filterText = this.filterField.value;
      this.applyFilter();
      options.onStateChange();
    });
    this.element = h('div', { class: 'panel-body' }, h('div', { class: 'toolbar' }, this.filterField), this.table.element);
  }

  async load(): Promise<void> {
    const summary = await this.options.queries.ask({ kind: 'summary' });
    this.classes = summary.rows;
    this.applyFilter();
  }

  get filter(): string {
    return this.filterText;
  }

  restore(filter: string, sort: SortState | undefined): void {
    this.filterText = filter;
    this.filterField.value = filter;
    this.table.setSort(sort ?? { column: 'retained', descending: true });
  }

  private applyFilter(): void {
    const needle = this.filterText.trim().toLowerCase();
    const rows = needle ? this.classes.filter((c) => c.name.toLowerCase().includes(needle)) : this.classes;
    this.table.setRootRows(rows.map((row) => ({ kind: 'class', row })));
  }
}
