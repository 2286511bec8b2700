import type { FleetAlertRecord } from '../../shared/fleet-alerts.js';
import { FLEET_NODE } from '../../shared/fleet-rules.js';
import { LeaderInfo } from '../../shared/node.js';
import type { CallerContext } from '../../shared/rpc.js';
import type { CapabilityContext } from '../agent/capability.js';

/** An action taken on a notification is the desktop user's, as a call from the app's window would be. */
const desktopCaller: CallerContext = { transport: 'ipc', remote: null, principal: 'desktop', scope: 'admin' };

/**
 * Acknowledges a fleet alert where it is held, as the desktop user: a node's alert on that node (cluster.call reaches
 * this node too), an alert of the fleet rules on the leader, which alone answers for them.
 */
export async function acknowledgeAlert(
  call: CapabilityContext['call'],
  alert: Pick<FleetAlertRecord['alert'], 'node' | 'localId'>,
): Promise<void> {
  const params = { id: alert.localId };
  const relay =
    alert.node === FLEET_NODE
      ? { memberId: await leaderId(call), method: 'fleet.alerts.acknowledge', params }
      : { memberId: alert.node, method: 'alerts.acknowledge', params };
  const outcome = await call('cluster.call', relay, desktopCaller);
  if (!outcome.ok) throw new Error(outcome.error.message);
}

async function leaderId(call: CapabilityContext['call']): Promise<string> {
  const outcome = await call('cluster.leader', {}, desktopCaller);
  if (!outcome.ok) throw new Error(outcome.error.message);
  const leader = LeaderInfo.nullable().parse(outcome.result);
  if (!leader) throw new Error('the fleet has no leader to acknowledge a fleet alert on');
  return leader.id;
}
