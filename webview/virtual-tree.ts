/**
 * A virtualised, lazily loaded tree table (a flat table is a tree of depth one).
 *
 * Only the rows in view exist in the DOM. Children are fetched a page at a time when a row that
 * is not loaded yet scrolls into view, so a class with a million instances costs one page of rows.
 * Finding the row at a scroll position does not flatten the tree: each expanded node knows how many
 * rows it shows below itself, and only expanded children are walked (a handful, not a million).
 *
 * Plain elements styled with theme variables, not vscode-table: that component renders every row
 * it is given, which a million-row list cannot afford.
 *
 * Keyboard: Up/Down/PageUp/PageDown/Home/End move, Right expands (or steps in), Left collapses (or
 * steps out), Enter activates.
 */
import { h, replaceChildren } from './dom';

export interface Column<R> {
  id: string;
  title: string;
  /** A CSS grid track, e.g. `minmax(12rem, 1fr)` or `7rem`. */
  width: string;
  numeric?: boolean;
  /** Cell content: text, or a node (e.g. a source link). */
  render(row: R): string | Node;
  /** Present on columns the root rows can be sorted by. */
  sortValue?(row: R): number | string;
}

export interface Page<R> {
  total: number;
  rows: R[];
}

export interface TreeTableOptions<R> {
  columns: Column<R>[];
  /** Accessible name of the table. */
  label: string;
  hasChildren(row: R): boolean;
  /** Loads children of `parent`, or the root rows when `parent` is undefined (lazy roots). */
  loadChildren(parent: R | undefined, offset: number, limit: number): Promise<Page<R>>;
  onSelect?(row: R): void;
  onActivate?(row: R): void;
  /** Called when the user sorts; the view saves it. */
  onSortChange?(sort: SortState): void;
  pageSize?: number;
}

export interface SortState {
  column: string;
  descending: boolean;
}

const ROW_HEIGHT = 22;
/** Browsers cap element heights (Chromium near 33.5 M px); taller lists scroll proportionally. */
const MAX_SCROLL_HEIGHT = 10_000_000;

class TreeNode<R> {
  expanded = false;
  /** Number of children; -1 until the first page arrives. */
  total = -1;
  readonly children: (TreeNode<R> | undefined)[] = [];
  /** Offsets of expanded children, ascending. */
  expandedOffsets: number[] = [];
  /** Rows shown below this node (its expanded subtree), 0 when collapsed. */
  rowsBelow = 0;
  readonly pendingPages = new Set<number>();

  constructor(
    readonly row: R | undefined,
    readonly parent: TreeNode<R> | undefined,
    /** Position among its parent's children (changes when the top level is re-sorted). */
    public offset: number,
    readonly depth: number,
  ) {}
}

/** What sits at one visible index: a loaded node, or a slot still loading. */
type Slot<R> = { node: TreeNode<R> } | { parent: TreeNode<R>; offset: number; depth: number };

export class TreeTable<R> {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsLayer: HTMLElement;
  private readonly header: HTMLElement;
  private readonly status: HTMLElement;
  private readonly template: string;
  private root = new TreeNode<R>(undefined, undefined, 0, -1);
  private localRoot = false;
  private selected: TreeNode<R> | undefined;
  private sort: SortState | undefined;
  private renderQueued = false;
  private generation = 0;
  private readonly pageSize: number;

  constructor(private readonly options: TreeTableOptions<R>) {
    this.pageSize = options.pageSize ?? 200;
    this.template = options.columns.map((c) => c.width).join(' ');
    this.header = h('div', { class: 'vt-header', role: 'row' });
    this.spacer = h('div', { class: 'vt-spacer' });
    this.rowsLayer = h('div', { class: 'vt-rows', role: 'rowgroup' });
    this.viewport = h('div', { class: 'vt-viewport' }, this.spacer, this.rowsLayer);
    this.status = h('div', { class: 'vt-status', 'aria-live': 'polite' });
    this.element = h('div', { class: 'vt', role: 'treegrid', tabindex: 0, 'aria-label': options.label }, this.header, this.viewport, this.status);
    this.header.style.gridTemplateColumns = this.template;
    this.renderHeader();
    this.viewport.addEventListener('scroll', () => this.queueRender());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.rowsLayer.addEventListener('click', (event) => this.onClick(event));
    this.rowsLayer.addEventListener('dblclick', (event) => this.onDoubleClick(event));
    new ResizeObserver(() => this.queueRender()).observe(this.viewport);
  }

