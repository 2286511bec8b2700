import type { CheckDefinition, CheckType, CommandDefinition, ResultStatus } from '../../../shared/services.js';
import { errorMessage } from '../../core/errors.js';
import type { FileScope } from '../../core/read-bounded-file.js';

export interface CheckContext {
  /** Aborted when the run's timeout passes or the agent stops. */
  signal: AbortSignal;
  /** The node's own allowed commands (config `commands:`), by name. */
  commands: Readonly<Record<string, CommandDefinition>>;
  /** Where files this check names (`caFile`) may be read from: anywhere for the config file's own checks. */
  files: FileScope;
  /** Injected clock, epoch ms (TLS expiry maths). */
  now(): number;
}

/** What one run found; `output` is one line of at most 4096 characters (CheckResult's limit). */
export interface CheckOutcome {
  status: ResultStatus;
  output: string;
}

/** The definition of one check type, e.g. `CheckOf<'http'>`. */
export type CheckOf<T extends CheckType> = Extract<CheckDefinition, { type: T }>;

export const MAX_OUTPUT_CHARS = 4096;

/** An outcome whose output fits CheckResult: whitespace runs (newlines too) become one space, long text is cut. */
export function outcome(status: ResultStatus, text: string): CheckOutcome {
  const line = text.replace(/\s+/g, ' ').trim();
  return { status, output: line.length > MAX_OUTPUT_CHARS ? `${line.slice(0, MAX_OUTPUT_CHARS - 1)}…` : line };
}

/**
 * The outcome of a run stopped by its signal: a timeout is the service's fault (critical), while a run cancelled
 * because the agent stops has no verdict (unknown).
 */
export function abortedOutcome(check: CheckDefinition, signal: AbortSignal): CheckOutcome {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return timedOut
    ? outcome('critical', `timed out after ${check.timeoutMs} ms`)
    : outcome('unknown', `cancelled: ${errorMessage(reason)}`);
}

/** Whole milliseconds since `startedAt` (a performance.now() reading), for outputs such as "in 12 ms". */
export const elapsedMs = (startedAt: number): number => Math.round(performance.now() - startedAt);
