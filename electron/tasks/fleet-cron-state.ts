import { z } from 'zod';
import type { LeaderInfo } from '../../shared/node.js';
import { decodeValue } from '../cluster/codecs.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetTaskKeys } from '../cluster/fleet-keys.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CronState } from './cron-schedule.js';
import { listUntilAnswered } from '../cluster/list-until-answered.js';

const LastFired = z.number().int().nonnegative();

export interface FleetCronStateDeps {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  leadership(): LeaderInfo | null;
}

/**
 * The last fired tick of each recurring definition, kept for the fleet in the coordination backend (written fenced
 * by the leader), so a new leader catches up at most one missed tick. `CronState` is synchronous: reads come from a
 * watched mirror, writes go to the mirror at once and to the backend behind it.
 */
export class FleetCronState implements CronState {
  private readonly values = new Map<string, number>();

  constructor(private readonly deps: FleetCronStateDeps) {}

  /** Watches and lists the state; `ready` settles once listed (the scheduler must not start before). */
  start(): { ready: Promise<void>; stop: () => void } {
    const { backend, logger } = this.deps;
    const accept = (key: string, value: string) => {
      const at = decodeValue(LastFired, key, value, logger);
      const id = key.slice(fleetTaskKeys.cron.length);
      if (at !== null && at > (this.values.get(id) ?? -1)) this.values.set(id, at);
    };
    const relist = () =>
      backend.list(fleetTaskKeys.cron).then(
        (entries) => entries.forEach((entry) => accept(entry.key, entry.value)),
        (error: unknown) => logger.warn({ err: errorMessage(error) }, 'listing recurring task state again failed'),
      );
    const stopWatch = backend.watch(
      fleetTaskKeys.cron,
      (event) => {
        if (event.type === 'put') accept(event.entry.key, event.entry.value);
      },
      () => void relist(),
    );
    const listing = listUntilAnswered(this.deps, fleetTaskKeys.cron);
    const ready = listing.entries.then((entries) => {
      for (const entry of entries) accept(entry.key, entry.value);
    });
    return {
      ready,
      stop: () => {
        listing.cancel();
        stopWatch();
      },
    };
  }

  lastFired(id: string): number | null {
    return this.values.get(id) ?? null;
  }

  setLastFired(id: string, at: number): void {
    this.values.set(id, at);
    const fence = this.deps.leadership();
    if (!fence) return;
    this.deps.backend.put(fleetTaskKeys.cronState(id), JSON.stringify(at), { fence }).catch((error: unknown) => {
      this.deps.logger.info({ err: errorMessage(error), recurringId: id }, 'recurring state not written');
    });
  }
}
