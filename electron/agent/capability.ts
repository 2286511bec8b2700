import type { AgentConfig } from '../../shared/config.js';
import type { NodeSummary } from '../../shared/node.js';
import type { MethodName } from '../../shared/rpc.js';
import type { Dispatcher } from '../api/dispatcher.js';
import type { EventBus } from '../api/event-bus.js';
import type { Handlers } from '../api/handler-table.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FleetConfig } from '../fleet-config/fleet-config.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import type { Store } from '../store/store.js';
import type { NodeSummaryBoard } from './node-summary-board.js';

/** Everything a capability is built from: one per agent, shared by all of its capabilities. */
export interface CapabilityContext {
  /** The validated config (with the demo's commands, patterns and rules when the demo runs). */
  config: AgentConfig;
  /** This node's id and when this run started. */
  node: { id: string; startedAt: number };
  clock: Clock;
  /** Jitter source for retries, backoff and schedule spreading. */
  random: () => number;
  /** A logger whose lines carry the component's name. */
  logger(component: string): Logger;
  /** The node's SQLite file; `store.repository(factory)` gives a capability a repository of its own. */
  store: Store;
  /** The one way to announce a change to UIs (and to other capabilities that listen). */
  events: EventBus;
  metrics: AgentMetrics;
  backend: CoordinationBackend;
  /** Register the kinds of fleet-wide values a capability applies. */
  fleet: FleetConfig;
  /** Tell the fleet that what a capability adds to the node summary changed (`urgent`: not throttled). */
  summary: Pick<NodeSummaryBoard, 'changed' | 'onChanged'>;
  /** This node's own dispatcher, for a call relayed to itself. */
  call: Dispatcher['call'];
}

/** What `start` learns that construction could not: where other members reach this node. */
export interface AgentStartup {
  apiUrl: string;
}

/** The lifecycle part of a capability: started in list order, stopped in reverse. */
export interface CapabilityLifecycle {
  readonly name: string;
  start?(startup: AgentStartup): Promise<void> | void;
  stop?(): Promise<void> | void;
  /** What this capability adds to the summary the node publishes to the fleet. */
  summary?(): Partial<NodeSummary>;
}

/** One slice of the agent: the RPC methods it answers (`K`), its lifecycle and its part of the node summary. */
export interface Capability<K extends MethodName = never> extends CapabilityLifecycle {
  readonly handlers: Handlers<K>;
}
