/** The dominator tree from the synthetic root, each level paged from the extension on expand. */
import { NodeInfo } from '../../protocol/snapshot';
import { TreeTable } from '../virtual-tree';
import { dominatesOthers, objectCell, openable, OpenSource, sizeColumns } from './cells';
import { SnapshotQueries } from './queries';

export class DominatorPanel {
  readonly table: TreeTable<NodeInfo>;
  private rootIndex = 0;

  constructor(queries: SnapshotQueries, totalSize: () => number, openSource: OpenSource, onSelectNode: (row: NodeInfo) => void) {
    this.table = new TreeTable<NodeInfo>({
      label: 'Dominator tree',
      columns: [
        { id: 'name', title: 'Object', width: 'minmax(14rem, 1fr)', render: (r) => objectCell(r, openSource) },
        // Not sortable: children arrive from the engine ordered by retained size, a page at a time.
        ...sizeColumns<NodeInfo>(totalSize, (r) => ({ distance: r.distance, shallow: r.selfSize, retained: r.retainedSize }), false),
      ],
      hasChildren: dominatesOthers,
      loadChildren: async (parent, offset, limit) => {
        const { page } = await queries.ask({ kind: 'dominatorChildren', nodeIndex: parent ? parent.index : this.rootIndex, offset, limit });
        return { total: page.total, rows: page.items };
      },
      onSelect: onSelectNode,
      onActivate: (r) => {
        if (openable(r.location)) openSource(r.location);
      },
    });
  }

  get element(): HTMLElement {
    return this.table.element;
  }

  show(rootIndex: number): void {
    this.rootIndex = rootIndex;
    this.table.setLazyRoot();
  }
}
