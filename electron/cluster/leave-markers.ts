import { z } from 'zod';
import { EpochMs } from '../../shared/ids.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { decodeValue } from './codecs.js';
import type { CoordinationBackend } from './coordination-backend.js';
import { memberKeys } from './fleet-keys.js';

/** Written by a member just before it revokes its lease: its run (`startedAt`) left on purpose. */
const LeaveMarker = z.object({ startedAt: EpochMs, at: EpochMs });

/** A leaving member waits at most this long for its marker: a backend that does not answer must not hold up a stop. */
const WRITE_DEADLINE_MS = 2000;

/**
 * How the leader tells a graceful leave from a crash: both end with the member's record gone, but a member that
 * stops on purpose first writes a marker (kept without a lease). Its next start deletes it. The fleet facts (members
 * down) and the fleet rules ("member down") both read them.
 */
export class LeaveMarkers {
  constructor(private readonly deps: { backend: CoordinationBackend; clock: Clock; logger: Logger }) {}

  /** This node's run is leaving on purpose; settles once written or after the deadline. */
  async write(nodeId: string, startedAt: number): Promise<void> {
    const { backend, clock, logger } = this.deps;
    const value = JSON.stringify({ startedAt, at: clock.now() });
    let cancel = () => {};
    const deadline = new Promise<void>((resolve) => {
      cancel = clock.setTimer(() => {
        logger.warn('the leave marker was not written in time: the fleet may take this stop for a crash');
        resolve();
      }, WRITE_DEADLINE_MS);
    });
    const written = backend.put(memberKeys.left(nodeId), value).then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error }, 'the leave marker could not be written'),
    );
    await Promise.race([written, deadline]);
    cancel();
  }

  /** This node is back: an old marker must not hide a later crash. */
  async clear(nodeId: string): Promise<void> {
    try {
      await this.deps.backend.delete(memberKeys.left(nodeId));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'the leave marker of the last run could not be deleted');
    }
  }

  /** Whether the run of `nodeId` that started at `startedAt` left on purpose. */
  async leftGracefully(nodeId: string, startedAt: number): Promise<boolean> {
    const entry = await this.deps.backend.get(memberKeys.left(nodeId));
    const marker = entry && decodeValue(LeaveMarker, entry.key, entry.value, this.deps.logger);
    return marker !== null && marker.startedAt === startedAt;
  }
}
