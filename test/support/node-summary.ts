import type { NodeSummary } from '../../shared/node.js';

/** A valid summary of a quiet node with no services, published at `publishedAt`, with `overrides` on top. */
export const nodeSummary = (publishedAt: number, overrides: Partial<NodeSummary> = {}): NodeSummary => ({
  health: 'passing',
  services: 0,
  checks: { passing: 0, warning: 0, critical: 0, flapping: 0, unknown: 0 },
  cpuPercent: null,
  memoryPercent: null,
  diskPercent: null,
  leaderClaim: null,
  configErrors: [],
  openAlerts: { info: 0, warning: 0, critical: 0, emergency: 0 },
  tasks: { waiting: 0, running: 0 },
  publishedAt,
  ...overrides,
});
