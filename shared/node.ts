import { z } from 'zod';
import { EpochMs, Labels, NodeId, NodeRole } from './ids.js';
import { OpenAlertCounts } from './alerts.js';
import { LogSeverityCounts } from './log-severity-counts.js';
import { CheckStatus } from './services.js';

/** At most this many filesystems in a sample: a host with hundreds of mounts still sends a small sample. */
export const MAX_DISKS = 32;

export const DiskUsage = z.object({
  mount: z.string(),
  /** The device or source, e.g. `/dev/sda1`, `C:` or `server:/export`. */
  fs: z.string(),
  usedBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
});
export type DiskUsage = z.infer<typeof DiskUsage>;

export const ResourceSample = z.object({
  sampledAt: EpochMs,
  cpu: z.object({ loadPercent: z.number().min(0).max(100), cores: z.number().int().positive() }),
  memory: z.object({ usedBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }),
  /** The filesystem holding the agent's data directory. */
  disk: z.object({ mount: z.string(), usedBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }),
  /** Run-queue load averages over 1, 5 and 15 minutes (0 where the OS has none, e.g. Windows). */
  load: z.object({ avg1: z.number().nonnegative(), avg5: z.number().nonnegative(), avg15: z.number().nonnegative() }),
  /** Throughput summed over the non-internal (non-loopback) interfaces; 0 until a second reading. */
  network: z.object({ rxBytesPerSec: z.number().nonnegative(), txBytesPerSec: z.number().nonnegative() }),
  /** Every real filesystem (no pseudo filesystems, no duplicate mounts of one device), sorted by mount. */
  disks: z.array(DiskUsage).max(MAX_DISKS),
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

/** A fleet-wide value (a service, a log pattern, an alert rule) this node could not apply; it keeps the last good one. */
/** The kinds of values saved once for the whole fleet; also their key prefix (`config/<kind>/<id>`). */
export const FleetConfigKind = z.enum([
  'services',
  'log-patterns',
  'alert-rules',
  'check-templates',
  'channels',
  'silences',
  'maintenance-windows',
  'fleet-rules',
]);
export type FleetConfigKind = z.infer<typeof FleetConfigKind>;

/** `kind` stays a plain string: a newer node may report a kind this version does not know. */
export const FleetConfigError = z.object({ kind: z.string(), id: z.string(), error: z.string() });
export type FleetConfigError = z.infer<typeof FleetConfigError>;

const Count = z.number().int().nonnegative();

/** The compact state each node publishes at a bounded rate, so a console sees the fleet without asking every node. */
export const NodeSummary = z.object({
  /** Worst status over this node's services (`unknown` when it has none). */
  health: CheckStatus,
  services: z.number().int().nonnegative(),
  /**
   * How many checks have each status: an object of the five rather than a record keyed by the enum, the same
   * contract and several times cheaper to check in a list of 10,000 members.
   */
  checks: z.strictObject(
    Object.fromEntries(CheckStatus.options.map((status) => [status, Count])) as Record<CheckStatus, typeof Count>,
  ),
  /** The worst status of each fleet check template's checks here, by template id (absent from older versions). */
  templates: z.record(z.string(), CheckStatus).optional(),
  cpuPercent: z.number().min(0).max(100).nullable(),
  memoryPercent: z.number().min(0).max(100).nullable(),
  diskPercent: z.number().min(0).max(100).nullable(),
  /** The leadership this node believes it holds (fencing token parts), for split-brain detection. */
  leaderClaim: z.object({ leaseId: z.string(), revision: z.string() }).nullable(),
  configErrors: z.array(FleetConfigError).max(50).default([]),
  /** Lines its log patterns matched in the last hour, by the pattern's severity (absent from older versions). */
  logMatches: LogSeverityCounts.optional(),
  /** Alerts firing on this node now, by severity. */
  openAlerts: OpenAlertCounts.default({ info: 0, warning: 0, critical: 0, emergency: 0 }),
  /** This node's task queue: tasks waiting (queued, scheduled, retrying) and running. */
  tasks: z
    .object({
      waiting: z.number().int().nonnegative(),
      running: z.number().int().nonnegative(),
      /** Dead tasks kept here (the dead-letter queue); absent from older versions. */
      dead: z.number().int().nonnegative().optional(),
      /** What the leader places by (absent from older versions): the task types this node runs, */
      types: z.array(z.string()).max(200).optional(),
      /** the commands an `exec` task may name here, */
      commands: z.array(z.string()).max(500).optional(),
      /** its concurrency, per-type limits and weight (`tasks:` in its config). */
      concurrency: z.number().int().positive().optional(),
      perType: z.record(z.string(), z.number().int().positive()).optional(),
      weight: z.number().nonnegative().optional(),
    })
    .default({ waiting: 0, running: 0 }),
  publishedAt: EpochMs,
});
export type NodeSummary = z.infer<typeof NodeSummary>;

/**
 * Where a member's API answers: a plain `http(s)://host:port` origin (no path, query, fragment or user info), so a
 * record written by someone else cannot point a relayed call at another path or smuggle parameters into it.
 */
export const ApiOrigin = z.string().check((context) => {
  // One URL parse per value (a member list holds thousands of them).
  const url = parsedUrl(context.value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    context.issues.push({ code: 'custom', message: 'must be an http:// or https:// URL', input: context.value });
  } else if (url.origin !== context.value) {
    context.issues.push({
      code: 'custom',
      message: 'must be a plain http(s)://host:port origin, without path, query, fragment or user info',
      input: context.value,
    });
  }
});

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** What each node publishes about itself in the coordination backend. */
export const MemberRecord = z.object({
  id: NodeId,
  name: z.string().min(1).max(128),
  role: NodeRole,
  labels: Labels,
  version: z.string(),
  apiUrl: ApiOrigin,
  startedAt: EpochMs,
  /** Absent until the node has published its first summary (and from older versions). */
  summary: NodeSummary.optional(),
  /** When the node wrote this record, by its own wall clock: how the others estimate its clock skew. */
  publishedAt: EpochMs.optional(),
});
export type MemberRecord = z.infer<typeof MemberRecord>;

/** A member's clock further off than this from the reader's (either way) is a fleet warning. */
export const CLOCK_SKEW_WARNING_MS = 2000;

export const Member = MemberRecord.extend({
  leader: z.boolean(),
  /** When the backend last confirmed this member alive. */
  lastSeen: EpochMs,
  /**
   * How far the member's wall clock is ahead of this node's (negative: behind), estimated from the records it
   * wrote; absent for this node itself and until a few records have arrived. Timestamps it writes (summaries,
   * leadership `since`) are off by this much here.
   */
  clockSkewMs: z.number().optional(),
  /**
   * True while the member is registered (its lease holds) but its record is overdue: it may be stuck, and will be
   * down if its lease ends. Absent or false: fresh.
   */
  stale: z.boolean().optional(),
});
export type Member = z.infer<typeof Member>;

/**
 * A member whose record went without a graceful leave (killed, crashed, cut off): kept in the fleet facts, with the
 * last record seen of it, until it comes back, an operator forgets it, or the retention passes.
 */
export const DownMember = z.object({
  id: NodeId,
  name: z.string(),
  /** When its record was last seen alive. */
  lastSeen: EpochMs,
  /** When the leader found it gone (absent from older versions). */
  downSince: EpochMs.optional(),
  role: NodeRole.optional(),
  labels: Labels.optional(),
  version: z.string().optional(),
  /** Its last published summary. */
  summary: NodeSummary.optional(),
});
export type DownMember = z.infer<typeof DownMember>;

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
  load1: z.number().nonnegative(),
  networkRxBytesPerSec: z.number().nonnegative(),
  networkTxBytesPerSec: z.number().nonnegative(),
});
export type ResourcePoint = z.infer<typeof ResourcePoint>;

/** Fleet-level facts the leader computes from membership and writes, fenced, for everyone to read. */
export const FleetFacts = z.object({
  computedAt: EpochMs,
  leaderId: NodeId,
  membersUp: z.number().int().nonnegative(),
  /** Members gone without a graceful leave, until they return, are forgotten or the retention passes. */
  membersDown: z.array(DownMember),
  unhealthy: z.array(NodeId),
});
export type FleetFacts = z.infer<typeof FleetFacts>;

export const ClusterStatus = z.object({
  backend: z.enum(['local', 'etcd']),
  state: z.enum(['connecting', 'connected', 'lost', 'closed']),
  lastError: z.string().nullable(),
  leader: LeaderInfo.nullable(),
  facts: FleetFacts.nullable(),
  /** Members that claim leadership right now; more than one is split brain. */
  leaderClaims: z.array(NodeId),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;

export const ConnectionTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    clusterId: z.string(),
    memberCount: z.number().int(),
    version: z.string(),
    authenticated: z.boolean(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;
