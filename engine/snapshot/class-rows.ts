import type { ClassTable } from './class-names';
import type { NodeKinds } from './kinds';
import type { RawGraph } from './reader';
import type { ClassRow } from './types';

/** The Summary's rows without retained sizes (those need the dominator tree; see heap-snapshot.ts). */
export interface ClassRows {
  rows: ClassRow[];
  /** Rows in DevTools' order, one per public key. */
  published: number[];
  /** Row of each node; -1 for nodes with self size 0 (DevTools does not count them). */
  rowOf: Int32Array;
  /** Public key -> row. */
  byKey: Map<string, number>;
  /** Members of row r: members[firstMember[r] .. firstMember[r+1]-1] (node ordinals). */
  firstMember: Uint32Array;
  members: Uint32Array;
}

/**
 * Groups nodes of non-zero self size into DevTools' Summary rows. DevTools keys a row by the class,
 * or for JS objects with a source position by position plus class (two constructors of one name
 * are two rows), and then publishes rows by a string key: when two groups share a public key (an
 * object named "Function" and the closures' "Function" class) the later replaces the earlier in
 * place. Same here, with numeric keys per node instead of strings.
 */
export function buildClassRows(
  graph: RawGraph, nodes: NodeKinds, classes: ClassTable, selfSize: Uint32Array, distance: Int32Array, locationOrder: Uint32Array,
): ClassRows {
  const { nodeCount, nodeType } = graph;
  const { classOf, names } = classes;
  const { node: locatedNode, scriptId, line, column } = graph.locations;
  const positionIds = new Map<string, number>();
  const positionOf = new Int32Array(locatedNode.length);
  for (let i = 0; i < positionOf.length; i++) {
    const position = `${scriptId[i]},${line[i]},${column[i]}`;
    let id = positionIds.get(position);
    if (id === undefined) {
      id = positionIds.size;
      positionIds.set(position, id);
    }
    positionOf[i] = id;
  }
  const rows: ClassRow[] = [];
  const rowOf = new Int32Array(nodeCount).fill(-1);
  const rowOfClass = new Int32Array(names.length).fill(-1);
  const rowOfPositionedClass = new Map<number, number>();
  const order = locationOrder;
  let cursor = 0; // walks the locations in node order alongside n
  for (let n = 0; n < nodeCount; n++) {
    while (cursor < order.length && locatedNode[order[cursor]] < n) cursor++;
    const size = selfSize[n];
    if (size === 0) continue;
    let location = -1;
    if (nodeType[n] === nodes.object) {
      for (let c = cursor; c < order.length && locatedNode[order[c]] === n; c++) location = order[c];
    }
    const classId = classOf[n];
    let row: number | undefined;
    if (location < 0) {
      row = rowOfClass[classId];
      if (row < 0) row = rowOfClass[classId] = rows.length;
    } else {
      const key = names.length * (1 + positionOf[location]) + classId;
      row = rowOfPositionedClass.get(key);
      if (row === undefined) {
        row = rows.length;
        rowOfPositionedClass.set(key, row);
      }
    }
    if (row === rows.length) {
      const name = names[classId];
      const key = location < 0 ? ',' + name : `${scriptId[location]},${line[location]},${column[location]},${name}`;
      rows.push({ key, name, count: 0, shallowSize: 0, retainedSize: 0, distance: distance[n] });
    }
    const r = rows[row];
    r.count++;
    r.shallowSize += size;
    if (distance[n] < r.distance) r.distance = distance[n];
    rowOf[n] = row;
  }
  const firstMember = new Uint32Array(rows.length + 1);
  for (let n = 0; n < nodeCount; n++) if (rowOf[n] >= 0) firstMember[rowOf[n] + 1]++;
  for (let r = 0; r < rows.length; r++) firstMember[r + 1] += firstMember[r];
  const fill = firstMember.slice(0, rows.length);
  const members = new Uint32Array(firstMember[rows.length]);
  for (let n = 0; n < nodeCount; n++) if (rowOf[n] >= 0) members[fill[rowOf[n]]++] = n;
  const byKey = new Map<string, number>();
  const published: number[] = [];
  const publishedAt = new Map<string, number>();
  rows.forEach((row, r) => {
    const at = publishedAt.get(row.key);
    if (at === undefined) {
      publishedAt.set(row.key, published.length);
      published.push(r);
    } else {
      published[at] = r;
    }
    byKey.set(row.key, r);
  });
  return { rows, published, rowOf, byKey, firstMember, members };
}
