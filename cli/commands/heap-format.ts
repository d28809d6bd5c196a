/** Small text helpers shared by the `analyze` and `diff` commands' output. */
import { InputError } from '../../engine/errors';
import type { LoadProgress } from '../../engine/snapshot';

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GB`;
  if (abs >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  if (abs >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KB`;
  return `${bytes} B`;
}

export function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= width ? oneLine : oneLine.slice(0, width - 1) + '…';
}

/** Progress lines on stderr (only when asked or when stderr is a terminal). */
export function progressPrinter(file: string, enabled: boolean): ((progress: LoadProgress) => void) | undefined {
  if (!enabled) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    const finished = progress.done === progress.total;
    if (!finished && now - last < 250) return;
    last = now;
    const percent = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 100;
    const what = progress.phase === 'parse' ? 'reading' : `analysing (${progress.step ?? ''})`;
    process.stderr.write(`${file}: ${what} ${percent}%\n`);
  };
}

export function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InputError(`--${flag} needs a positive whole number, not ${JSON.stringify(value)}`);
  }
  return number;
}
