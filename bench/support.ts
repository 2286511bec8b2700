import { cpus, totalmem } from 'node:os';

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

const summarise = (samples: number[]): LatencySummary => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)!, count: sorted.length };
};

/**
 * Latencies (ms) of sequential calls to each op, taken in alternating rounds so that warm-up, GC and
 * background noise fall on the baseline and the subject alike.
 */
export async function measureInterleaved<K extends string>(
  ops: Record<K, () => Promise<unknown>>,
  rounds: number,
  perRound: number,
): Promise<Record<K, LatencySummary>> {
  const samples = Object.fromEntries(Object.keys(ops).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    for (const key of Object.keys(ops) as K[]) {
      for (let i = 0; i < perRound; i += 1) {
        const started = performance.now();
        await ops[key]();
        samples[key].push(performance.now() - started);
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarise(v as number[])])) as Record<
    K,
    LatencySummary
  >;
}

/** Calls per second with `concurrency` callers for `durationMs`. */
export async function measureThroughput(op: () => Promise<unknown>, concurrency: number, durationMs: number) {
  const deadline = performance.now() + durationMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op();
        done += 1;
      }
    }),
  );
  return done / (durationMs / 1000);
}

export const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;

export const fmt = (value: number, digits = 2) => value.toFixed(digits);
