import { describe, expect, it } from 'vitest';
import {
  demoCluster,
  demoNodeId,
  demoNodeLabels,
  demoNodeProfile,
  inDemoFleet,
} from '../../../electron/demo/demo-nodes.js';

describe('demo nodes', () => {
  it('spread a fleet demo over two zones and three tiers; the one-node demo is the first node', () => {
    expect([1, 2, 3, 4].map((i) => demoNodeLabels(demoNodeId(i)))).toEqual([
      { zone: 'eu-west-1a', tier: 'web' },
      { zone: 'eu-west-1b', tier: 'api' },
      { zone: 'eu-west-1a', tier: 'data' },
      { zone: 'eu-west-1b', tier: 'web' },
    ]);
    expect(demoNodeLabels(undefined)).toEqual({ zone: 'eu-west-1a', tier: 'web' });
    expect(demoNodeLabels('laptop')).toEqual({ zone: 'eu-west-1a', tier: 'web' });
  });

  it('give one fleet node the outages, another the backlog, the rest nothing; the one-node demo both', () => {
    expect([1, 2, 3].map((i) => demoNodeProfile(demoNodeId(i)))).toEqual([
      { paymentsOutages: true, queueBacklog: false },
      { paymentsOutages: false, queueBacklog: true },
      { paymentsOutages: false, queueBacklog: false },
    ]);
    expect(demoNodeProfile(undefined)).toEqual({ paymentsOutages: true, queueBacklog: true });
  });

  it('save rules for the fleet only in the demo’s own: the embedded backend or the fleet demo, never a real fleet', () => {
    expect(inDemoFleet('local', 'default')).toBe(true);
    expect(inDemoFleet('etcd', demoCluster)).toBe(true);
    expect(inDemoFleet('etcd', 'prod')).toBe(false);
  });
});
