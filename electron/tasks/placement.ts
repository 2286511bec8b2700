import type { Labels } from '../../shared/ids.js';
import type { ParsedTaskTarget, PlacementStrategy } from '../../shared/tasks.js';

/** What the leader knows of one member when placing a task (from its published summary). */
export interface FleetMember {
  id: string;
  labels: Labels;
  /** Share for `weighted`; 0 takes nothing. */
  weight: number;
  health: 'passing' | 'warning' | 'critical' | 'unknown';
  /** How old its latest summary is. */
  summaryAgeMs: number;
  running: number;
  /** Tasks waiting in its own queue. */
  queueLength: number;
  concurrency: number;
  /** 0–1. */
  cpu: number;
  /** 0–1. */
  memory: number;
  /** Task types it can run; absent: every type. */
  types?: readonly string[];
  runningByType?: Readonly<Record<string, number>>;
  /** Its per-type concurrency limits. */
  perType?: Readonly<Record<string, number>>;
  /** EWMA of task durations (ms) per type. */
  durations: Readonly<Record<string, number>>;
}

export interface PlacementRequest {
  target: ParsedTaskTarget;
  type: string;
  strategy: PlacementStrategy;
  /** The node the task was submitted on: where `local` runs. */
  selfId: string;
  /** `health` and `hybrid` skip members whose summary is older. */
  staleAfterMs: number;
  /** In [0, 1). */
  random: () => number;
  /** Round-robin position, kept by the caller between placements. */
  cursor: number;
}

export type Placement = { ok: true; memberId: string; cursor: number } | { ok: false; reason: string; cursor: number };

/** Whether a member is one the target names: `local` is the submitting node, `any` every member. */
export function matchesTarget(member: { id: string; labels: Labels }, target: ParsedTaskTarget, selfId: string) {
  switch (target.kind) {
    case 'local':
      return member.id === selfId;
    case 'any':
      return true;
    case 'node':
      return member.id === target.nodeId;
    case 'label':
      return Object.hasOwn(member.labels, target.key) && member.labels[target.key] === target.value;
  }
}

const describeTarget = (target: ParsedTaskTarget) =>
  target.kind === 'node'
    ? `node:${target.nodeId}`
    : target.kind === 'label'
      ? `label:${target.key}=${target.value}`
      : target.kind;

const hasRoom = (member: FleetMember, type: string) => {
  const limit = member.perType?.[type];
  return limit === undefined || (member.runningByType?.[type] ?? 0) < limit;
};

const isHealthy = (member: FleetMember, staleAfterMs: number) =>
  member.health !== 'critical' && member.summaryAgeMs <= staleAfterMs;

/** 1 passing, 0.5 warning, 0.25 unknown, 0 critical. */
const healthScore = (member: FleetMember) => ({ passing: 1, warning: 0.5, unknown: 0.25, critical: 0 })[member.health];

/**
 * 0 idle, 1 and above busy: 0.4 × CPU + 0.2 × memory + 0.4 × (running + waiting) per slot. Queue pressure weighs as
 * much as CPU because a member with a long queue starts a new task late however idle its CPU is.
 */
export const memberLoad = (member: FleetMember) =>
  0.4 * member.cpu +
  0.2 * member.memory +
  (0.4 * (member.running + member.queueLength)) / Math.max(1, member.concurrency);

/**
 * The hybrid score, higher is better: 0.4 × health (1 passing, 0.5 warning, 0.25 unknown) + 0.35 × (1 − load,
 * floored at 0) + 0.25 × speed, where speed is the fastest member's EWMA duration for the type over this member's
 * (1 for a member with no sample yet, so new members get tried).
 */
export function hybridScore(member: FleetMember, type: string, fastestMs: number | undefined): number {
  const duration = member.durations[type];
  const speed = duration === undefined || fastestMs === undefined ? 1 : fastestMs / Math.max(duration, 1e-9);
  return 0.4 * healthScore(member) + 0.35 * Math.max(0, 1 - memberLoad(member)) + 0.25 * speed;
}

/** The member that is least by `key` (compared in order), ties broken by id so placement is deterministic. */
function minBy(members: readonly FleetMember[], key: (member: FleetMember) => readonly number[]): FleetMember {
  let best = members[0]!;
  let bestKey = key(best);
  for (const member of members.slice(1)) {
    const memberKey = key(member);
    const index = memberKey.findIndex((value, i) => value !== bestKey[i]);
    if (index !== -1 && memberKey[index]! < bestKey[index]!) {
      best = member;
      bestKey = memberKey;
    }
  }
  return best;
}

const pickIndex = (random: () => number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(random() * n)));

/**
 * Picks the member for one task: those the target names and that run the type, preferring ones below their per-type
 * limit; then the strategy. Pure: time, randomness and the round-robin cursor come in the request.
 */
export function placeTask(members: readonly FleetMember[], request: PlacementRequest): Placement {
  const { target, type, strategy, cursor } = request;
  const fail = (reason: string): Placement => ({ ok: false, reason, cursor });
  const eligible = members
    .filter((m) => matchesTarget(m, target, request.selfId) && (m.types === undefined || m.types.includes(type)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (eligible.length === 0) return fail(`no member matches ${describeTarget(target)} and runs "${type}" tasks`);
  const withRoom = eligible.filter((m) => hasRoom(m, type));
  let pool = withRoom.length > 0 ? withRoom : eligible;
  if (strategy === 'health' || strategy === 'hybrid') {
    pool = pool.filter((m) => isHealthy(m, request.staleAfterMs));
    if (pool.length === 0) return fail(`no member matching ${describeTarget(target)} is healthy and up to date`);
  }
  const chosen = (member: FleetMember, next = cursor): Placement => ({ ok: true, memberId: member.id, cursor: next });

  switch (strategy) {
    case 'round-robin':
      return chosen(pool[cursor % pool.length]!, cursor + 1);
    case 'random':
      return chosen(pool[pickIndex(request.random, pool.length)]!);
    case 'least-connections':
      return chosen(minBy(pool, (m) => [m.running, m.queueLength]));
    case 'weighted': {
      const total = pool.reduce((sum, m) => sum + Math.max(0, m.weight), 0);
      if (total <= 0) return fail('no eligible member has a weight above 0');
      let point = Math.min(Math.max(request.random(), 0), 1 - Number.EPSILON) * total;
      for (const member of pool) {
        point -= Math.max(0, member.weight);
        if (point < 0) return chosen(member);
      }
      return chosen(pool.findLast((m) => m.weight > 0)!);
    }
    case 'health':
      return chosen(minBy(pool, (m) => [-healthScore(m), m.running]));
    case 'least-loaded':
      return chosen(minBy(pool, (m) => [memberLoad(m)]));
    case 'response-time':
      // A member with no sample for the type goes first, so every member gets measured.
      return chosen(minBy(pool, (m) => [m.durations[type] ?? -1, m.running]));
    case 'hybrid': {
      const known = pool.map((m) => m.durations[type]).filter((d): d is number => d !== undefined);
      const fastest = known.length > 0 ? Math.min(...known) : undefined;
      return chosen(minBy(pool, (m) => [-hybridScore(m, type, fastest)]));
    }
  }
}

/** Exponentially weighted moving average of task durations: `alpha` weighs the newest sample. */
export const updateEwma = (previous: number | undefined, sampleMs: number, alpha = 0.3): number =>
  previous === undefined ? sampleMs : alpha * sampleMs + (1 - alpha) * previous;
