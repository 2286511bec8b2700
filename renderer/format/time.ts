/** Wall-clock time of day in the user's locale, to the second. */
export const formatClock = (epochMs: number) =>
  new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Full local date and time, for tooltips. */
export const formatDateTime = (epochMs: number) => new Date(epochMs).toLocaleString();

/** Machine-readable form for `<time dateTime>`. */
export const isoTime = (epochMs: number) => new Date(epochMs).toISOString();
