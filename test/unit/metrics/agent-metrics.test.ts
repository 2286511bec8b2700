import { describe, expect, it } from 'vitest';
import { createAgentMetrics } from '../../../electron/metrics/agent-metrics.js';
import type { DiskUsage, ResourceSample } from '../../../shared/node.js';

const sample = (disks: DiskUsage[]): ResourceSample => ({
  sampledAt: 1,
  cpu: { loadPercent: 12.5, cores: 4 },
  memory: { usedBytes: 1, totalBytes: 2 },
  disk: { mount: '/', usedBytes: 3, totalBytes: 4 },
  load: { avg1: 0.5, avg5: 0.25, avg15: 1.5 },
  network: { rxBytesPerSec: 2048, txBytesPerSec: 512.5 },
  disks,
});
const disk = (mount: string, usedBytes: number, totalBytes: number): DiskUsage => ({
  mount,
  fs: `/dev/${mount.length}`,
  usedBytes,
  totalBytes,
});

describe('agent metrics: resources', () => {
  it('exports load, network throughput and one series per filesystem, dropping mounts that went away', async () => {
    const metrics = createAgentMetrics('0.0.0-test');
    metrics.recordResources(sample([disk('/', 10, 100), disk('/home', 20, 200)]));
    let text = await metrics.registry.metrics();
    expect(text).toMatch(/^fleetdeck_node_load1 0\.5$/m);
    expect(text).toMatch(/^fleetdeck_node_load5 0\.25$/m);
    expect(text).toMatch(/^fleetdeck_node_load15 1\.5$/m);
    expect(text).toMatch(/^fleetdeck_node_network_receive_bytes_per_second 2048$/m);
    expect(text).toMatch(/^fleetdeck_node_network_transmit_bytes_per_second 512\.5$/m);
    expect(text).toMatch(/^fleetdeck_node_filesystem_used_bytes\{mount="\/home"\} 20$/m);
    expect(text).toMatch(/^fleetdeck_node_filesystem_size_bytes\{mount="\/"\} 100$/m);

    metrics.recordResources(sample([disk('/', 11, 100), disk('/mnt/usb', 5, 50)]));
    text = await metrics.registry.metrics();
    expect(text).not.toContain('mount="/home"');
    expect(text).toMatch(/^fleetdeck_node_filesystem_used_bytes\{mount="\/"\} 11$/m);
    expect(text).toMatch(/^fleetdeck_node_filesystem_size_bytes\{mount="\/mnt\/usb"\} 50$/m);

    metrics.recordResources(sample([]));
    text = await metrics.registry.metrics();
    expect(text).not.toMatch(/^fleetdeck_node_filesystem_(used|size)_bytes\{/m);
  });
});

describe('agent metrics: checks', () => {
  it('exports 0 for every check status before any check exists, so sum(fleetdeck_checks) is 0', async () => {
    const text = await createAgentMetrics('0.0.0-test').registry.metrics();
    const samples = text.match(/^fleetdeck_checks\{status="[a-z]+"\} \d+$/gm);
    expect(samples).toEqual([
      'fleetdeck_checks{status="passing"} 0',
      'fleetdeck_checks{status="warning"} 0',
      'fleetdeck_checks{status="critical"} 0',
      'fleetdeck_checks{status="flapping"} 0',
      'fleetdeck_checks{status="unknown"} 0',
    ]);
  });
});