  /** Shows these rows at the top level (all local: sortable). Replaces the tree. */
  setRootRows(rows: R[]): void {
    this.reset();
    this.localRoot = true;
    this.root.total = rows.length;
    rows.forEach((row, i) => (this.root.children[i] = new TreeNode(row, this.root, i, 0)));
    if (this.sort) this.applySort();
    this.recount(this.root);
    this.queueRender();
  }

  /** Loads the top level lazily, a page at a time (not sortable). Replaces the tree. */
  setLazyRoot(): void {
    this.reset();
    this.localRoot = false;
    this.queueRender();
  }

  setSort(sort: SortState | undefined): void {
    this.sort = sort;
    this.renderHeader();
    if (this.localRoot && this.sort) {
      this.applySort();
      this.recount(this.root);
      this.queueRender();
    }
  }

  get sortState(): SortState | undefined {
    return this.sort;
  }

  private reset(): void {
    this.generation++;
    this.root = new TreeNode<R>(undefined, undefined, 0, -1);
    this.root.expanded = true;
    this.selected = undefined;
    this.recount(this.root);
  }

  private renderHeader(): void {
    const cells = this.options.columns.map((column) => {
      const sortable = column.sortValue !== undefined;
      const active = this.sort?.column === column.id;
      const cell = h(
        sortable ? 'button' : 'div',
        {
          class: `vt-cell vt-head${column.numeric ? ' numeric' : ''}${active ? ' sorted' : ''}`,
          role: 'columnheader',
          'aria-sort': active ? (this.sort!.descending ? 'descending' : 'ascending') : undefined,
          'data-column': column.id,
          title: sortable ? `Sort by ${column.title}` : undefined,
        },
        column.title + (active ? (this.sort!.descending ? ' ▾' : ' ▴') : ''),
      );
      if (sortable) {
        cell.addEventListener('click', () => {
          const descending = active ? !this.sort!.descending : column.numeric === true;
          this.setSort({ column: column.id, descending });
          this.options.onSortChange?.({ column: column.id, descending });
        });
      }
      return cell;
    });
    replaceChildren(this.header, ...cells);
  }

  private applySort(): void {
    const column = this.options.columns.find((c) => c.id === this.sort!.column);
    if (!column?.sortValue) return;
    const value = column.sortValue;
    const sign = this.sort!.descending ? -1 : 1;
    const nodes = this.root.children.filter((n): n is TreeNode<R> => n !== undefined);
    nodes.sort((a, b) => {
      const x = value(a.row!);
      const y = value(b.row!);
      return x < y ? -sign : x > y ? sign : 0;
    });
    nodes.forEach((node, i) => {
      node.offset = i;
      this.root.children[i] = node;
    });
    this.root.expandedOffsets = nodes.filter((n) => n.expanded).map((n) => n.offset);
  }

  /** Recomputes `rowsBelow` for a node and every ancestor. */
  private recount(node: TreeNode<R> | undefined): void {
    for (let n = node; n; n = n.parent) {
      if (!n.expanded) {
        n.rowsBelow = 0;
        continue;
      }
      let rows = n.total < 0 ? 1 : n.total;
      for (const offset of n.expandedOffsets) rows += n.children[offset]!.rowsBelow;
      n.rowsBelow = rows;
    }
  }

