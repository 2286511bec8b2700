import { useEffect, useState } from 'react';
import type { HistoryPoint } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';

const DAY_MS = 86_400_000;
const REFRESH_MS = 60_000;

export interface LongHistory {
  points: HistoryPoint[] | null;
  error: string | null;
}

/**
 * A check's results over a range longer than the day the services store keeps (the 7-day chart): asked of the agent,
 * which rolls them up to at most 2,000 points, and asked again at most once a minute while shown. Null points for a
 * range of a day or less, which the store's history covers.
 */
export function useLongHistory(serviceId: string, check: string, rangeMs: number, now: number): LongHistory {
  const client = useClient();
  const [history, setHistory] = useState<LongHistory>({ points: null, error: null });
  const wanted = rangeMs > DAY_MS;
  const refresh = Math.floor(now / REFRESH_MS);
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    const toMs = Date.now();
    client.call('checks.history', { serviceId, check, fromMs: toMs - rangeMs, toMs }).then(
      ({ points }) => current && setHistory({ points, error: null }),
      (error: unknown) => current && setHistory((previous) => ({ points: previous.points, error: messageOf(error) })),
    );
    return () => {
      current = false;
    };
  }, [client, serviceId, check, rangeMs, wanted, refresh]);
  return wanted ? history : { points: null, error: null };
}
