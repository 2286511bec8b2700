import { z } from 'zod';
import { EpochMs } from './ids.js';

/** How a rule would have behaved on this node's stored samples (the last 24 h). */
export const RulePreview = z.object({
  from: EpochMs,
  to: EpochMs,
  /** Null when the signal has history here; otherwise why there is no series (e.g. it is not stored over time). */
  unavailable: z.string().nullable(),
  /** The unit of the values: percent, ms, bytesPerSecond, count or load. */
  unit: z.string(),
  /** The values the rule judges, oldest first; null where there was nothing to judge by. */
  series: z.array(z.object({ at: EpochMs, value: z.number().nullable() })),
  /** When the rule would have been pending or firing; `to` null: still so at the end. */
  intervals: z.array(z.object({ state: z.enum(['pending', 'firing']), from: EpochMs, to: EpochMs.nullable() })),
});
export type RulePreview = z.infer<typeof RulePreview>;

export const PREVIEW_HOURS = 24;
