import type { Member, NodeStatus } from '../../shared/node.js';
import type { HandlerTable } from './dispatcher.js';

/** What the handlers need from the agent; kept narrow so handlers are easy to read and test. */
export interface AgentView {
  nodeStatus(): NodeStatus;
  members(): Member[];
}

export const createHandlers = (agent: AgentView): HandlerTable => ({
  'node.status': () => agent.nodeStatus(),
  'cluster.members': () => agent.members(),
});
