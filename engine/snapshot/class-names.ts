import type { EdgeKinds, NodeKinds } from './kinds';
import type { RawGraph } from './reader';

/**
 * Class names the way DevTools' Summary view groups objects: JS objects and native objects by
 * constructor name, closures as "Function", internal objects as "(system)", code as
 * "(compiled code)", other types as "(type)". Plain objects ("Object") are grouped further by
 * their property sets (`{a, b, c}`) when a property set is common enough.
 *
 * DevTools keeps names from the file, names it derives, and property-set names apart even when
 * their text is equal (an object named "Function" is not in the closures' class), so each class
 * here is (namespace, name).
 */
export interface ClassTable {
  /** Class id of each node. */
  classOf: Uint32Array;
  /** Name of each class id. */
  names: string[];
}

// After this many characters an inferred property-set name stops growing (DevTools' limits).
const MAX_INTERFACE_NAME_LENGTH = 120;
const MIN_INTERFACE_NAME_LENGTH = 1;
const MIN_OBJECTS_PER_INTERFACE = 2;
const MIN_OBJECT_SHARE_PER_INTERFACE = 1000;

/** Property names with characters that would make `{a, b}` ambiguous are quoted. */
export function formatPropertyName(name: string): string {
  if (/[,'"{}]/.test(name)) {
    const json = JSON.stringify({ [name]: 0 });
    return json.substring(1, json.length - 3);
  }
  return name;
}

export function buildClassTable(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds): ClassTable {
  const { nodeCount, nodeType, nodeName, strings } = graph;
  const names: string[] = [];
  const byKey = new Map<string, number>();
  const classId = (namespace: string, name: string): number => {
    const key = namespace + '\u0000' + name;
    let id = byKey.get(key);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      byKey.set(key, id);
    }
    return id;
  };
  const rawClass = new Int32Array(strings.length).fill(-1);
  const typeClass = new Int32Array(graph.nodeTypeNames.length).fill(-1);
  const typeNamed: Record<number, string> = {
    [nodes.hidden]: '(system)', [nodes.code]: '(compiled code)', [nodes.closure]: 'Function', [nodes.regexp]: 'RegExp',
  };
  const classOf = new Uint32Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeType[n];
    if (type === nodes.object || type === nodes.native) {
      const nameIndex = nodeName[n];
      let id = rawClass[nameIndex];
      if (id < 0) {
        const name = strings[nameIndex];
        if (name.startsWith('<')) {
          const space = name.indexOf(' ');
          id = classId('derived', space === -1 ? name : name.substring(0, space) + '>');
        } else if (name.startsWith('Detached <')) {
          const space = name.indexOf(' ', 10);
          id = classId('derived', space === -1 ? name : name.substring(0, space) + '>');
        } else {
          id = classId('file', name);
        }
        rawClass[nameIndex] = id;
      }
      classOf[n] = id;
    } else {
      let id = typeClass[type];
      if (id < 0) {
        id = classId('derived', typeNamed[type] ?? `(${graph.nodeTypeNames[type]})`);
        typeClass[type] = id;
      }
      classOf[n] = id;
    }
  }
  applyPropertySetNames(graph, nodes, edges, classOf, (name) => classId('interface', name));
  return { classOf, names };
}

function isPlainObject(graph: RawGraph, nodes: NodeKinds, objectNames: Uint8Array, n: number): boolean {
  return graph.nodeType[n] === nodes.object && objectNames[graph.nodeName[n]] === 1;
}

interface Definition {
  name: string;
  properties: string[];
  count: number;
}

interface PropertyTreeNode {
  next: Map<string, PropertyTreeNode>;
  match: { name: string; propertyCount: number; index: number } | null;
  greatestNext: string | null;
}

/**
 * DevTools' "interface" inference: property sets (in first-seen order, without __proto__) shared
 * by enough plain objects become class names; each plain object then takes the largest set it
 * contains (earlier, more popular definitions win ties).
 */
