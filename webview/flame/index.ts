/**
 * The flame graph (custom editor for .heapprofile, and the live view while sampling): an icicle
 * chart of allocation stacks on a canvas, root at the top. Click a frame to open its source,
 * double-click (or Enter) to zoom into it; the breadcrumb zooms back out. Search dims frames that
 * do not match; the live/total toggle appears when the profile carries both.
 *
 * Keyboard: the canvas is focusable; arrows move between parent, child and siblings, Enter zooms,
 * Escape zooms out, O opens the source.
 */
import { isOpenableSourceUrl } from '../../protocol/messages';
import { FlameTree, ProfileMode } from '../../protocol/profile';
import { custom, h, replaceChildren } from '../dom';
import { formatBytes, formatCount, formatPercent } from '../format';
import { Host } from '../host';
import { FlameLayout, frameAt, layoutFlameTree } from './layout';
import { drawFlame, Paint, ROW_HEIGHT } from './renderer';

interface SavedState {
  mode?: ProfileMode;
  search: string;
  /** Node ids from the root to the zoomed frame: ids survive a live refresh of the same profile. */
  zoomPath: number[];
}

export function mountFlameView(root: HTMLElement, host: Host, title: string): void {
  const saved: SavedState = host.loadState(readSavedState) ?? { search: '', zoomPath: [] };
  let trees: FlameTree[] = [];
  let tree: FlameTree | undefined;
  let layout: FlameLayout | undefined;
  let zoom = 0;
  let selected = -1;
  let matches: Uint8Array | undefined;
  let firstRow = 0;
  let drawQueued = false;

  const heading = h('h1', {}, title);
  const stats = h('span', { class: 'stats' });
  const modeBar = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Which allocations' });
  const search = custom('vscode-textfield', { placeholder: 'Search functions or files', 'aria-label': 'Search frames' }) as HTMLElement & { value: string };
  search.value = saved.search;
  const matchInfo = h('span', { class: 'caption', 'aria-live': 'polite' });
  const reset = custom('vscode-button', { secondary: true, title: 'Show the whole profile' }, 'Reset zoom');
  // Plain buttons styled as links: @vscode-elements has no breadcrumb, and a full vscode-button per
  // crumb would look like a toolbar.
  const breadcrumb = h('nav', { class: 'breadcrumb', 'aria-label': 'Zoom path' });
  const canvas = h('canvas', { class: 'flame-canvas', tabindex: 0, role: 'img', 'aria-label': 'Allocation flame graph' });
  // A thin native scrollbar beside the canvas: the canvas itself is only as tall as the view.
  const scroller = h('div', { class: 'flame-scroller', 'aria-hidden': 'true' }, h('div', { class: 'flame-spacer' }));
  const stage = h('div', { class: 'flame-stage' }, canvas, scroller);
  const tooltip = h('div', { class: 'flame-tooltip', role: 'tooltip', hidden: true });
  const details = h('div', { class: 'flame-details', 'aria-live': 'polite' }, 'Click a frame to open its source; double-click to zoom.');
  const empty = h('p', { class: 'empty' }, 'Waiting for a profile…');
  replaceChildren(
    root,
    h('header', { class: 'view-header' }, heading, stats),
    h('div', { class: 'toolbar' }, modeBar, search, matchInfo, reset),
    breadcrumb,
    empty,
    stage,
    details,
    tooltip,
  );
  const context = canvas.getContext('2d', { alpha: false })!;

  const save = () => host.saveState({ mode: tree?.mode, search: search.value, zoomPath: layout ? idPath(layout, zoom) : [] } satisfies SavedState);

  const queueDraw = () => {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      draw();
    });
  };

  function draw(): void {
    if (!layout) return;
    const startedAt = performance.now();
    const ratio = window.devicePixelRatio || 1;
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const drawn = drawFlame(
      context,
      layout,
      { from: layout.start[zoom], to: layout.start[zoom] + layout.total[zoom], firstRow, width, height },
      { matches, selected, ancestorsOf: zoom },
      themePaint(),
    );
    // Read by the tests and the benchmark: how many frames the last paint drew, and in how long.
    canvas.dataset.drawnFrames = String(drawn);
    canvas.dataset.drawMs = (performance.now() - startedAt).toFixed(2);
    canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  }

  function setTree(next: FlameTree): void {
    const previousZoom = layout ? idPath(layout, zoom) : saved.zoomPath;
    const previousSelected = layout && selected >= 0 ? layout.nodes[selected].id : undefined;
    tree = next;
    layout = layoutFlameTree(next);
    zoom = findPath(layout, previousZoom);
    selected = previousSelected === undefined ? -1 : findId(layout, previousSelected);
    (scroller.firstElementChild as HTMLElement).style.height = `${(layout.maxDepth + 2) * ROW_HEIGHT}px`;
    empty.hidden = true;
    replaceChildren(stats, `${formatBytes(next.totalBytes)} sampled · ${formatCount(next.sampleCount)} samples · ${formatCount(next.nodeCount)} frames`);
    applySearch();
    renderModes();
    renderBreadcrumb();
    queueDraw();
  }

  function renderModes(): void {
    const modes = trees.map((t) => t.mode);
    modeBar.hidden = modes.length < 2;
    replaceChildren(
      modeBar,
      ...trees.map((t) => {
        const active = t === tree;
        const button = custom('vscode-button', { secondary: !active, 'aria-pressed': String(active) }, t.mode === 'live' ? 'Live objects' : t.mode === 'total' ? 'All allocations' : 'Allocations');
        button.addEventListener('click', () => {
          setTree(t);
          save();
        });
        return button;
      }),
    );
  }

  function renderBreadcrumb(): void {
    if (!layout) return;
    const chain: number[] = [];
    for (let i = zoom; i >= 0; i = layout.parent[i]) chain.unshift(i);
    replaceChildren(
      breadcrumb,
      ...chain.map((i, n) => {
        const crumb = h('button', { class: 'crumb', 'aria-current': n === chain.length - 1 ? 'true' : undefined }, layout!.nodes[i].name);
        crumb.addEventListener('click', () => zoomTo(i));
        return crumb;
      }),
    );
  }

  function applySearch(): void {
    const needle = search.value.trim().toLowerCase();
    if (!layout || !needle) {
      matches = undefined;
      matchInfo.textContent = '';
      return;
    }
    matches = new Uint8Array(layout.count);
    let found = 0;
    let bytes = 0;
    for (let i = 0; i < layout.count; i++) {
      const node = layout.nodes[i];
      if (node.name.toLowerCase().includes(needle) || node.url.toLowerCase().includes(needle)) {
        matches[i] = 1;
        found++;
        bytes += layout.self[i];
      }
    }
    matchInfo.textContent = `${formatCount(found)} ${found === 1 ? 'frame matches' : 'frames match'} · ${formatPercent(bytes / Math.max(1, layout.total[0]))} of bytes`;
  }

  function zoomTo(index: number): void {
    zoom = index;
    firstRow = Math.max(0, Math.min(firstRow, layout ? layout.depth[index] : 0));
    renderBreadcrumb();
    save();
    queueDraw();
  }

  function select(index: number, announce = true): void {
    selected = index;
    if (announce && layout && index >= 0) replaceChildren(details, describe(layout, index, tree?.totalBytes ?? 0));
    queueDraw();
  }

  function openSource(index: number): void {
    const node = layout?.nodes[index];
    // The tree's lines are 1-based (0: unknown); openSource takes V8's 0-based positions.
    if (node && isOpenableSourceUrl(node.url) && node.line > 0) host.post({ type: 'openSource', url: node.url, line: node.line - 1, column: Math.max(0, node.column - 1) });
  }

  function frameFromEvent(event: MouseEvent): number {
    if (!layout) return -1;
    const rect = canvas.getBoundingClientRect();
    const depth = Math.floor((event.clientY - rect.top) / ROW_HEIGHT) + firstRow;
    const from = layout.start[zoom];
    const bytes = from + ((event.clientX - rect.left) / rect.width) * layout.total[zoom];
    return frameAt(layout, bytes, depth);
  }

  canvas.addEventListener('click', (event) => {
    const index = frameFromEvent(event);
    if (index < 0) return;
    select(index);
    openSource(index);
  });
  canvas.addEventListener('dblclick', (event) => {
    const index = frameFromEvent(event);
    if (index >= 0) zoomTo(index);
  });
  canvas.addEventListener('mousemove', (event) => {
    const index = frameFromEvent(event);
    if (index < 0 || !layout) {
      tooltip.hidden = true;
      return;
    }
    replaceChildren(tooltip, describe(layout, index, tree?.totalBytes ?? 0));
    tooltip.hidden = false;
    const x = Math.min(event.clientX + 12, window.innerWidth - tooltip.offsetWidth - 4);
    tooltip.style.transform = `translate(${x}px, ${event.clientY + 14}px)`;
  });
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  canvas.addEventListener('wheel', (event) => {
    scroller.scrollTop += event.deltaY;
  }, { passive: true });
  scroller.addEventListener('scroll', () => {
    firstRow = Math.floor(scroller.scrollTop / ROW_HEIGHT);
    queueDraw();
  });
  canvas.addEventListener('keydown', (event) => {
    if (!layout) return;
    const current = selected >= 0 ? selected : zoom;
    let next = -1;
    switch (event.key) {
      case 'ArrowUp':
        next = layout.parent[current];
        break;
      case 'ArrowDown':
        next = current + 1 < layout.end[current] ? current + 1 : -1;
        break;
      case 'ArrowRight':
        next = sibling(layout, current, +1);
        break;
      case 'ArrowLeft':
        next = sibling(layout, current, -1);
        break;
      case 'Enter':
        zoomTo(current);
        break;
      case 'Escape':
        if (layout.parent[zoom] >= 0) zoomTo(layout.parent[zoom]);
        break;
      case 'o':
        openSource(current);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next >= 0) select(next);
  });
  search.addEventListener('input', () => {
    applySearch();
    save();
    queueDraw();
  });
  reset.addEventListener('click', () => zoomTo(0));
  new ResizeObserver(queueDraw).observe(stage);
  // VS Code swaps body classes when the theme changes; repaint with the new colours.
  new MutationObserver(queueDraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  host.onMessage((message) => {
    if (message.type === 'profile') {
      trees = message.trees;
      replaceChildren(heading, message.title, message.sampling ? h('span', { class: 'badge live' }, 'sampling…') : null);
      const wanted = trees.find((t) => t.mode === (tree?.mode ?? saved.mode)) ?? trees[0];
      if (wanted) setTree(wanted);
      else replaceChildren(empty, 'The profile has no samples yet.');
    } else if (message.type === 'error') {
      replaceChildren(details, message.hint ? `${message.message} ${message.hint}` : message.message);
    }
  });
  host.post({ type: 'ready', view: 'flame' });
}

