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

export interface TextOptions {
  /** Extra header keys. */
  header?: Record<string, unknown>;
  /** Add a node field and an edge field no reader knows (future V8 versions may). */
  extraFields?: boolean;
  /** Leave out location_fields and the "locations" array (older V8). */
  noLocations?: boolean;
  /** Raw JSON of extra top-level keys, e.g. '"samples":[1,2],"trace_tree":[[1,[2]]]'. */
  extraSections?: string;
}

/** The snapshot text: node 0 is the root; edges are grouped by source as V8 writes them. */
export function snapshotText(nodes: SyntheticNode[], edges: SyntheticEdge[], options: TextOptions = {}): string {
  const strings: string[] = [''];
  const stringIndex = (s: string): number => {
    const at = strings.indexOf(s);
    if (at >= 0) return at;
    strings.push(s);
    return strings.length - 1;
  };
  // With extra fields, the known ones also move: readers must take positions from the meta.
  const nodeFields = options.extraFields
    ? ['future_field', 'type', 'name', 'id', 'self_size', 'edge_count', 'detachedness']
    : ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'];
  const edgeFields = options.extraFields ? ['to_node', 'weight', 'type', 'name_or_index'] : ['type', 'name_or_index', 'to_node'];
  const nodeArray: number[] = [];
  nodes.forEach((node, i) => {
    const count = edges.filter((e) => e.from === i).length;
    const row = [NODE_TYPES.indexOf(node.type), stringIndex(node.name), node.id ?? 2 * i + 1, node.size, count, 0];
    nodeArray.push(...(options.extraFields ? [42, ...row] : row));
  });
  const edgeArray: number[] = [];
  nodes.forEach((_, i) => {
    for (const edge of edges.filter((e) => e.from === i)) {
      const name = typeof edge.name === 'number' ? edge.name : stringIndex(edge.name);
      const to = edge.to * nodeFields.length;
      edgeArray.push(...(options.extraFields ? [to, 7, EDGE_TYPES.indexOf(edge.type), name] : [EDGE_TYPES.indexOf(edge.type), name, to]));
    }
  });
  const types = (fields: string[], kinds: string[], typeOf: (field: string) => string): unknown[] =>
    fields.map((field) => (field === 'type' ? kinds : typeOf(field)));
  const header = {
    meta: {
      node_fields: nodeFields,
      node_types: types(nodeFields, NODE_TYPES, (f) => (f === 'name' ? 'string' : 'number')),
      edge_fields: edgeFields,
      edge_types: types(edgeFields, EDGE_TYPES, (f) => (f === 'name_or_index' ? 'string_or_number' : f === 'to_node' ? 'node' : 'number')),
      ...(options.noLocations ? {} : { location_fields: ['object_index', 'script_id', 'line', 'column'] }),
    },
    node_count: nodes.length,
    edge_count: edgeArray.length / edgeFields.length,
    ...options.header,
  };
  const sections = [
    `"snapshot":${JSON.stringify(header)}`,
    `"nodes":[${nodeArray.join(',')}]`,
    `"edges":[${edgeArray.join(',')}]`,
    ...(options.extraSections ? [options.extraSections] : []),
    ...(options.noLocations ? [] : ['"locations":[]']),
    `"strings":${JSON.stringify(strings)}`,
  ];
  return `{${sections.join(',\n')}}`;
}

export function writeSyntheticSnapshot(file: string, nodes: SyntheticNode[], edges: SyntheticEdge[]): string {
  fs.writeFileSync(file, snapshotText(nodes, edges));
  return file;
}
