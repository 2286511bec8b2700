import type { Alert } from '../../shared/alerts.js';
import { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import { decodeValue } from '../cluster/codecs.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetAlertKeys } from '../cluster/fleet-keys.js';
import { listUntilAnswered } from '../cluster/list-until-answered.js';
import { repeat, type Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { SerialRunner } from '../core/serial-runner.js';
import { fleetAlertId, nextRecord } from './alert-record.js';

export interface AlertPublisherDeps {
  backend: CoordinationBackend;
  clock: Clock;
  logger: Logger;
  nodeId: string;
  /** This node's open alerts (pending and firing), as stored. */
  openAlerts(): Alert[];
  /** One alert of this node by its local id, as stored; null when pruned. */
  findAlert(id: number): Alert | null;
  /** The labels silences and channel routes match for the alert on this node. */
  labelsOf(alert: Alert): Record<string, string>;
}

/** Writes that failed are tried again this often (the backend down, say). */
const RETRY_MS = 2000;

/**
 * Publishes this node's alerts to the coordination backend, one record per alert, so the fleet's record of what
 * fired survives this node's death and the leader can tell people exactly once. Written in the order they
 * happened; a write that fails is retried until it lands, and a restart carries on from the records in the
 * backend (listed once at start), so no event is lost or numbered twice.
 */
export class AlertPublisher {
  /** What this node last published (or is about to) per local alert id; resolved ones leave once written. */
  private readonly records = new Map<number, FleetAlertRecord>();
  private readonly dirty = new Set<number>();
  private readonly runner: SerialRunner;
  private loaded = false;
  private stops: Array<() => void> = [];

  constructor(private readonly deps: AlertPublisherDeps) {
    this.runner = new SerialRunner(
      () => this.pass(),
      (error) => deps.logger.error({ err: error }, 'publishing alerts failed'),
    );
  }

  /** An alert of this node changed (stored already). */
  changed(alert: Alert): void {
    this.records.set(alert.id, this.next(alert, this.records.get(alert.id)));
    this.dirty.add(alert.id);
    if (this.loaded) this.runner.trigger();
  }

  /** Lists this node's records, brings them up to what is stored here, then publishes as alerts change. */
  start(): void {
    const { backend, clock, logger, nodeId } = this.deps;
    const prefix = fleetAlertKeys.record(`${nodeId}/`);
    const listing = listUntilAnswered({ backend, clock, logger }, prefix);
    this.stops.push(
      listing.cancel,
      repeat(clock, RETRY_MS, () => this.runner.trigger()),
    );
    void listing.entries.then((entries) => {
      const published = new Map<number, FleetAlertRecord>();
      for (const entry of entries) {
        const record = decodeValue(FleetAlertRecord, entry.key, entry.value, logger);
        if (record && record.alert.node === nodeId) published.set(record.alert.localId, record);
      }
      this.catchUp(published);
      this.loaded = true;
      this.runner.trigger();
    });
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.runner.stop();
  }

  /** Settles once no write is running or due (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /**
   * Changes heard before the list were numbered without the published events: renumber them on top of the
   * published records. Records still open in the backend that are not open here are brought to their stored state;
   * one that never fired and is gone here (a pending alert that ended, which its node deletes) is ended.
   */
  private catchUp(published: Map<number, FleetAlertRecord>): void {
    const { nodeId, clock } = this.deps;
    const current = new Map<number, Alert>();
    for (const alert of this.deps.openAlerts()) current.set(alert.id, alert);
    for (const [id, record] of published) {
      if (record.alert.state !== 'resolved' && !current.has(id)) {
        const stored = this.deps.findAlert(id);
        if (stored) current.set(id, stored);
        else if (record.alert.firingAt === null) {
          this.records.set(id, { ...record, alert: { ...record.alert, state: 'resolved', resolvedAt: clock.now() } });
          this.dirty.add(id);
        } else this.deps.logger.warn({ alertId: fleetAlertId(nodeId, id) }, 'a published alert is gone from this node');
      }
    }
    for (const [id, alert] of current) {
      const before = published.get(id);
      const next = this.next(alert, before);
      if (before && JSON.stringify(before) === JSON.stringify(next)) {
        this.records.delete(id);
        this.dirty.delete(id);
        continue;
      }
      this.records.set(id, next);
      this.dirty.add(id);
    }
  }

  private next(alert: Alert, previous: FleetAlertRecord | undefined): FleetAlertRecord {
    return nextRecord(this.deps.nodeId, alert, previous, this.deps.labelsOf(alert));
  }

  private async pass(): Promise<void> {
    for (const id of [...this.dirty]) {
      const record = this.records.get(id);
      if (!record) continue;
      try {
        await this.deps.backend.put(fleetAlertKeys.record(record.alert.id), JSON.stringify(record));
      } catch (error) {
        this.deps.logger.warn({ alertId: record.alert.id, err: errorMessage(error) }, 'publishing an alert failed');
        return;
      }
      // Changed again while the write was under way: the next pass writes the newer record.
      if (this.records.get(id) !== record) continue;
      this.dirty.delete(id);
      if (record.alert.state === 'resolved') this.records.delete(id);
    }
  }
}
