import { InputError } from '../errors';

const UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses a byte size given as a number of bytes or a string such as '2 MB', '512kb', '1.5 GiB' (binary units). */
export function parseByteSize(value: number | string, what: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
    const unit = match ? UNITS[(match[2] || 'b').toLowerCase()] : undefined;
    if (match && unit !== undefined) return Math.round(Number(match[1]) * unit);
  }
  throw new InputError(`${what}: '${value}' is not a byte size`, "Give a number of bytes or a string such as '2 MB' or '512 KB'.");
}

/** '2.1 MB', '840 KB', '312 B' — binary units, as heap tools show them. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  if (abs >= 1024 ** 3) return `${sign}${(abs / 1024 ** 3).toFixed(2)} GB`;
  if (abs >= 1024 ** 2) return `${sign}${(abs / 1024 ** 2).toFixed(1)} MB`;
  if (abs >= 1024) return `${sign}${(abs / 1024).toFixed(1)} KB`;
  return `${sign}${Math.round(abs)} B`;
}
