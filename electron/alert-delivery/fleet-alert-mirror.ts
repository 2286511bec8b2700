import { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import { BackendMirror } from '../cluster/backend-mirror.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { fleetAlertKeys } from '../cluster/fleet-keys.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** Every node's alert records, mirrored from the coordination backend; a record stored under another id is skipped. */
export const fleetAlertMirror = (deps: { backend: CoordinationBackend; clock: Clock; logger: Logger }) =>
  new BackendMirror({
    ...deps,
    prefix: fleetAlertKeys.records,
    schema: FleetAlertRecord,
    belongs: (id, record) => record.alert.id === id,
    what: 'fleet alert',
  });
