/** What the guard compares before and after the repeated work. */
export interface MemoryReading {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Active libuv handles and requests by type ('Timeout', 'TCPSocketWrap', …). */
  handles: Record<string, number>;
}

export function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  return { heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, handles };
}

/** Handle types whose count rose, with by how much. */
export function handleGrowth(before: MemoryReading, after: MemoryReading): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [type, count] of Object.entries(after.handles)) {
    const delta = count - (before.handles[type] ?? 0);
    if (delta > 0) grown[type] = delta;
  }
  return grown;
}
