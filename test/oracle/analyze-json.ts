// The shape of `heapscope analyze FILE --json` that issue 2 fixes (other keys may be added), as the
// oracle produces it and the equality test compares it.

export interface RetainedRow {
  id: number;
  name: string;
  type: string;
  self_size: number;
  retained_size: number;
}

export interface AggregateRow {
  name: string;
  count: number;
  shallow_size: number;
  retained_size: number;
}

export interface AnalyzeJson {
  node_count: number;
  edge_count: number;
  total_shallow_size: number;
  /** 50 rows, retained_size descending, ties by id ascending; every node counts, synthetic roots too. */
  top_retained: RetainedRow[];
  /** 30 rows, in the order of DevTools' Summary view sorted by retained size (see devtools-oracle.ts). */
  top_aggregates: AggregateRow[];
}

export const TOP_RETAINED_ROWS = 50;
export const TOP_AGGREGATE_ROWS = 30;

/** Only the keys the issue specifies, in a fixed order: what the equality test compares. */
export function pickIssueFields(analysis: AnalyzeJson): AnalyzeJson {
  return {
    node_count: analysis.node_count,
    edge_count: analysis.edge_count,
    total_shallow_size: analysis.total_shallow_size,
    top_retained: analysis.top_retained.map(({ id, name, type, self_size, retained_size }) =>
      ({ id, name, type, self_size, retained_size })),
    top_aggregates: analysis.top_aggregates.map(({ name, count, shallow_size, retained_size }) =>
      ({ name, count, shallow_size, retained_size })),
  };
}
