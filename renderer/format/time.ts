/** Wall-clock time of day in the user's locale, to the second. */
export const formatClock = (epochMs: number) =>
  new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Full local date and time, for tooltips. */
export const formatDateTime = (epochMs: number) => new Date(epochMs).toLocaleString();

/** Machine-readable form for `<time dateTime>`. */
export const isoTime = (epochMs: number) => new Date(epochMs).toISOString();

/** Hours and minutes only, for chart axes. */
export const formatHourMinute = (epochMs: number) =>
  new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** How long ago, coarsely: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(epochMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
