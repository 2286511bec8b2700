import { createHash } from 'node:crypto';

/** The key layout under one fleet's prefix, shared by every key-value adapter (local, etcd, consul). */
export function fleetKeys(cluster: string) {
  const root = `fleetdeck/${cluster}/`;
  return {
    root,
    members: `${root}members/`,
    election: `${root}election/`,
    /** Shared values (log patterns, alert rules, ...) live here; callers' keys are relative to it. */
    kv: `${root}kv/`,
    member: (id: string) => `${root}members/${id}`,
  };
}
export type FleetKeys = ReturnType<typeof fleetKeys>;

/** What members write about themselves under the shared values (keys relative to `kv`). */
export const memberKeys = {
  /**
   * Written by a member before it leaves gracefully, so its going is not taken for a crash. Under the fleet rules'
   * prefix, where they first wrote it: a fleet upgraded member by member keeps reading the others' markers.
   */
  left: (nodeId: string) => `fleet-rules/left/${nodeId}`,
};

/** Where fleet tasks live under the shared values (keys relative to `kv`): small records, compacted once done. */
export const fleetTaskKeys = {
  records: 'tasks/fleet/',
  record: (id: string) => `tasks/fleet/${id}`,
  /** An idempotency key is hashed: any text of up to 200 characters becomes one safe, fixed-length key. */
  idempotency: (key: string) => `tasks/idem/${createHash('sha256').update(key).digest('hex')}`,
  cron: 'tasks/cron/',
  cronState: (id: string) => `tasks/cron/${id}`,
};

/** Where fleet alerts live under the shared values: each node's alert records, and the leader's progress on each. */
export const fleetAlertKeys = {
  records: 'alerts/records/',
  /** `<node>/<local id>`: the alert's fleet-wide id. */
  record: (alertId: string) => `alerts/records/${alertId}`,
  progress: 'alerts/progress/',
  progressOf: (alertId: string) => `alerts/progress/${alertId}`,
};
