import type { AlertNotice } from '../../shared/alert-notice.js';
import { FleetAlertProgress, type FleetAlertEvent, type FleetAlertRecord } from '../../shared/fleet-alerts.js';
import type { LeaderInfo } from '../../shared/node.js';
import type { BackendMirror } from '../cluster/backend-mirror.js';
import { decodeValue } from '../cluster/codecs.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetAlertKeys } from '../cluster/fleet-keys.js';
import { repeat, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { SerialRunner } from '../core/serial-runner.js';
import { notifiedAlert } from './alert-record.js';

/** The outbox the leader hands notices to (the notifications capability). */
export interface NoticeOutbox {
  /**
   * Routes a notice to the channels it matches (or to `onlyChannelId` alone, if it matches) and stores one delivery
   * per channel; the same key twice is one.
   */
  enqueueNotice(notice: AlertNotice, key: string, onlyChannelId?: string): unknown;
  /** Whether every delivery stored under `key` was sent or finally failed. */
  isSettled(key: string): boolean;
  onSettled(listener: (key: string) => void): () => void;
  /** The channels in force, for their repeat intervals. */
  channels(): ReadonlyArray<{ id: string; enabled: boolean; repeatIntervalSeconds?: number | undefined }>;
}

export interface NotificationLeaderDeps {
  backend: CoordinationBackend;
  records: BackendMirror<FleetAlertRecord>;
  outbox: NoticeOutbox;
  clock: Clock;
  logger: Logger;
  /** The fleet's name, told in every notice. */
  fleet: string;
  /** This node's fencing token while it leads, else null; checked before every pass. */
  leadership(): LeaderInfo | null;
  /** Whether a silence or maintenance window covers an alert with these labels now. */
  silenced(alert: FleetAlertRecord['alert'], now: number): boolean;
}

/** A pass also runs on this beat: a silence ending or starting changes nothing in the records. */
const PASS_INTERVAL_MS = 5000;

type Decision = 'send' | 'skip';

/** How a reminder shows its alert: as firing. */
const firingEvent: FleetAlertEvent = { seq: 1, transition: 'firing', at: 0 };

/**
 * The leader's part of alert notifications: every event of every published alert record is told once, through
 * the outbox, in order per alert. A firing that a silence covers is not told, and then neither is its resolved; a
 * firing that was told always gets its resolved told, silence or not. Progress per record is written to the backend
 * fenced by this leadership (`firingSent` as soon as a firing is handed over, `notifiedSeq` once its deliveries
 * settled), so a new leader resumes where this one stopped: events it hands over again carry the same delivery ids.
 * A resolved record whose events are all told is deleted with its progress.
 */
export class NotificationLeader {
  private progress: Map<string, FleetAlertProgress> | null = null;
  /** Decisions of this leadership, by `<alert id>/<seq>`, so a silence changing mid-way does not flip one. */
  private readonly decided = new Map<string, Decision>();
  private readonly runner: SerialRunner;

  constructor(private readonly deps: NotificationLeaderDeps) {
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => deps.logger.error({ err: error }, 'telling alert transitions failed'),
    );
  }

  start(): () => void {
    const { records, outbox, clock } = this.deps;
    const stops = [
      records.onChange(() => this.runner.trigger()),
      outbox.onSettled(() => this.runner.trigger()),
      repeat(clock, PASS_INTERVAL_MS, () => this.runner.trigger()),
    ];
    this.runner.trigger();
    return () => {
      for (const stop of stops) stop();
      this.runner.stop();
    };
  }

  /** Leadership changed: a new term reads the progress again and decides afresh. */
  changed(): void {
    this.progress = null;
    this.decided.clear();
    this.runner.trigger();
  }

  /** Settles once no pass is running or due (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  private async pass(): Promise<void> {
    const { records, backend, logger } = this.deps;
    const token = this.deps.leadership();
    if (!token || !records.ready) return;
    this.progress ??= await this.loadProgress();
    for (const [id, { value: record }] of records.entries()) {
      const before = this.progress.get(id) ?? { notifiedSeq: 0, firingSent: false };
      const after = this.advance(id, record, before);
      if (after.firingSent) this.remind(id, record);
      if (after.notifiedSeq !== before.notifiedSeq || after.firingSent !== before.firingSent) {
        await backend.put(fleetAlertKeys.progressOf(id), JSON.stringify(after), { fence: token });
        this.progress.set(id, after);
      }
      const lastSeq = record.events.at(-1)?.seq ?? 0;
      if (record.alert.state === 'resolved' && after.notifiedSeq >= lastSeq && this.deps.leadership()) {
        await backend.delete(fleetAlertKeys.record(id));
        await backend.delete(fleetAlertKeys.progressOf(id));
        records.drop(id);
        this.progress.delete(id);
        logger.debug({ alertId: id }, 'resolved alert told and cleared from the fleet');
      }
    }
    // Left by a leader that died between deleting a record and its progress.
    for (const id of [...this.progress.keys()]) {
      if (records.get(id) || !this.deps.leadership()) continue;
      await backend.delete(fleetAlertKeys.progressOf(id));
      this.progress.delete(id);
    }
  }

  /** Hands over the events not yet told and moves past those settled, in order. */
  private advance(id: string, record: FleetAlertRecord, progress: FleetAlertProgress): FleetAlertProgress {
    const next = { ...progress };
    let settledSoFar = true;
    for (const event of record.events) {
      if (event.seq <= progress.notifiedSeq) continue;
      const key = `${id}/${event.seq}`;
      let decision = this.decided.get(key);
      if (!decision) {
        decision = this.decide(record, event, next.firingSent);
        this.decided.set(key, decision);
      }
      if (decision === 'send') {
        this.deps.outbox.enqueueNotice(this.notice(record, event), key);
        if (event.transition === 'firing') next.firingSent = true;
      }
      settledSoFar &&= decision === 'skip' || this.deps.outbox.isSettled(key);
      if (settledSoFar) next.notifiedSeq = event.seq;
    }
    return next;
  }

  /**
   * A firing alert nobody acknowledged (and no silence covers) is told again on each channel with a repeat interval,
   * once per interval since it fired. The n-th reminder's key is derived from the wall clock and the firing time the
   * node stored — a name every leader gives the same reminder, so one told before a failover is not told twice.
   */
  private remind(id: string, record: FleetAlertRecord): void {
    const { alert } = record;
    const now = this.deps.clock.now();
    if (alert.state !== 'firing' || alert.firingAt === null || alert.acknowledged) return;
    if (this.deps.silenced(alert, now)) return;
    for (const channel of this.deps.outbox.channels()) {
      if (!channel.enabled || !channel.repeatIntervalSeconds) continue;
      const n = Math.floor((now - alert.firingAt) / (channel.repeatIntervalSeconds * 1000));
      if (n < 1) continue;
      const notice: AlertNotice = {
        transition: 'repeat',
        alert: notifiedAlert(record, firingEvent),
        fleet: this.deps.fleet,
      };
      this.deps.outbox.enqueueNotice(notice, `${id}/repeat/${channel.id}/${n}`, channel.id);
    }
  }

  private decide(record: FleetAlertRecord, event: FleetAlertEvent, firingSent: boolean): Decision {
    if (event.transition !== 'firing') return firingSent ? 'send' : 'skip';
    return this.deps.silenced(record.alert, this.deps.clock.now()) ? 'skip' : 'send';
  }

  private notice(record: FleetAlertRecord, event: FleetAlertEvent): AlertNotice {
    return { transition: event.transition, alert: notifiedAlert(record, event), fleet: this.deps.fleet };
  }

  private async loadProgress(): Promise<Map<string, FleetAlertProgress>> {
    const { backend, logger } = this.deps;
    const progress = new Map<string, FleetAlertProgress>();
    for (const entry of await backend.list(fleetAlertKeys.progress)) {
      const value = decodeValue(FleetAlertProgress, entry.key, entry.value, logger);
      if (value) progress.set(entry.key.slice(fleetAlertKeys.progress.length), value);
    }
    return progress;
  }
}
