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
