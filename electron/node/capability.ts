import type { LeaderInfo, NodeStatus, ResourceSample } from '../../shared/node.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { historyRetention, PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { version } from '../core/version.js';
import { ResourceMonitor, type ResourceProbe } from '../health/resource-monitor.js';
import { systemResourceProbe } from '../health/system-resource-probe.js';
import { ResourceHistoryRepository } from '../store/resource-history-repository.js';
import { nodeHandlers } from './handlers.js';

export interface NodeCapabilityDeps {
  /** Replaces systeminformation (tests that need exact figures). */
  probe?: ResourceProbe;
  /** The fleet as this node sees it: its leadership, and a signal when members or leadership change. */
  cluster: { leadership(): LeaderInfo | null; onChange(listener: () => void): () => void };
}

export interface NodeCapability extends Capability<'node.status' | 'node.resources'> {
  status(): NodeStatus;
  /** The latest resource sample (alert conditions read it). */
  latest(): ResourceSample | null;
}

// Whole percents: finer figures would change on every sample and make every summary a new write fleet-wide.
const percent = (used: number, total: number): number | null =>
  total > 0 ? Math.round(Math.min(100, Math.max(0, (used / total) * 100))) : null;

/** This node: its status, its resources sampled at an interval, and their history. */
export function createNodeCapability(
  context: CapabilityContext,
  { probe, cluster }: NodeCapabilityDeps,
): NodeCapability {
  const { config, clock, store, events, metrics, summary } = context;
  const logger = context.logger('resources');
  const retention = historyRetention(config.history);
  const monitor = new ResourceMonitor({
    probe: probe ?? systemResourceProbe(config.dataDir, clock),
    clock,
    intervalMs: config.resources.intervalMs,
    logger,
  });
  const history = store.repository((db) => new ResourceHistoryRepository(db));
  const stops: Array<() => void> = [];

  const status = (): NodeStatus => ({
    id: context.node.id,
    name: config.name,
    role: config.role,
    labels: config.labels,
    version,
    leader: cluster.leadership() != null,
    startedAt: context.node.startedAt,
    uptimeSeconds: Math.max(0, (clock.now() - context.node.startedAt) / 1000),
    resources: monitor.latest(),
  });
  const publishStatus = () => events.publish({ type: 'node.status', data: status() });
  const prune = () =>
    history
      .prune(clock.now(), retention.rawMs, retention.rollupMs)
      .catch((error: unknown) => logger.warn({ err: error }, 'pruning resource history failed'));
  // Subscribed from the start: joining the fleet (before this capability starts) already changes the status.
  cluster.onChange(publishStatus);

  return {
    name: 'node',
    handlers: nodeHandlers({
      status,
      resources: (fromMs, toMs) => history.history(fromMs, toMs, retention.rawMs, clock.now()),
    }),
    status,
    latest: () => monitor.latest(),
    start() {
      stops.push(
        monitor.onSample((sample) => {
          metrics.recordResources(sample);
          history.record(sample);
          summary.changed();
          publishStatus();
        }),
        repeat(clock, PRUNE_INTERVAL_MS, () => void prune()),
      );
      void prune();
      monitor.start();
    },
    stop() {
      monitor.stop();
      for (const stop of stops.splice(0)) stop();
    },
    summary() {
      const resources = monitor.latest();
      return {
        cpuPercent: resources ? Math.round(resources.cpu.loadPercent) : null,
        memoryPercent: resources ? percent(resources.memory.usedBytes, resources.memory.totalBytes) : null,
        diskPercent: resources ? percent(resources.disk.usedBytes, resources.disk.totalBytes) : null,
      };
    },
  };
}
