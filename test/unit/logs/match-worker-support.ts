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
