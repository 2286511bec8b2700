import type { Heartbeat, ResultStatus, ServiceState, UptimeFigures } from '../../../shared/services.js';
import { statusLabels } from '../../components/status-labels.js';
import { formatMs } from '../../format/numbers.js';
import { formatClock } from '../../format/time.js';
import { RECENT_RESULTS } from '../../stores/services-store.js';

/** Bars in a service row's heartbeat strip: as many results as the list brings for each check. */
export const STRIP_LENGTH = RECENT_RESULTS;

/** One result in a service's strip, naming its check (a service may have several). */
export interface Beat extends Heartbeat {
  check: string;
}

/** The service's last `length` results over all its checks, oldest first (newest right). */
export function serviceBeats(service: ServiceState, length = STRIP_LENGTH): Beat[] {
  return service.checks
    .flatMap((check) => (check.recent ?? []).map((beat) => ({ ...beat, check: check.name })))
    .sort((a, b) => a.at - b.at || a.check.localeCompare(b.check))
    .slice(-length);
}

/** A strip of `length` slots, right-aligned: empty slots (null) on the left until there are enough results. */
export function stripSlots(beats: readonly Beat[], length = STRIP_LENGTH): Array<Beat | null> {
  const shown = beats.slice(-length);
  return [...Array.from({ length: length - shown.length }, () => null), ...shown];
}

/** A bar's tooltip: time, status, latency, and the check when the service has more than one. */
export function beatTitle(beat: Beat, withCheck: boolean): string {
  const parts = [formatClock(beat.at), statusLabels[beat.status], formatMs(beat.latencyMs)];
  return (withCheck ? [...parts, beat.check] : parts).join(' · ');
}

/** The strip in words, for its accessible name: "Last 30 results: 28 passing, 2 critical". */
export function stripSummary(beats: readonly Beat[]): string {
  if (beats.length === 0) return 'No results yet';
  const counts = new Map<ResultStatus, number>();
  for (const beat of beats) counts.set(beat.status, (counts.get(beat.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${statusLabels[status].toLowerCase()}`);
  return `Last ${beats.length === 1 ? 'result' : `${beats.length} results`}: ${parts.join(', ')}`;
}

/** Average latency of the strip's results; null without any. */
export function averageLatency(beats: readonly Beat[]): number | null {
  if (beats.length === 0) return null;
  return beats.reduce((sum, beat) => sum + beat.latencyMs, 0) / beats.length;
}

/** The uptime a row shows: its least available check's (the one an operator must look at), or null without checks. */
export function worstUptime(service: ServiceState): UptimeFigures | null {
  const figures = service.checks.map((check) => check.uptime);
  if (figures.length === 0) return null;
  return figures.reduce((worst, uptime) => ((uptime.day ?? 2) < (worst.day ?? 2) ? uptime : worst));
}
