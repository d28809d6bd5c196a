/** Human-readable sizes, rates and durations for evidence strings and CLI lines. */

const MB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (abs >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${Math.round(bytes)} B`;
}

/** "+120 MB/h", "-3.5 MB/h". */
export function formatMbPerHour(mbPerHour: number): string {
  const sign = mbPerHour >= 0 ? '+' : '-';
  const abs = Math.abs(mbPerHour);
  return `${sign}${abs >= 100 ? abs.toFixed(0) : abs.toFixed(1)} MB/h`;
}

/** "45 s", "12 min", "3 h 10 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
