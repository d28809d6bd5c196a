/**
 * Draws a flame layout on a canvas: only frames inside the visible byte range and rows, whole
 * subtrees skipped when off-screen, and runs of frames thinner than half a pixel merged into one
 * grey sliver per row — so 100k frames draw in a few milliseconds.
 */
import { FlameLayout } from './layout';

export const ROW_HEIGHT = 18;
const MIN_FRAME_PX = 0.5;
const CHAR_PX = 6.6;

export interface Viewport {
  /** Visible byte range (the zoomed frame's extent). */
  from: number;
  to: number;
  /** First depth drawn at the top of the canvas (vertical scroll), in rows. */
  firstRow: number;
  width: number;
  height: number;
}

export interface Paint {
  background: string;
  sliver: string;
  selectedOutline: string;
  font: string;
  dark: boolean;
}

export interface Highlight {
  /** 1 where the frame matches the search; undefined when there is no search. */
  matches?: Uint8Array;
  selected: number;
  /** Frames drawn dimmed: the zoomed frame's ancestors. */
  ancestorsOf: number;
}

export function drawFlame(context: CanvasRenderingContext2D, layout: FlameLayout, view: Viewport, highlight: Highlight, paint: Paint): number {
  context.fillStyle = paint.background;
  context.fillRect(0, 0, view.width, view.height);
  context.font = paint.font;
  context.textBaseline = 'middle';
  const scale = view.width / Math.max(1, view.to - view.from);
  const lastRow = view.firstRow + Math.ceil(view.height / ROW_HEIGHT);
  const sliverStart = new Float64Array(layout.maxDepth + 1).fill(-1);
  const sliverEnd = new Float64Array(layout.maxDepth + 1);
  let drawn = 0;

  const flushSliver = (depth: number) => {
    if (sliverStart[depth] < 0) return;
    const width = sliverEnd[depth] - sliverStart[depth];
    if (width >= 1) {
      context.fillStyle = paint.sliver;
      context.fillRect(sliverStart[depth], (depth - view.firstRow) * ROW_HEIGHT, width, ROW_HEIGHT - 1);
    }
    sliverStart[depth] = -1;
  };

  const ancestors = new Set<number>();
  for (let a = highlight.ancestorsOf; a >= 0; a = layout.parent[a]) ancestors.add(a);

  let i = 0;
  while (i < layout.count) {
    const depth = layout.depth[i];
    const x = (layout.start[i] - view.from) * scale;
    const width = layout.total[i] * scale;
    if (x >= view.width || x + width <= 0 || depth > lastRow) {
      i = layout.end[i];
      continue;
    }
    if (width < MIN_FRAME_PX) {
      // Merge with the previous thin frame on this row when they touch; the subtree is thinner still.
      if (sliverStart[depth] >= 0 && x - sliverEnd[depth] > 1) flushSliver(depth);
      if (sliverStart[depth] < 0) sliverStart[depth] = x;
      sliverEnd[depth] = x + width;
      i = layout.end[i];
      continue;
    }
    if (depth >= view.firstRow) {
      flushSliver(depth);
      const left = Math.max(0, x);
      const right = Math.min(view.width, x + width);
      const y = (depth - view.firstRow) * ROW_HEIGHT;
      const dimmed = (highlight.matches && !highlight.matches[i]) || (ancestors.has(i) && i !== highlight.ancestorsOf);
      context.fillStyle = frameColour(layout.hue[i], dimmed === true, paint.dark);
      context.fillRect(left, y, Math.max(1, right - left - 1), ROW_HEIGHT - 1);
      if (i === highlight.selected) {
        context.strokeStyle = paint.selectedOutline;
        context.lineWidth = 2;
        context.strokeRect(left + 1, y + 1, Math.max(1, right - left - 3), ROW_HEIGHT - 3);
      }
      const room = Math.floor((right - left - 6) / CHAR_PX);
      if (room >= 3) {
        const name = layout.nodes[i].name;
        // Dark text on the light, saturated frame colours reads in every theme.
        context.fillStyle = '#1e1e1e';
        context.fillText(name.length > room ? `${name.slice(0, room - 1)}…` : name, left + 3, y + ROW_HEIGHT / 2);
      }
      drawn++;
    }
    i++;
  }
  for (let depth = 0; depth <= layout.maxDepth; depth++) flushSliver(depth);
  return drawn;
}

function frameColour(hue: number, dimmed: boolean, dark: boolean): string {
  if (dimmed) return dark ? 'hsl(0, 0%, 32%)' : 'hsl(0, 0%, 82%)';
  return hue >= 180 ? `hsl(${hue}, 45%, ${dark ? 62 : 72}%)` : `hsl(${hue}, 80%, ${dark ? 58 : 62}%)`;
}
