/**
 * Numeric node and edge type ids of one snapshot, looked up by name from `snapshot.meta`
 * (their order differs between V8 versions). -1 when a snapshot does not have the type.
 */
export interface NodeKinds {
  hidden: number; array: number; string: number; object: number; code: number; closure: number;
  regexp: number; number: number; native: number; synthetic: number; consString: number; slicedString: number;
}

export interface EdgeKinds {
  context: number; element: number; property: number; internal: number; hidden: number; shortcut: number; weak: number;
}

export function nodeKinds(names: string[]): NodeKinds {
  const at = (name: string): number => names.indexOf(name);
  return {
    hidden: at('hidden'), array: at('array'), string: at('string'), object: at('object'), code: at('code'),
    closure: at('closure'), regexp: at('regexp'), number: at('number'), native: at('native'),
    synthetic: at('synthetic'), consString: at('concatenated string'), slicedString: at('sliced string'),
  };
}

export function edgeKinds(names: string[]): EdgeKinds {
  const at = (name: string): number => names.indexOf(name);
  return {
    context: at('context'), element: at('element'), property: at('property'), internal: at('internal'),
    hidden: at('hidden'), shortcut: at('shortcut'), weak: at('weak'),
  };
}

/** Element and hidden edges carry an index; all other edge types name a string. */
export function edgeHasStringName(kinds: EdgeKinds, type: number): boolean {
  return type !== kinds.element && type !== kinds.hidden;
}
