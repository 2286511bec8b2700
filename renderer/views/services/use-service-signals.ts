import { useEffect, useState } from 'react';
import type { RpcResult } from '../../../shared/rpc.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';

export type ServiceSignals = RpcResult<'services.signals'>;

const DAY_MS = 86_400_000;

export interface SignalsState {
  signals: ServiceSignals | null;
  error: string | null;
}

/**
 * A service's per-minute signals over the last `rangeMs`, asked of the agent again every 15 s (a scrape error shows
 * soon) and, for the 7-day range, at most once a minute. `now` is the view's ticking clock.
 */
export function useServiceSignals(serviceId: string, rangeMs: number, now: number): SignalsState {
  const client = useClient();
  const [state, setState] = useState<SignalsState & { key: string }>({ key: '', signals: null, error: null });
  const key = `${serviceId}/${rangeMs}`;
  const refresh = Math.floor(now / (rangeMs > DAY_MS ? 60_000 : 15_000));
  useEffect(() => {
    let current = true;
    client.call('services.signals', { serviceId, rangeMs }).then(
      (signals) => current && setState({ key, signals, error: null }),
      (error: unknown) =>
        current && setState((previous) => ({ key, signals: previous.signals, error: messageOf(error) })),
    );
    return () => {
      current = false;
    };
  }, [client, serviceId, rangeMs, key, refresh]);
  // Another service's or range's answer is not shown while this one's is on its way.
  return state.key === key ? state : { signals: null, error: null };
}