  /** The slot at visible index `index` (0-based, within the whole table). */
  private slotAt(index: number): Slot<R> | undefined {
    // Nothing is shown (or loaded) until setRootRows or setLazyRoot gives the table its rows.
    if (index < 0 || index >= this.root.rowsBelow) return undefined;
    let node = this.root;
    let i = index;
    for (;;) {
      if (node.total < 0) return i === 0 ? { parent: node, offset: -1, depth: node.depth + 1 } : undefined;
      let cursor = 0;
      let descended = false;
      for (const offset of node.expandedOffsets) {
        const gap = offset - cursor;
        if (i < gap) return this.childSlot(node, cursor + i);
        i -= gap;
        const child = node.children[offset]!;
        if (i === 0) return { node: child };
        i -= 1;
        if (i < child.rowsBelow) {
          node = child;
          descended = true;
          break;
        }
        i -= child.rowsBelow;
        cursor = offset + 1;
      }
      if (!descended) return cursor + i < node.total ? this.childSlot(node, cursor + i) : undefined;
    }
  }

  private childSlot(parent: TreeNode<R>, offset: number): Slot<R> {
    const child = parent.children[offset];
    return child ? { node: child } : { parent, offset, depth: parent.depth + 1 };
  }

  /** The visible index of a node (it must be visible: every ancestor expanded). */
  private indexOf(node: TreeNode<R>): number {
    let index = -1;
    for (let n: TreeNode<R> = node; n.parent; n = n.parent) {
      let position = n.offset;
      for (const offset of n.parent.expandedOffsets) {
        if (offset >= n.offset) break;
        position += n.parent.children[offset]!.rowsBelow;
      }
      index += position + 1;
    }
    return index;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private geometry(): { scale: number; first: number; layerTop: number; visible: number } {
    const total = this.root.rowsBelow;
    const viewportHeight = this.viewport.clientHeight;
    const fullHeight = total * ROW_HEIGHT;
    const height = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
    this.spacer.style.height = `${height}px`;
    const scrollRange = Math.max(1, height - viewportHeight);
    const scale = fullHeight > height ? (fullHeight - viewportHeight) / scrollRange : 1;
    const virtualTop = this.viewport.scrollTop * scale;
    const first = Math.floor(virtualTop / ROW_HEIGHT);
    return {
      scale,
      first,
      layerTop: this.viewport.scrollTop - (virtualTop - first * ROW_HEIGHT),
      visible: Math.ceil(viewportHeight / ROW_HEIGHT) + 1,
    };
  }

  private render(): void {
    const { first, layerTop, visible } = this.geometry();
    this.rowsLayer.style.transform = `translateY(${layerTop}px)`;
    this.element.setAttribute('aria-rowcount', String(this.root.rowsBelow));
    const rows: HTMLElement[] = [];
    for (let index = first; index < first + visible; index++) {
      const slot = this.slotAt(index);
      if (!slot) break;
      rows.push(this.renderRow(slot, index));
    }
    replaceChildren(this.rowsLayer, ...rows);
    this.status.textContent = this.root.total === 0 ? 'No rows.' : '';
  }

  private renderRow(slot: Slot<R>, index: number): HTMLElement {
    const row = h('div', { class: 'vt-row', role: 'row', 'data-index': index, 'aria-rowindex': index + 1 });
    row.style.gridTemplateColumns = this.template;
    if (!('node' in slot)) {
      this.requestPage(slot.parent, Math.max(0, slot.offset));
      row.classList.add('loading');
      const cell = h('div', { class: 'vt-cell', role: 'gridcell' }, 'Loading…');
      // CSSOM, not a style="" attribute: the CSP allows the former only.
      cell.style.paddingLeft = indent(slot.depth);
      row.append(cell);
      return row;
    }
    const node = slot.node;
    const expandable = this.options.hasChildren(node.row!);
    row.setAttribute('aria-level', String(node.depth + 1));
    if (expandable) row.setAttribute('aria-expanded', String(node.expanded));
    if (node === this.selected) {
      row.classList.add('selected');
      row.setAttribute('aria-selected', 'true');
      row.id = 'vt-active';
      this.element.setAttribute('aria-activedescendant', row.id);
    }
    this.options.columns.forEach((column, i) => {
      const cell = h('div', { class: `vt-cell${column.numeric ? ' numeric' : ''}`, role: 'gridcell' });
      if (i === 0) {
        cell.style.paddingLeft = indent(node.depth);
        cell.append(h('span', { class: `twisty${expandable ? (node.expanded ? ' open' : ' closed') : ''}`, 'aria-hidden': 'true' }));
      }
      const content = column.render(node.row!);
      cell.append(content);
      if (typeof content === 'string') cell.title = content;
      row.append(cell);
    });
    return row;
  }

  private requestPage(parent: TreeNode<R>, offset: number): void {
    const page = Math.floor(offset / this.pageSize);
    if (parent.pendingPages.has(page)) return;
    parent.pendingPages.add(page);
    const generation = this.generation;
    this.options.loadChildren(parent.row, page * this.pageSize, this.pageSize).then(
      (result) => {
        if (generation !== this.generation) return;
        parent.total = result.total;
        result.rows.forEach((row, i) => {
          const at = page * this.pageSize + i;
          if (!parent.children[at]) parent.children[at] = new TreeNode(row, parent, at, parent.depth + 1);
        });
        this.recount(parent);
        this.queueRender();
      },
      (error: unknown) => {
        parent.pendingPages.delete(page);
        this.status.textContent = `Could not load rows: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  private toggle(node: TreeNode<R>, expand: boolean): void {
    if (!node.parent || node.expanded === expand || !this.options.hasChildren(node.row!)) return;
    node.expanded = expand;
    const offsets = node.parent.expandedOffsets.filter((o) => o !== node.offset);
    if (expand) offsets.push(node.offset);
    node.parent.expandedOffsets = offsets.sort((a, b) => a - b);
    this.recount(node);
    this.queueRender();
  }

  private select(node: TreeNode<R>, scroll: boolean): void {
    this.selected = node;
    if (scroll) this.scrollToIndex(this.indexOf(node));
    this.queueRender();
    this.options.onSelect?.(node.row!);
  }

  private scrollToIndex(index: number): void {
    const { scale, first, visible } = this.geometry();
    if (index >= first && index < first + visible - 1) return;
    const top = index < first ? index * ROW_HEIGHT : (index + 2) * ROW_HEIGHT - this.viewport.clientHeight;
    this.viewport.scrollTop = Math.max(0, top / scale);
  }

  private nodeFromEvent(event: Event): TreeNode<R> | undefined {
    const row = (event.target as Element).closest<HTMLElement>('.vt-row');
    const slot = row ? this.slotAt(Number(row.dataset.index)) : undefined;
    return slot && 'node' in slot ? slot.node : undefined;
  }

  private onClick(event: MouseEvent): void {
    const node = this.nodeFromEvent(event);
    if (!node) return;
    if ((event.target as Element).closest('.twisty')) this.toggle(node, !node.expanded);
    this.select(node, false);
    this.element.focus({ preventScroll: true });
  }

  private onDoubleClick(event: MouseEvent): void {
    const node = this.nodeFromEvent(event);
    if (node && !(event.target as Element).closest('.twisty, a')) this.options.onActivate?.(node.row!);
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.root.rowsBelow;
    if (count === 0) return;
    const current = this.selected ? this.indexOf(this.selected) : -1;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = Math.min(count - 1, current + 1);
        break;
      case 'ArrowUp':
        target = Math.max(0, current - 1);
        break;
      case 'PageDown':
        target = Math.min(count - 1, current + page);
        break;
      case 'PageUp':
        target = Math.max(0, current - page);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = count - 1;
        break;
      case 'ArrowRight':
        if (this.selected && this.options.hasChildren(this.selected.row!)) {
          if (!this.selected.expanded) this.toggle(this.selected, true);
          else target = current + 1;
        }
        break;
      case 'ArrowLeft':
        if (this.selected?.expanded) this.toggle(this.selected, false);
        else if (this.selected?.parent?.row !== undefined) this.select(this.selected.parent, true);
        break;
      case 'Enter':
        if (this.selected) this.options.onActivate?.(this.selected.row!);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target === undefined) return;
    const slot = this.slotAt(target);
    if (slot && 'node' in slot) this.select(slot.node, true);
    else this.scrollToIndex(target);
  }
}

function indent(depth: number): string {
  return `${depth * 14 + 4}px`;
}
