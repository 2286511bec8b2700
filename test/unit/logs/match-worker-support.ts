import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

let built: Promise<URL> | null = null;

/** The log match worker thread built from source (once per test file), as `npm run build` puts it in dist/. */
export function builtMatchWorker(): Promise<URL> {
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'fleetdeck-match-worker-')), 'log-match-worker.mjs');
    await build({
      entryPoints: [new URL('../../../electron/logs/match-worker-thread.ts', import.meta.url).pathname],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    return pathToFileURL(outfile);
  })();
  return built;
}

/** Costs about 0.3 s per line of `abLines` (the DFA gives up on it), though its program is only 106 instructions. */
export const SLOW_REGEX = '[ab]*a[ab]{100}$';

/** Lines of 10 000 pseudo-random a/b (the same every run). */
export function abLines(count: number, length = 10_000): string[] {
  let seed = 42;
  const coin = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed < 2 ** 30;
  };
  return Array.from({ length: count }, () => Array.from({ length }, () => (coin() ? 'a' : 'b')).join(''));
}
