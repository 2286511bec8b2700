import { z } from 'zod';
import { EpochMs, Labels, NodeId, NodeRole } from './ids.js';

export const ResourceSample = z.object({
  sampledAt: EpochMs,
  cpu: z.object({ loadPercent: z.number().min(0).max(100), cores: z.number().int().positive() }),
  memory: z.object({ usedBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }),
  /** The filesystem holding the agent's data directory. */
  disk: z.object({ mount: z.string(), usedBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }),
});
export type ResourceSample = z.infer<typeof ResourceSample>;

export const NodeStatus = z.object({
  id: NodeId,
  name: z.string(),
  role: NodeRole,
  labels: Labels,
  version: z.string(),
  leader: z.boolean(),
  startedAt: EpochMs,
  uptimeSeconds: z.number().nonnegative(),
  /** Null until the first sample has been taken. */
  resources: ResourceSample.nullable(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

/** What each node publishes about itself in the coordination backend. */
export const MemberRecord = z.object({
  id: NodeId,
  name: z.string().min(1).max(128),
  role: NodeRole,
  labels: Labels,
  version: z.string(),
  apiUrl: z.url(),
  startedAt: EpochMs,
});
export type MemberRecord = z.infer<typeof MemberRecord>;

export const Member = MemberRecord.extend({
  leader: z.boolean(),
  /** When the backend last confirmed this member alive. */
  lastSeen: EpochMs,
});
export type Member = z.infer<typeof Member>;

export const LeaderInfo = z.object({
  id: NodeId,
  /** Fencing token parts: the lease the leadership is bound to and the revision it was won at. */
  leaseId: z.string(),
  revision: z.string(),
  since: EpochMs,
});
export type LeaderInfo = z.infer<typeof LeaderInfo>;

export const AgentState = z.enum(['starting', 'ready', 'stopping', 'stopped']);
export type AgentState = z.infer<typeof AgentState>;

/** One point of a node's resource history: a raw sample, or a per-minute average for older data. */
export const ResourcePoint = z.object({
  at: EpochMs,
  cpuPercent: z.number().min(0).max(100),
  memoryUsedBytes: z.number().nonnegative(),
  memoryTotalBytes: z.number().nonnegative(),
  diskUsedBytes: z.number().nonnegative(),
  diskTotalBytes: z.number().nonnegative(),
});
export type ResourcePoint = z.infer<typeof ResourcePoint>;
