import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterEach } from 'vitest';
import { systemClock } from '../../../electron/core/clock.js';
import { MatchWorker } from '../../../electron/logs/match-worker.js';
import { memoryLogger } from '../../support/test-logger.js';

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

/**
 * A factory of match workers on the built script, each closed after its test: call once at the top of a test file
 * (it registers the `afterEach`). The budget is real time: it is the worker's CPU that it bounds.
 */
export function matchWorkers(defaultBudgetMs?: number) {
  const open: MatchWorker[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((worker) => worker.close()));
  });
  return async (budgetMs = defaultBudgetMs) => {
    const { logger, lines } = memoryLogger();
    const worker = new MatchWorker({ clock: systemClock, logger, budgetMs, script: await builtMatchWorker() });
    open.push(worker);
    return { worker, logLines: lines };
  };
}
