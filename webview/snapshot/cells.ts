/** Cell renderers shared by the snapshot tables. */
import { isOpenableSourceUrl } from '../../protocol/messages';
import { NodeInfo, SourceLocation } from '../../protocol/snapshot';
import { h } from '../dom';
import { formatBytes, formatPercent } from '../format';
import { Column } from '../virtual-tree';

/** Opens a source location in the editor (posts `openSource`). */
export type OpenSource = (location: SourceLocation) => void;

/** A location the editor can open: the snapshot knows the script, and it is a file (not eval'd code). */
export function openable(location: SourceLocation | undefined): location is SourceLocation & { scriptName: string } {
  return location?.scriptName !== undefined && isOpenableSourceUrl(location.scriptName);
}

/** `file.js:13` — lines shown 1-based, as editors number them. */
export function sourceLink(location: SourceLocation & { scriptName: string }, open: OpenSource): HTMLElement {
  const url = location.scriptName;
  const file = url.slice(Math.max(url.lastIndexOf('/'), url.lastIndexOf('\\')) + 1) || url;
  const link = h('a', { href: '#', class: 'source-link', title: `${url}:${location.line + 1}:${location.column + 1}` }, `${file}:${location.line + 1}`);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    open(location);
  });
  return link;
}

/** `Foo @123` with the type as a muted tag, the edge that leads to it, and a link to its source. */
export function objectCell(node: NodeInfo, open: OpenSource, edge?: { edgeName: string; edgeType: string }): HTMLElement {
  const cell = h('span', { class: 'object' });
  if (edge) cell.append(h('span', { class: `edge edge-${edge.edgeType}` }, `${edgeLabel(edge)} in `));
  cell.append(h('span', { class: `object-name type-${node.type}` }, displayName(node)), h('span', { class: 'object-id' }, ` @${node.id}`));
  if (openable(node.location)) cell.append(' ', sourceLink(node.location, open));
  return cell;
}

/** The object's name, or its type in parentheses for nameless internals (a Map's backing table). */
export function displayName(node: NodeInfo, max = 200): string {
  return node.name ? truncate(node.name, max) : `(${node.type})`;
}

/** `[3]` for elements, `name` for properties, `(context) name` for the rest. */
export function edgeLabel(edge: { edgeName: string; edgeType: string }): string {
  if (edge.edgeType === 'element' || edge.edgeType === 'hidden') return `[${edge.edgeName}]`;
  if (edge.edgeType === 'property' || edge.edgeType === 'shortcut') return truncate(edge.edgeName, 60);
  return `(${edge.edgeType}) ${truncate(edge.edgeName, 60)}`;
}

export function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** An object dominates something exactly when it retains more than itself. */
export function dominatesOthers(node: NodeInfo): boolean {
  return node.retainedSize > node.selfSize;
}

/** Distance, shallow and retained size columns for any row that has them. */
export function sizeColumns<R>(
  totalSize: () => number,
  pick: (row: R) => { distance: number; shallow: number; retained: number },
  sortable = true,
): Column<R>[] {
  const sort = <T>(value: T) => (sortable ? value : undefined);
  return [
    {
      id: 'distance',
      title: 'Distance',
      width: '5.5rem',
      numeric: true,
      render: (r) => formatDistance(pick(r).distance),
      sortValue: sort((r: R) => pick(r).distance),
    },
    {
      id: 'shallow',
      title: 'Shallow size',
      width: '9.5rem',
      numeric: true,
      render: (r) => withShare(pick(r).shallow, totalSize()),
      sortValue: sort((r: R) => pick(r).shallow),
    },
    {
      id: 'retained',
      title: 'Retained size',
      width: '9.5rem',
      numeric: true,
      render: (r) => withShare(pick(r).retained, totalSize()),
      sortValue: sort((r: R) => pick(r).retained),
    },
  ];
}

/**
 * As DevTools shows it: a dash for objects no GC root reaches (negative) and for those reached only
 * through system roots (V8 adds 100 000 000 to their distance).
 */
function formatDistance(distance: number): string {
  return distance >= 0 && distance < 100_000_000 ? String(distance) : '−';
}

function withShare(bytes: number, total: number): string {
  return total > 0 ? `${formatBytes(bytes)} · ${formatPercent(bytes / total)}` : formatBytes(bytes);
}
