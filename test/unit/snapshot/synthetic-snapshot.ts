/**
 * Hand-made heap snapshots in V8's file format, for testing graph rules on graphs small enough to
 * work out by hand. Real snapshots come from real Node processes (see real-snapshots.ts).
 */
import * as fs from 'node:fs';

export const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export interface SyntheticNode {
  type: string;
  name: string;
  /** Defaults to a unique odd id. */
  id?: number;
  size: number;
}

export interface SyntheticEdge {
  from: number;
  to: number;
  type: string;
  /** A string for named edges, a number for element/hidden edges. */
  name: string | number;
}

/** The snapshot text: node 0 is the root; edges are grouped by source as V8 writes them. */
export function snapshotText(nodes: SyntheticNode[], edges: SyntheticEdge[], extraHeader: Record<string, unknown> = {}): string {
  const strings: string[] = [''];
  const stringIndex = (s: string): number => {
    const at = strings.indexOf(s);
    if (at >= 0) return at;
    strings.push(s);
    return strings.length - 1;
  };
  const nodeFields = ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'];
  const nodeArray: number[] = [];
  nodes.forEach((node, i) => {
    const count = edges.filter((e) => e.from === i).length;
    nodeArray.push(NODE_TYPES.indexOf(node.type), stringIndex(node.name), node.id ?? 2 * i + 1, node.size, count, 0);
  });
  const edgeArray: number[] = [];
  nodes.forEach((_, i) => {
    for (const edge of edges.filter((e) => e.from === i)) {
      const name = typeof edge.name === 'number' ? edge.name : stringIndex(edge.name);
      edgeArray.push(EDGE_TYPES.indexOf(edge.type), name, edge.to * nodeFields.length);
    }
  });
  const header = {
    meta: {
      node_fields: nodeFields,
      node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    },
    node_count: nodes.length,
    edge_count: edgeArray.length / 3,
    ...extraHeader,
  };
  return `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodeArray.join(',')}],\n"edges":[${edgeArray.join(',')}],\n"locations":[],\n"strings":${JSON.stringify(strings)}}`;
}

export function writeSyntheticSnapshot(file: string, nodes: SyntheticNode[], edges: SyntheticEdge[]): string {
  fs.writeFileSync(file, snapshotText(nodes, edges));
  return file;
}
