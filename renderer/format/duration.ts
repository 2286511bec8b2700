const pad = (value: number) => String(value).padStart(2, '0');

/** "5 s", "12 m 05 s", "3 h 04 m 05 s", "2 d 03 h 04 m 05 s": seconds always show, so a live value visibly ticks. */
export function formatUptime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days} d ${pad(hours)} h ${pad(minutes)} m ${pad(rest)} s`;
  if (hours > 0) return `${hours} h ${pad(minutes)} m ${pad(rest)} s`;
  if (minutes > 0) return `${minutes} m ${pad(rest)} s`;
  return `${rest} s`;
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const durationText = /^(\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)+$/;
const durationPart = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;

/** What to write in a duration field: a reader meets these in hints and errors. */
export const durationExamples = '30s, 5m or 1h30m';

/**
 * A duration as a person types it, in milliseconds: numbers with units, one or more ("250ms", "30s", "1.5s", "5m",
 * "1h30m", "1m 30s", "2d"), or a plain number in `plainUnitMs` (milliseconds unless said). Null when the text is
 * none of these.
 */
export function parseDurationMs(text: string, plainUnitMs = 1): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * plainUnitMs);
  if (!durationText.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(durationPart)) total += Number(amount) * unitMs[unit!]!;
  return Math.round(total);
}

const largestFirst = Object.entries(unitMs).sort(([, a], [, b]) => b - a);

/** Milliseconds as they are typed back, exactly: "250ms", "30s", "1m30s", "1h30m", "1d2h", "0s". */
export function formatDurationMs(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  let text = '';
  for (const [unit, size] of largestFirst) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}
