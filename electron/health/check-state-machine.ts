import { z } from 'zod';
import { EpochMs } from '../../shared/ids.js';
import { CheckResult, CheckStatus, ResultStatus, type CheckDefinition } from '../../shared/services.js';

/**
 * The per-check memory behind a check's reported status: anti-flap counting (Consul's
 * failures_before_critical / successes_before_passing) and flap detection in the style of Nagios.
 * Everything here is pure: no clock, no I/O. The memory is JSON, persisted in check_states.state, so a restart
 * resumes with the same status, `since` and flap window.
 */

/** Raw results whose transitions are considered for flap detection (Nagios keeps 21 states, i.e. 20 transitions). */
export const FLAP_WINDOW = 20;
/** Transitions that must have been seen before a check can be declared flapping. */
export const FLAP_MIN_RESULTS = 10;
/** Enter flapping when at least this share of the window's results changed status from the one before. */
export const FLAP_START_THRESHOLD = 0.5;
/** Leave flapping when the share falls to this or below (hysteresis: between the two, nothing changes). */
export const FLAP_STOP_THRESHOLD = 0.25;
/** Format of the persisted memory; a stored memory of another version is discarded and the check starts afresh. */
export const CHECK_MEMORY_VERSION = 1;

const Count = z.number().int().nonnegative();

export const CheckMemory = z
  .object({
    version: z.literal(CHECK_MEMORY_VERSION),
    /** What the check reports: the settled status, or `flapping` while flapping. */
    status: CheckStatus,
    /** When `status` last changed. */
    since: EpochMs,
    /** The status after anti-flap counting, ignoring flap detection; reported again when flapping ends. */
    settled: ResultStatus,
    consecutivePasses: Count,
    consecutiveFailures: Count,
    flapping: z.boolean(),
    /** The last raw statuses, oldest first, at most FLAP_WINDOW + 1 of them (FLAP_WINDOW transitions). */
    recent: z.array(ResultStatus).max(FLAP_WINDOW + 1),
    lastResult: CheckResult.nullable(),
  })
  .strict();
export type CheckMemory = z.infer<typeof CheckMemory>;

/** The key of a check across services (slugs cannot contain "/"). */
export const checkKey = (serviceId: string, checkName: string): string => `${serviceId}/${checkName}`;

/** Parses a stored memory; anything malformed (bad JSON, wrong shape, older format) gives null, never a throw. */
export function parseCheckMemory(json: string): CheckMemory | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = CheckMemory.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Share (0..1) of the window's results whose raw status differs from the result before it; null while too few. */
export function flapShare(recent: readonly ResultStatus[]): number | null {
  const transitions = recent.length - 1;
  if (transitions < FLAP_MIN_RESULTS) return null;
  let changes = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i] !== recent[i - 1]) changes++;
  return changes / transitions;
}

type Thresholds = Pick<CheckDefinition, 'failuresBeforeCritical' | 'successesBeforePassing'>;

/**
 * Folds one run's result into a check's memory and returns the new memory (the input is not modified).
 *
 * - First result (no memory): the status is the result's, at once.
 * - From passing, the status leaves only after `failuresBeforeCritical` consecutive non-passing results, and
 *   becomes the latest result's status (warning, critical or unknown: unknown counts as a failure).
 * - Once not passing, it follows the latest non-passing result directly (critical → warning needs no counting),
 *   and returns to passing only after `successesBeforePassing` consecutive passes.
 * - Flapping (see FLAP_* constants) overrides the reported status until the change share falls back.
 * - `since` moves only when the reported status changes.
 */
export function applyResult(memory: CheckMemory | null, result: CheckResult, check: Thresholds): CheckMemory {
  const passed = result.status === 'passing';
  if (memory === null) {
    return {
      version: CHECK_MEMORY_VERSION,
      status: result.status,
      since: result.at,
      settled: result.status,
      consecutivePasses: passed ? 1 : 0,
      consecutiveFailures: passed ? 0 : 1,
      flapping: false,
      recent: [result.status],
      lastResult: result,
    };
  }

  const consecutivePasses = passed ? memory.consecutivePasses + 1 : 0;
  const consecutiveFailures = passed ? 0 : memory.consecutiveFailures + 1;
  let settled = memory.settled;
  if (passed) {
    if (settled !== 'passing' && consecutivePasses >= check.successesBeforePassing) settled = 'passing';
  } else if (settled !== 'passing' || consecutiveFailures >= check.failuresBeforeCritical) {
    settled = result.status;
  }

  const recent = [...memory.recent, result.status].slice(-(FLAP_WINDOW + 1));
  const share = flapShare(recent);
  let flapping = memory.flapping;
  if (!flapping && share !== null && share >= FLAP_START_THRESHOLD) flapping = true;
  else if (flapping && (share === null || share <= FLAP_STOP_THRESHOLD)) flapping = false;

  const status: CheckStatus = flapping ? 'flapping' : settled;
  return {
    version: CHECK_MEMORY_VERSION,
    status,
    since: status === memory.status ? memory.since : result.at,
    settled,
    consecutivePasses,
    consecutiveFailures,
    flapping,
    recent,
    lastResult: result,
  };
}
