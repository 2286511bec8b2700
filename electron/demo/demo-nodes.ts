import type { AgentConfig } from '../../shared/config.js';
import type { Labels } from '../../shared/ids.js';

/** The fleet name of `fleetdeck demo --nodes N` (on its private etcd). */
export const demoCluster = 'demo';

/**
 * Whether the node's fleet is the demo's own: the embedded backend, or the fleet demo's. Only there does the demo
 * save its rules and patterns for the fleet — never into a real fleet that a console still showing the demo joins.
 */
export const inDemoFleet = (backend: AgentConfig['backend']['kind'], cluster: string) =>
  backend === 'local' || cluster === demoCluster;

/** The id (and name) of the `index`-th node of `fleetdeck demo --nodes N`, from 1. */
export const demoNodeId = (index: number) => `demo-${index}`;

/** Which node of a fleet demo this is, from its id; null for the one-node demo (or any other id). */
function fleetDemoIndex(nodeId: string | undefined): number | null {
  const match = /^demo-([1-9])$/.exec(nodeId ?? '');
  return match ? Number(match[1]) : null;
}

const zones = ['eu-west-1a', 'eu-west-1b'];
const tiers = ['web', 'api', 'data'];

/**
 * Where a demo node "runs", so Topology's grouping and label filters show something: two zones and three tiers
 * (demo-1 eu-west-1a/web, demo-2 eu-west-1b/api, demo-3 eu-west-1a/data); the one-node demo is demo-1's.
 */
export function demoNodeLabels(nodeId: string | undefined): Labels {
  const i = (fleetDemoIndex(nodeId) ?? 1) - 1;
  return { zone: zones[i % zones.length]!, tier: tiers[i % tiers.length]! };
}

/** How a node's sample services behave: most pass, as in a real fleet; a few show trouble. */
export interface DemoNodeProfile {
  /** The payment gateway has an outage now and then (critical for a while, then passing again). */
  paymentsOutages: boolean;
  /** The job queue runs a backlog above its warning level (degraded, not down). */
  queueBacklog: boolean;
}

/**
 * The one-node demo shows each kind of trouble. In a fleet demo they are spread: demo-1 has the outages, demo-2 the
 * backlog, the others are healthy — so the fleet reads as mostly passing, one node degraded, one failing at times.
 */
export function demoNodeProfile(nodeId: string | undefined): DemoNodeProfile {
  const index = fleetDemoIndex(nodeId);
  if (index === null) return { paymentsOutages: true, queueBacklog: true };
  return { paymentsOutages: index === 1, queueBacklog: index === 2 };
}
