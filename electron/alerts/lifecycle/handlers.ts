import { randomBytes } from 'node:crypto';
import type { MaintenanceWindow, Silence } from '../../../shared/alert-lifecycle.js';
import type { alertLifecycleMethods } from '../../../shared/rpc/alert-lifecycle.js';
import { callerName } from '../../../shared/rpc/caller.js';
import type { Handlers } from '../../api/handler-table.js';
import type { FleetConfigSync } from '../../cluster/fleet-config-sync.js';
import { fleetConfigHandlers } from '../../fleet-config/handlers.js';
import type { AlertLifecycle } from './alert-lifecycle.js';
import { checkSilence, checkWindow } from './silencing.js';

const newSilenceId = () => `silence-${randomBytes(6).toString('hex')}`;

export function alertLifecycleHandlers(
  lifecycle: AlertLifecycle,
  fleet: { silences: FleetConfigSync<Silence>; windows: FleetConfigSync<MaintenanceWindow> },
): Handlers<keyof typeof alertLifecycleMethods> {
  const silences = fleetConfigHandlers(fleet.silences, checkSilence);
  const windows = fleetConfigHandlers(fleet.windows, checkWindow);
  return {
    'alerts.acknowledge': ({ id, note, untilMs }, caller) =>
      lifecycle.acknowledge(id, callerName(caller), { note, untilMs }),
    'alerts.unacknowledge': ({ id }, caller) => lifecycle.unacknowledge(id, callerName(caller)),
    'alerts.resolve': ({ id }, caller) => lifecycle.resolve(id, callerName(caller)),
    'alerts.timeline': ({ id }) => lifecycle.timeline(id),
    'alerts.silencePreview': ({ matchers, startsAt }) => lifecycle.preview(matchers, startsAt),
    'fleet.silences.list': silences.list,
    // Whoever saves a silence is its creator, whatever the client sent.
    'fleet.silences.put': async ({ value }, caller) => {
      const silence: Silence = { ...value, id: value.id ?? newSilenceId(), createdBy: callerName(caller) };
      return { id: silence.id, ...(await silences.put({ value: silence })) };
    },
    'fleet.silences.remove': silences.remove,
    'fleet.maintenanceWindows.list': windows.list,
    'fleet.maintenanceWindows.put': windows.put,
    'fleet.maintenanceWindows.remove': windows.remove,
  };
}
