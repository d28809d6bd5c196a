/**
 * The selected object's retainers (who keeps it alive, expandable level by level) and its shortest
 * path to a GC root, the first thing to read when hunting a leak.
 */
import { EdgeInfo, NodeInfo, PathStep } from '../../protocol/snapshot';
import { h, replaceChildren } from '../dom';
import { TreeTable } from '../virtual-tree';
import { displayName, edgeLabel, objectCell, openable, OpenSource, sizeColumns } from './cells';
import { SnapshotQueries } from './queries';

/** The object whose retainers are shown. */
export interface RetainersTarget {
  nodeIndex: number;
  label: string;
}

export function targetOf(node: NodeInfo): RetainersTarget {
  return { nodeIndex: node.index, label: `${displayName(node, 80)} @${node.id}` };
}

export class RetainersPanel {
  readonly element: HTMLElement;
  private readonly table: TreeTable<EdgeInfo>;
  private readonly heading: HTMLElement;
  private readonly path: HTMLElement;
  private target: RetainersTarget | undefined;

  constructor(
    private readonly queries: SnapshotQueries,
    totalSize: () => number,
    openSource: OpenSource,
  ) {
    this.table = new TreeTable<EdgeInfo>({
      label: 'Retainers of the selected object',
      columns: [
        { id: 'name', title: 'Retainer', width: 'minmax(14rem, 1fr)', render: (r) => objectCell(r.node, openSource, r) },
        ...sizeColumns<EdgeInfo>(totalSize, (r) => ({ distance: r.node.distance, shallow: r.node.selfSize, retained: r.node.retainedSize }), false),
      ],
      // Roots (distance 0) and unreachable objects (negative) have no retainers worth walking.
      hasChildren: (r) => r.node.distance > 0,
      loadChildren: async (parent, offset, limit) => {
        const nodeIndex = parent ? parent.node.index : this.target?.nodeIndex;
        if (nodeIndex === undefined) return { total: 0, rows: [] };
        const { page } = await queries.ask({ kind: 'retainers', nodeIndex, offset, limit });
        return { total: page.total, rows: page.items };
      },
      onActivate: (r) => {
        if (openable(r.node.location)) openSource(r.node.location);
      },
    });
    this.heading = h('div', { class: 'retainers-heading' }, 'Select an object to see what retains it.');
    this.path = h('ol', { class: 'gc-path', 'aria-label': 'Path to GC root' });
    this.element = h('section', { class: 'retainers', 'aria-label': 'Retainers' }, this.heading, this.path, this.table.element);
    this.table.element.hidden = true; // until an object is selected
  }

  async show(target: RetainersTarget): Promise<void> {
    this.target = target;
    this.table.element.hidden = false;
    replaceChildren(this.heading, 'Retainers of ', h('strong', {}, target.label));
    this.table.setLazyRoot();
    replaceChildren(this.path);
    try {
      const result = await this.queries.ask({ kind: 'pathToRoot', nodeIndex: target.nodeIndex });
      if (this.target === target) replaceChildren(this.path, ...pathItems(result.path));
    } catch (error) {
      if (this.target === target) replaceChildren(this.path, h('li', { class: 'error' }, `No path to a GC root: ${(error as Error).message}`));
    }
  }
}

/** `(GC roots) → global .cache → Map .table → …`, read from the root down. */
export function pathItems(path: PathStep[] | null): HTMLElement[] {
  if (path === null) return [h('li', {}, 'No GC root reaches this object: it will be collected.')];
  if (path.length === 0) return [h('li', {}, 'This object is a GC root.')];
  return path.map((step, i) =>
    h('li', {}, i > 0 ? h('span', { class: 'edge' }, `${edgeLabel(step)} → `) : null, h('span', { class: 'object-name' }, `${displayName(step.node, 60)} @${step.node.id}`)),
  );
}
