/**
 * Picks Fleetdeck's own settings flags out of Electron's process.argv. The raw argv also holds the
 * executable, the app path under `electron .`, and Chromium/Electron switches (`--inspect`,
 * `--enable-logging`, `--no-sandbox`, …) that the strict config parser would reject, so only flags
 * named in the settings table (and their values) are passed on; everything else is reported as ignored.
 */
export interface UserFlags {
  flags: string[];
  ignored: string[];
}

export function userFlags(argv: readonly string[], known: readonly string[]): UserFlags {
  const names = new Set(known);
  const flags: string[] = [];
  const ignored: string[] = [];
  // argv[0] is always the executable; anything else that is not one of ours (the app path, switches) is skipped.
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([^=]+)(=.*)?$/s.exec(arg);
    if (!match || !names.has(match[1]!)) {
      ignored.push(arg);
      continue;
    }
    flags.push(arg);
    const next = argv[i + 1];
    if (match[2] === undefined && next !== undefined && !next.startsWith('--')) {
      flags.push(next);
      i++;
    }
  }
  return { flags, ignored };
}