function applyPropertySetNames(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, classOf: Uint32Array, interfaceClass: (name: string) => number): void {
  const { nodeCount, firstEdge, edgeType, edgeName, strings } = graph;
  const objectNames = new Uint8Array(strings.length);
  strings.forEach((s, i) => { if (s === 'Object') objectNames[i] = 1; });
  const formatted = new Map<number, string>();
  const format = (nameIndex: number): string => {
    let text = formatted.get(nameIndex);
    if (text === undefined) {
      text = formatPropertyName(strings[nameIndex]);
      formatted.set(nameIndex, text);
    }
    return text;
  };

  const candidates = new Map<string, Definition>();
  let plainCount = 0;
  for (let n = 0; n < nodeCount; n++) {
    if (!isPlainObject(graph, nodes, objectNames, n)) continue;
    plainCount++;
    let name = '{';
    const properties: string[] = [];
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      if (edgeType[e] !== edges.property) continue;
      const property = strings[edgeName[e]];
      if (property === '__proto__') continue;
      const text = format(edgeName[e]);
      if (name.length > MIN_INTERFACE_NAME_LENGTH && name.length + text.length > MAX_INTERFACE_NAME_LENGTH) break;
      if (name.length !== 1) name += ', ';
      name += text;
      properties.push(property);
    }
    if (properties.length === 0) continue;
    name += '}';
    const candidate = candidates.get(name);
    if (candidate) candidate.count++;
    else candidates.set(name, { name, properties, count: 1 });
  }
  const minCount = Math.max(MIN_OBJECTS_PER_INTERFACE, plainCount / MIN_OBJECT_SHARE_PER_INTERFACE);
  const definitions = Array.from(candidates.values()).sort((a, b) => b.count - a.count).filter((d) => d.count >= minCount);
  if (definitions.length === 0) return;

  const tree: PropertyTreeNode = { next: new Map(), match: null, greatestNext: null };
  definitions.forEach((definition, index) => {
    let node = tree;
    for (const property of [...definition.properties].sort()) {
      let next = node.next.get(property);
      if (!next) {
        next = { next: new Map(), match: null, greatestNext: null };
        node.next.set(property, next);
        if (node.greatestNext === null || node.greatestNext < property) node.greatestNext = property;
      }
      node = next;
    }
    node.match ??= { name: definition.name, propertyCount: definition.properties.length, index };
  });
  type Match = NonNullable<PropertyTreeNode['match']>;
  const better = (a: Match, b: Match | null): Match => {
    if (!b || a.propertyCount > b.propertyCount) return a;
    if (b.propertyCount > a.propertyCount) return b;
    return a.index <= b.index ? a : b;
  };
  const noMatch: Match = { name: 'Object', propertyCount: 0, index: Infinity };

  // Objects with the same property-name sequence get the same answer; remember it per sequence.
  const bySequence = new Map<string, number>();
  for (let n = 0; n < nodeCount; n++) {
    if (!isPlainObject(graph, nodes, objectNames, n)) continue;
    let sequence = '';
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      if (edgeType[e] === edges.property) sequence += edgeName[e] + ',';
    }
    const known = bySequence.get(sequence);
    if (known !== undefined) {
      if (known >= 0) classOf[n] = known;
      continue;
    }
    const properties: string[] = [];
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      if (edgeType[e] === edges.property) properties.push(strings[edgeName[e]]);
    }
    properties.sort();
    const states = new Set<PropertyTreeNode>([tree]);
    let match = better(noMatch, tree.match);
    for (const property of properties) {
      for (const state of Array.from(states)) {
        if (state.greatestNext === null || property >= state.greatestNext) states.delete(state);
        const next = state.next.get(property);
        if (next) {
          states.add(next);
          match = better(match, next.match);
        }
      }
    }
    const id = match === noMatch ? -1 : interfaceClass(match.name);
    bySequence.set(sequence, id);
    if (id >= 0) classOf[n] = id;
  }
}

/** DevTools' display name of a plain object: its first and last properties, `{a, b, …, y, z}`. */
export function plainObjectName(graph: RawGraph, edges: EdgeKinds, n: number): string {
  const { firstEdge, edgeType, edgeName, strings } = graph;
  let start = '{';
  let end = '}';
  let fromStart = firstEdge[n];
  let fromEnd = firstEdge[n + 1] - 1;
  let takeFromEnd = false;
  while (fromStart <= fromEnd) {
    const e = takeFromEnd ? fromEnd : fromStart;
    if (edgeType[e] !== edges.property || strings[edgeName[e]] === '__proto__') {
      if (takeFromEnd) fromEnd--;
      else fromStart++;
      continue;
    }
    const text = formatPropertyName(strings[edgeName[e]]);
    if (start.length > 1 && start.length + end.length + text.length > 100) break;
    if (takeFromEnd) {
      fromEnd--;
      if (end.length > 1) end = ', ' + end;
      end = text + end;
    } else {
      fromStart++;
      if (start.length > 1) start += ', ';
      start += text;
    }
    takeFromEnd = !takeFromEnd;
  }
  if (fromStart <= fromEnd) start += ', …';
  if (end.length > 1) start += ', ';
  return start + end;
}

/** DevTools' display name of a concatenated string: its parts joined, up to about 1024 characters. */
export function consStringName(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, n: number): string {
  const { firstEdge, edgeType, edgeName, edgeTo, strings, nodeType, nodeName } = graph;
  const stack = [n];
  let name = '';
  while (stack.length > 0 && name.length < 1024) {
    const current = stack.pop() as number;
    if (nodeType[current] !== nodes.consString) {
      name += strings[nodeName[current]];
      continue;
    }
    let first = 0;
    let second = 0;
    for (let e = firstEdge[current], end = firstEdge[current + 1]; e < end && (!first || !second); e++) {
      if (edgeType[e] !== edges.internal) continue;
      const edge = strings[edgeName[e]];
      if (edge === 'first') first = edgeTo[e];
      else if (edge === 'second') second = edgeTo[e];
    }
    stack.push(second, first);
  }
  return name;
}
