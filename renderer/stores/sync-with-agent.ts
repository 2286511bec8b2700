import type { AgentEvent } from '../../shared/events.js';
import type { AgentConnection } from '../client/agent-connection.js';
import type { ConnectionState } from '../client/agent-transport.js';
import { fleetRuleEntries } from '../views/alerts/fleet-rules-store.js';
import { fleetSilences, fleetWindows } from './alert-lifecycle-store.js';
import { fleetRules, useAlertsStore } from './alerts-store.js';
import { useAuditStore } from './audit-store.js';
import { fleetChannels } from './channels-store.js';
import { fleetTemplates } from './check-templates-store.js';
import { useClusterStore } from './cluster-store.js';
import { useConnectionStore } from './connection-store.js';
import { useFleetAlertsStore } from './fleet-alerts-store.js';
import { fleetPatterns, useLogPatternsStore } from './log-patterns-store.js';
import { useLogsStore } from './logs-store.js';
import { useNodesStore } from './nodes-store.js';
import { useResourceHistoryStore } from './resource-history-store.js';
import { useServicesStore } from './services-store.js';
import { createSilenceWatch } from './silence-watch.js';
import { useTasksStore } from './tasks-store.js';

const RELOAD_COALESCE_MS = 300;
/** How often the silence of an open event stream is checked. */
const SILENCE_CHECK_MS = 1000;

/** Every kind of entry saved for the whole fleet, each in its own store. */
const fleetEntryStores = [
  fleetRules,
  fleetPatterns,
  fleetTemplates,
  fleetSilences,
  fleetWindows,
  fleetChannels,
  fleetRuleEntries,
];

/**
 * The one place pushed events reach the stores: a snapshot whenever events start flowing (again) or the agent
 * becomes ready, then every pushed event, applied as it came where it carries the change and fetched where it only
 * names it. Runs for the life of the window. Views never subscribe themselves; they load once when they open and
 * poll only what no event reports.
 */
export function syncWithAgent({ client, transport }: AgentConnection): void {
  const connection = useConnectionStore.getState();
  const nodes = useNodesStore.getState();
  const resourceHistory = useResourceHistoryStore.getState();
  const services = useServicesStore.getState();
  const cluster = useClusterStore.getState();
  const alerts = useAlertsStore.getState();
  const logPatterns = useLogPatternsStore.getState();
  const logs = useLogsStore.getState();
  const tasks = useTasksStore.getState();
  const audit = useAuditStore.getState();
  // What a view asked for once (services, resource history, alerts, log patterns, fleet entries) is kept fresh here.
  const reloadServices = () => {
    if (useServicesStore.getState().receivedAt !== null) void services.load(client);
  };
  // Always kept: the sidebar's badge and the window title count the fleet's firing alerts.
  const reloadFleetAlerts = () => void useFleetAlertsStore.getState().load(client);
  // Events going live and the agent reporting ready arrive together at start: one snapshot serves both, which
  // matters with a large fleet, where every member list is a megabyte to fetch and validate.
  let lastReloadAt = -Infinity;
  const reload = () => {
    const now = performance.now();
    if (now - lastReloadAt < RELOAD_COALESCE_MS) return;
    lastReloadAt = now;
    void nodes.load(client, { members: !transport.membersOnConnect });
    void cluster.load(client);
    if (useResourceHistoryStore.getState().loadedAt !== null) void resourceHistory.load(client);
    reloadServices();
    if (useAlertsStore.getState().node.loadedAt !== null) void alerts.load(client);
    reloadFleetAlerts();
    if (useLogPatternsStore.getState().node.receivedAt !== null) void logPatterns.loadNode(client);
    if (useLogsStore.getState().receivedAt !== null) void logs.loadNewest(client);
    if (useTasksStore.getState().listLoadedAt !== null) void tasks.load(client);
    if (useAuditStore.getState().loadedAt !== null) void audit.load(client);
    for (const store of fleetEntryStores) {
      if (store.useStore.getState().receivedAt !== null) void store.useStore.getState().load(client);
    }
  };

  connection.transportChosen(transport.kind, transport.endpoint);

  const applyEvent = (event: AgentEvent) => {
    switch (event.type) {
      case 'agent.state':
        connection.agentStateChanged(event.data.state);
        if (event.data.state === 'ready') reload();
        return;
      case 'node.status':
        nodes.statusReceived(event.data);
        resourceHistory.statusReceived(event.data);
        return;
      case 'cluster.members':
        nodes.membersReceived(event.data);
        return;
      case 'cluster.membersChanged':
        nodes.membersChanged(event.data);
        return;
      case 'cluster.status':
        cluster.statusReceived(event.data);
        return;
      case 'check.changed':
        services.checkChanged(event.data.serviceId, event.data.check);
        return;
      case 'supervisor.changed':
        services.supervisorChanged(event.data.serviceId, event.data.supervisor);
        return;
      // The event names the services, not their definitions.
      case 'services.changed':
        reloadServices();
        return;
      case 'alert.changed':
        alerts.alertChanged(client, event.data);
        return;
      case 'fleetAlerts.changed':
        reloadFleetAlerts();
        return;
      case 'logs.matched':
        logPatterns.matched(client, event.data.patternIds);
        logs.matched(client, event.data.patternIds);
        return;
      case 'task.changed':
        tasks.taskChanged(client, event.data);
        return;
      case 'fleetConfig.changed':
        for (const store of fleetEntryStores) store.changed(client, event.data.kind);
        alerts.fleetConfigChanged(client, event.data.kind);
        logPatterns.fleetConfigChanged(client, event.data.kind);
        return;
      // Only an id: the list is fetched again (audit.list needs admin).
      case 'audit.recorded':
        audit.recorded(client);
        return;
    }
  };

  let lastEventAt: number | null = null;
  // What the transport says of its stream, and whether the agent went silent on a stream that stayed open.
  let streamState: ConnectionState = 'connecting';
  let silent = false;
  const silence = createSilenceWatch();
  const showConnection = () =>
    connection.connectionChanged(silent && streamState === 'live' ? 'lost' : streamState, lastEventAt);

  client.subscribe(
    (event) => {
      lastEventAt = Date.now();
      if (event.type === 'node.status') silence.heard(performance.now());
      if (silent) {
        silent = false;
        showConnection();
        reload();
      }
      applyEvent(event);
    },
    (problem) => console.warn(`[client] ignored an event that does not match the contract: ${problem}`),
  );
  transport.watchConnection((state) => {
    streamState = state;
    silent = false;
    silence.reset();
    showConnection();
    // Events may have been missed while the stream was down, so start again from a snapshot.
    if (state === 'live') reload();
  });
  setInterval(() => {
    if (silent || streamState !== 'live' || !silence.silentAt(performance.now())) return;
    silent = true;
    showConnection();
  }, SILENCE_CHECK_MS);
}
