/**
 * Small runtime checkers for messages that cross a trust boundary (webview <-> extension).
 * Each checker takes an unknown value and the path it came from, and either returns the value
 * typed or throws a ProtocolError naming the path and what was expected. Composite checkers are
 * built from these, one per message kind, so a malformed or hostile message is rejected before
 * any handler sees it.
 */

/** A message that does not match the protocol. `path` points at the offending field. */
export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`invalid message at ${path}: expected ${expected}`);
    this.name = 'ProtocolError';
  }
}

export type Check<T> = (value: unknown, path: string) => T;

/** Upper bounds that keep a hostile sender from making the receiver allocate or loop without end. */
export const LIMITS = {
  stringLength: 1 << 20,
  arrayLength: 5_000_000,
  pageLimit: 10_000,
} as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str: Check<string> = (value, path) => {
  if (typeof value !== 'string' || value.length > LIMITS.stringLength) throw new ProtocolError(path, 'a string');
  return value;
};

/** A finite number (no NaN, no Infinity: JSON cannot carry them and charts choke on them). */
export const num: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ProtocolError(path, 'a finite number');
  return value;
};

/** A non-negative integer that is a safe array index or count. */
export const count: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ProtocolError(path, 'a non-negative integer');
  }
  return value;
};

export const bool: Check<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ProtocolError(path, 'a boolean');
  return value;
};

export function literal<const T extends string>(...allowed: T[]): Check<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(allowed as string[]).includes(value)) {
      throw new ProtocolError(path, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return value as T;
  };
}

/** `null` or the inner check. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

/** An optional field: absent (undefined) or the inner check. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, path) => (value === undefined ? undefined : check(value, path));
}

export function arrayOf<T>(check: Check<T>, maxLength: number = LIMITS.arrayLength): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length > maxLength) throw new ProtocolError(path, `an array (at most ${maxLength} items)`);
    return value.map((item, i) => check(item, `${path}[${i}]`));
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/**
 * A plain object with exactly the listed fields checked; unknown extra fields are dropped, so
 * nothing unvalidated reaches a handler (and a `__proto__` key cannot smuggle anything through).
 */
export function object<T>(shape: Shape<T>): Check<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, path) => {
    if (!isRecord(value)) throw new ProtocolError(path, 'an object');
    const out = {} as T;
    for (const key of keys) {
      const checked = shape[key](value[key], `${path}.${key}`);
      if (checked !== undefined) out[key] = checked;
    }
    return out;
  };
}

/** A record of string keys to checked values (e.g. handle counts by type). */
export function recordOf<T>(check: Check<T>, maxKeys = 10_000): Check<Record<string, T>> {
  return (value, path) => {
    if (!isRecord(value)) throw new ProtocolError(path, 'an object');
    const keys = Object.keys(value);
    if (keys.length > maxKeys) throw new ProtocolError(path, `an object with at most ${maxKeys} keys`);
    const out: Record<string, T> = {};
    // defineProperty, not assignment: a `__proto__` key stays a plain key instead of a prototype.
    for (const key of keys) Object.defineProperty(out, key, { value: check(value[key], `${path}.${key}`), enumerable: true, writable: true, configurable: true });
    return out;
  };
}

/**
 * A union discriminated by one string field (`type` for messages, `kind` for queries): picks the
 * checker for the value's tag and runs it. Unknown tags are rejected by name.
 */
export function discriminated<K extends string, T extends { [P in K]: string }>(
  key: K,
  checks: { [V in T[K]]: Check<Extract<T, { [P in K]: V }>> },
): Check<T> {
  const table = checks as unknown as Record<string, Check<T>>;
  return (value, path) => {
    const tag = isRecord(value) ? value[key] : undefined;
    if (typeof tag !== 'string') throw new ProtocolError(`${path}.${key}`, 'a string tag');
    if (!Object.prototype.hasOwnProperty.call(table, tag)) {
      throw new ProtocolError(`${path}.${key}`, `a known ${key} (got ${JSON.stringify(tag.slice(0, 40))})`);
    }
    return table[tag](value, path);
  };
}
