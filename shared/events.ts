import { z } from 'zod';
import { Alert } from './alerts.js';
import { MemberChanges } from './member-changes.js';
import { AgentState, ClusterStatus, Member, NodeStatus } from './node.js';
import { CheckState, Slug, SupervisorState } from './services.js';
import { TaskChanged } from './tasks.js';

/** Everything the agent pushes to UIs, over SSE (`GET /events`) and Electron IPC alike. */
export const AgentEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent.state'), data: z.object({ state: AgentState }) }),
  z.object({ type: z.literal('node.status'), data: NodeStatus }),
  /** The whole member list: the first thing a new event stream gets. */
  z.object({ type: z.literal('cluster.members'), data: z.array(Member) }),
  /** Then only what changed (coalesced to at most 4 events a second). */
  z.object({ type: z.literal('cluster.membersChanged'), data: MemberChanges }),
  /** Connection state, leader or fleet facts changed (including split brain: more than one leader claim). */
  z.object({ type: z.literal('cluster.status'), data: ClusterStatus }),
  /** A check's status changed (not every run: UIs poll services.list for latest results). */
  z.object({ type: z.literal('check.changed'), data: z.object({ serviceId: Slug, check: CheckState }) }),
  /** Service definitions were added, replaced or removed. */
  z.object({ type: z.literal('services.changed'), data: z.object({ ids: z.array(Slug) }) }),
  z.object({ type: z.literal('supervisor.changed'), data: z.object({ serviceId: Slug, supervisor: SupervisorState }) }),
  /** An alert of this node was raised, fired or resolved. */
  z.object({ type: z.literal('alert.changed'), data: Alert }),
  /** The fleet's alert records changed (any node's alert, or the leader cleared told ones): list them again. */
  z.object({ type: z.literal('fleetAlerts.changed'), data: z.object({}) }),
  /** New lines matched these patterns (coalesced: at most a few events a second however busy the logs are). */
  z.object({ type: z.literal('logs.matched'), data: z.object({ patternIds: z.array(Slug) }) }),
  /** A fleet-wide value of this kind was saved or removed (by any console); this node applied or refused it. */
  /** A task of this node was submitted, claimed, progressed, finished, cancelled or retried. */
  z.object({ type: z.literal('task.changed'), data: TaskChanged }),
  z.object({ type: z.literal('fleetConfig.changed'), data: z.object({ kind: z.string(), id: z.string() }) }),
  /** A call was written to the audit log: only its id, since reading the log needs `admin`. */
  z.object({ type: z.literal('audit.recorded'), data: z.object({ id: z.number().int().positive() }) }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;
export type AgentEventType = AgentEvent['type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
