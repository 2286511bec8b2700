import type { CheckLatencySignal, CheckStatusSignal, ErrorRateSignal } from '../../../shared/alert-signals.js';
import { statusSeverity } from '../../../shared/services.js';
import type { CheckReading, CheckRunStats } from '../evaluate-condition.js';
import { nounFor, type SignalReading } from './signal-reading.js';

/** Checks named in a detail; the rest are counted ("and 3 more") so a summary stays one short line. */
const MAX_NAMED_CHECKS = 5;

const inScope = (serviceIds: readonly string[], serviceId: string) =>
  serviceIds.length === 0 || serviceIds.includes(serviceId);

/**
 * How many checks of the named services (every service when none are named) are at least as bad as the rule's
 * status, ordered as `statusSeverity`: flapping is worse than warning, unknown is not a failure.
 */
export function readCheckStatus(signal: CheckStatusSignal, checks: readonly CheckReading[]): SignalReading {
  const threshold = statusSeverity[signal.status];
  const failing = checks
    .filter((c) => inScope(signal.serviceIds, c.serviceId) && statusSeverity[c.status] >= threshold)
    // Worst first; equally bad checks keep the order they were given in.
    .sort((a, b) => statusSeverity[b.status] - statusSeverity[a.status]);
  const wanted = signal.status === 'critical' ? 'critical' : 'warning or worse';
  const where = signal.serviceIds.length === 0 ? '' : ` (services: ${signal.serviceIds.join(', ')})`;
  const noun = nounFor(failing.length, 'check', 'checks');
  const reading: SignalReading = { value: failing.length, subject: `${noun} ${wanted}${where}` };
  if (failing.length === 0) return reading;
  const names = failing
    .slice(0, MAX_NAMED_CHECKS)
    .map((c) => `${c.serviceId}/${c.check}${signal.status === 'critical' ? '' : ` (${c.status})`}`);
  const more = failing.length > MAX_NAMED_CHECKS ? `, and ${failing.length - MAX_NAMED_CHECKS} more` : '';
  return { ...reading, detail: `${names.join(', ')}${more}` };
}

/** The mean latency over the window of the slowest check in scope; null when none ran in the window. */
export function readCheckLatency(signal: CheckLatencySignal, runs: readonly CheckRunStats[]): SignalReading {
  const subject = `latency over ${signal.windowSeconds} s`;
  let slowest: CheckRunStats | null = null;
  for (const stats of runs) {
    if (!inScope(signal.serviceIds, stats.serviceId) || stats.runs === 0) continue;
    if (signal.check !== undefined && stats.check !== signal.check) continue;
    if (!slowest || stats.meanLatencyMs > slowest.meanLatencyMs) slowest = stats;
  }
  if (!slowest) return { value: null, subject: `${subject}: no check ran in the window` };
  return { value: slowest.meanLatencyMs, subject, detail: `${slowest.serviceId}/${slowest.check}` };
}

/** The share of failed (critical) runs over the window of the worst service in scope; null when none ran. */
export function readErrorRate(signal: ErrorRateSignal, runs: readonly CheckRunStats[]): SignalReading {
  const subject = `error rate over ${signal.windowSeconds} s`;
  const byService = new Map<string, { runs: number; failed: number }>();
  for (const stats of runs) {
    if (!inScope(signal.serviceIds, stats.serviceId)) continue;
    const sum = byService.get(stats.serviceId) ?? { runs: 0, failed: 0 };
    sum.runs += stats.runs;
    sum.failed += stats.failed;
    byService.set(stats.serviceId, sum);
  }
  let worst: { serviceId: string; percent: number } | null = null;
  for (const [serviceId, sum] of byService) {
    if (sum.runs === 0) continue;
    const percent = (sum.failed / sum.runs) * 100;
    if (!worst || percent > worst.percent) worst = { serviceId, percent };
  }
  if (!worst) return { value: null, subject: `${subject}: no check ran in the window` };
  return { value: worst.percent, subject, detail: worst.serviceId };
}
