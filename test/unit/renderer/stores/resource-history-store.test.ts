import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeStatus, ResourcePoint } from '../../../../shared/node.js';
import {
  initialResourceHistoryState,
  useResourceHistoryStore,
} from '../../../../renderer/stores/resource-history-store.js';
import { recordingClient } from '../../../support/recording-client.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** This node's status with a resource sample taken at `sampledAt`, its CPU at `cpu` %. */
const status = (sampledAt: number, cpu = 10): NodeStatus => ({
  id: 'node-a',
  name: 'a',
  role: 'agent',
  labels: {},
  version: '0.1.0',
  leader: true,
  startedAt: sampledAt - HOUR_MS,
  uptimeSeconds: 3600,
  resources: {
    sampledAt,
    cpu: { loadPercent: cpu, cores: 2 },
    memory: { usedBytes: 1, totalBytes: 2 },
    disk: { mount: '/', usedBytes: 1, totalBytes: 2 },
    load: { avg1: 0, avg5: 0, avg15: 0 },
    network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
    disks: [],
  },
});

/** The history point of a sample, as node.resources answers it. */
const pointOf = (sample: NonNullable<NodeStatus['resources']>): ResourcePoint => ({
  at: sample.sampledAt,
  cpuPercent: sample.cpu.loadPercent,
  memoryUsedBytes: sample.memory.usedBytes,
  memoryTotalBytes: sample.memory.totalBytes,
  diskUsedBytes: sample.disk.usedBytes,
  diskTotalBytes: sample.disk.totalBytes,
  load1: sample.load.avg1,
  networkRxBytesPerSec: 0,
  networkTxBytesPerSec: 0,
});

const pointTimes = () => useResourceHistoryStore.getState().points.map((point) => point.at);

describe('the resource history store', () => {
  beforeEach(() => useResourceHistoryStore.setState(initialResourceHistoryState));

  it('asks the agent for the range picked, an hour until then, and shows that range', async () => {
    const now = Date.now();
    // One point a minute into whatever range is asked.
    const { client, called } = recordingClient({
      'node.resources': (params) => {
        const { resources } = status((params.fromMs as number) + 60_000);
        return { points: [pointOf(resources!)] };
      },
    });
    await useResourceHistoryStore.getState().load(client);
    await useResourceHistoryStore.getState().selectRange(client, WEEK_MS);
    const spans = called('node.resources').map(({ params }) => (params.toMs as number) - (params.fromMs as number));
    expect(spans).toEqual([HOUR_MS, WEEK_MS]);
    expect(pointTimes()).toHaveLength(1);
    expect(pointTimes()[0]).toBeLessThan(now - WEEK_MS + 2 * 60_000);
    expect(useResourceHistoryStore.getState().rangeMs).toBe(WEEK_MS);
  });

  it('appends every live sample over an hour, but keeps a week to the density of its answer', () => {
    const start = Date.now() - 20 * 60_000;
    const every2s = Array.from({ length: 600 }, (_, i) => start + i * 2000);
    for (const at of every2s) useResourceHistoryStore.getState().statusReceived(status(at));
    expect(pointTimes()).toEqual(every2s);

    useResourceHistoryStore.setState({ ...initialResourceHistoryState, rangeMs: WEEK_MS });
    for (const at of every2s) useResourceHistoryStore.getState().statusReceived(status(at));
    // A week on 2,000 points is one every 302.4 s: the 20 minutes keep 4 of their 600 samples.
    expect(pointTimes()).toEqual([start, start + 304_000, start + 608_000, start + 912_000]);
  });

  it('ignores a sample no newer than the last one', () => {
    const at = Date.now();
    useResourceHistoryStore.getState().statusReceived(status(at, 10));
    useResourceHistoryStore.getState().statusReceived(status(at, 90));
    useResourceHistoryStore.getState().statusReceived(status(at - 5000, 50));
    expect(useResourceHistoryStore.getState().points.map((point) => point.cpuPercent)).toEqual([10]);
  });
});
