import type { AgentConfig } from '../../shared/config.js';

const HOUR_MS = 3_600_000;

/** How long raw samples and per-minute roll-ups are kept, from the config's hours and days. */
export const historyRetention = ({ rawRetentionHours, rollupRetentionDays }: AgentConfig['history']) => ({
  rawMs: rawRetentionHours * HOUR_MS,
  rollupMs: rollupRetentionDays * 24 * HOUR_MS,
});

/** Retention pruning runs this often. */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
