import { z } from 'zod';
import { AgentState, Member, NodeStatus } from './node.js';

/** Everything the agent pushes to UIs, over SSE (`GET /events`) and Electron IPC alike. */
export const AgentEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent.state'), data: z.object({ state: AgentState }) }),
  z.object({ type: z.literal('node.status'), data: NodeStatus }),
  z.object({ type: z.literal('cluster.members'), data: z.array(Member) }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;
export type AgentEventType = AgentEvent['type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