/** Next or previous frame at the same depth among the same parent's children. */
function sibling(layout: FlameLayout, index: number, direction: 1 | -1): number {
  const parent = layout.parent[index];
  if (parent < 0) return -1;
  if (direction > 0) return layout.end[index] < layout.end[parent] ? layout.end[index] : -1;
  let previous = -1;
  for (let c = parent + 1; c < index; c = layout.end[c]) previous = c;
  return previous;
}

function describe(layout: FlameLayout, index: number, totalBytes: number): HTMLElement {
  const node = layout.nodes[index];
  const where = node.url ? `${node.url}${node.line > 0 ? `:${node.line}` : ''}` : 'native / V8';
  return h(
    'div',
    {},
    h('strong', {}, node.name),
    h('div', { class: 'muted' }, where),
    h('div', {}, `Self ${formatBytes(layout.self[index])} · Total ${formatBytes(layout.total[index])} (${formatPercent(layout.total[index] / Math.max(1, totalBytes))})`),
  );
}

function idPath(layout: FlameLayout, index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = layout.parent[i]) path.unshift(layout.nodes[i].id);
  return path;
}

/** The deepest frame along a saved id path that still exists (the root when nothing matches). */
function findPath(layout: FlameLayout, path: number[]): number {
  let at = 0;
  if (layout.count === 0 || path[0] !== layout.nodes[0].id) return 0;
  for (const id of path.slice(1)) {
    let child = at + 1;
    while (child < layout.end[at] && layout.nodes[child].id !== id) child = layout.end[child];
    if (child >= layout.end[at]) break;
    at = child;
  }
  return at;
}

function findId(layout: FlameLayout, id: number): number {
  for (let i = 0; i < layout.count; i++) if (layout.nodes[i].id === id) return i;
  return -1;
}

function themePaint(): Paint {
  const style = getComputedStyle(document.body);
  const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return {
    background: variable('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    sliver: dark ? '#5a5a5a' : '#b8b8b8',
    selectedOutline: variable('--vscode-focusBorder', '#007fd4'),
    font: `11px ${variable('--vscode-editor-font-family', 'monospace')}`,
    dark,
  };
}

function readSavedState(value: unknown): SavedState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const state = value as Partial<SavedState>;
  return {
    mode: state.mode === 'live' || state.mode === 'total' || state.mode === 'unknown' ? state.mode : undefined,
    search: typeof state.search === 'string' ? state.search : '',
    zoomPath: Array.isArray(state.zoomPath) ? state.zoomPath.filter((n): n is number => typeof n === 'number') : [],
  };
}
