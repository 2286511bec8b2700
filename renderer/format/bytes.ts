const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary units with one decimal, as `free -h` and `df -h` show them: "3.2 GiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
