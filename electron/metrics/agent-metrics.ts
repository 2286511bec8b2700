import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ResourceSample } from '../../shared/node.js';
import { CheckStatus } from '../../shared/services.js';

/** The agent's Prometheus registry. Labels are closed sets (method names from the contract), so cardinality stays bounded. */
export function createAgentMetrics(version: string) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetdeck_' });
  // These three gauges break Prometheus naming (a `_total` suffix on a non-counter) and only sum the
  // per-type series prom-client exports beside them, so they are dropped to keep promtool's lint clean.
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`fleetdeck_nodejs_${name}`);
  }
  const registers = [registry];

  new Gauge({ name: 'fleetdeck_build_info', help: 'Fleetdeck version', labelNames: ['version'], registers }).set(
    { version },
    1,
  );
  // Every known status exported from the start, so `sum(fleetdeck_checks)` is 0 on a node with no checks, not empty.
  const checksByStatus = new Gauge({
    name: 'fleetdeck_checks',
    help: 'Checks by current status',
    labelNames: ['status'],
    registers,
  });
  for (const status of CheckStatus.options) checksByStatus.set({ status }, 0);
  const metrics = {
    registry,
    ready: new Gauge({ name: 'fleetdeck_agent_ready', help: '1 once the agent is ready', registers }),
    leader: new Gauge({ name: 'fleetdeck_cluster_leader', help: '1 while this node is the fleet leader', registers }),
    members: new Gauge({ name: 'fleetdeck_cluster_members', help: 'Members registered in the fleet', registers }),
    coordinationConnected: new Gauge({
      name: 'fleetdeck_cluster_connected',
      help: '1 while the coordination backend is reachable',
      registers,
    }),
    splitBrains: new Counter({
      name: 'fleetdeck_cluster_split_brain_total',
      help: 'Times more than one member was seen claiming leadership',
      registers,
    }),
    eventSubscribers: new Gauge({
      name: 'fleetdeck_event_subscribers',
      help: 'Open event streams (SSE clients and windows)',
      registers,
    }),
    rpcRequests: new Counter({
      name: 'fleetdeck_rpc_requests_total',
      help: 'RPC calls by method and outcome code',
      labelNames: ['method', 'code'],
      registers,
    }),
    rpcDuration: new Histogram({
      name: 'fleetdeck_rpc_duration_seconds',
      help: 'RPC handling time',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    cpuLoad: new Gauge({ name: 'fleetdeck_node_cpu_load_percent', help: 'CPU load of this node', registers }),
    memoryUsed: new Gauge({ name: 'fleetdeck_node_memory_used_bytes', help: 'Memory in use', registers }),
    memoryTotal: new Gauge({ name: 'fleetdeck_node_memory_total_bytes', help: 'Installed memory', registers }),
    diskUsed: new Gauge({ name: 'fleetdeck_node_disk_used_bytes', help: 'Used space on the data dir disk', registers }),
    diskTotal: new Gauge({ name: 'fleetdeck_node_disk_total_bytes', help: 'Size of the data dir disk', registers }),
    load1: new Gauge({ name: 'fleetdeck_node_load1', help: '1-minute load average', registers }),
    load5: new Gauge({ name: 'fleetdeck_node_load5', help: '5-minute load average', registers }),
    load15: new Gauge({ name: 'fleetdeck_node_load15', help: '15-minute load average', registers }),
    networkReceive: new Gauge({
      name: 'fleetdeck_node_network_receive_bytes_per_second',
      help: 'Bytes received per second over all non-loopback interfaces',
      registers,
    }),
    networkTransmit: new Gauge({
      name: 'fleetdeck_node_network_transmit_bytes_per_second',
      help: 'Bytes sent per second over all non-loopback interfaces',
      registers,
    }),
    // One series per real filesystem (at most MAX_DISKS); a mount that goes away loses its series.
    filesystemUsed: new Gauge({
      name: 'fleetdeck_node_filesystem_used_bytes',
      help: 'Used space per filesystem',
      labelNames: ['mount'],
      registers,
    }),
    filesystemSize: new Gauge({
      name: 'fleetdeck_node_filesystem_size_bytes',
      help: 'Size of each filesystem',
      labelNames: ['mount'],
      registers,
    }),
    // Per-check series exist only for configured checks and are removed with them, so they stay bounded.
    checkState: new Gauge({
      name: 'fleetdeck_check_state',
      help: 'Check status: 0 passing, 1 unknown, 2 warning, 3 flapping, 4 critical',
      labelNames: ['service', 'check'],
      registers,
    }),
    checksByStatus,
    checkRuns: new Counter({
      name: 'fleetdeck_check_runs_total',
      help: 'Check runs by type and result',
      labelNames: ['type', 'status'],
      registers,
    }),
    checkDuration: new Histogram({
      name: 'fleetdeck_check_duration_seconds',
      help: 'Time a check run took, by check type',
      labelNames: ['type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    checkLag: new Histogram({
      name: 'fleetdeck_check_schedule_lag_seconds',
      help: 'Delay between when a check was due and when it started',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    serviceRestarts: new Counter({
      name: 'fleetdeck_service_restarts_total',
      help: 'Restarts of supervised services',
      labelNames: ['service'],
      registers,
    }),
    // Labelled by severity and state only (never by rule), so the series stay few however many rules there are.
    alertsFiring: new Gauge({
      name: 'fleetdeck_alerts_firing',
      help: 'Alerts firing on this node, by severity',
      labelNames: ['severity'],
      registers,
    }),
    alertTransitions: new Counter({
      name: 'fleetdeck_alert_transitions_total',
      help: 'Alert state changes (pending, firing, resolved), by severity',
      labelNames: ['severity', 'state'],
      registers,
    }),
    // One series per log pattern in force; a withdrawn pattern's series is removed with it.
    logMatches: new Counter({
      name: 'fleetdeck_log_pattern_matches_total',
      help: 'Log lines that matched each log pattern',
      labelNames: ['pattern'],
      registers,
    }),
  };
  let mounts = new Set<string>();
  return {
    ...metrics,
    recordResources(sample: ResourceSample): void {
      metrics.cpuLoad.set(sample.cpu.loadPercent);
      metrics.memoryUsed.set(sample.memory.usedBytes);
      metrics.memoryTotal.set(sample.memory.totalBytes);
      metrics.diskUsed.set(sample.disk.usedBytes);
      metrics.diskTotal.set(sample.disk.totalBytes);
      metrics.load1.set(sample.load.avg1);
      metrics.load5.set(sample.load.avg5);
      metrics.load15.set(sample.load.avg15);
      metrics.networkReceive.set(sample.network.rxBytesPerSec);
      metrics.networkTransmit.set(sample.network.txBytesPerSec);
      const current = new Set(sample.disks.map((disk) => disk.mount));
      for (const mount of mounts) {
        if (current.has(mount)) continue;
        metrics.filesystemUsed.remove({ mount });
        metrics.filesystemSize.remove({ mount });
      }
      for (const disk of sample.disks) {
        metrics.filesystemUsed.set({ mount: disk.mount }, disk.usedBytes);
        metrics.filesystemSize.set({ mount: disk.mount }, disk.totalBytes);
      }
      mounts = current;
    },
  };
}
export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
