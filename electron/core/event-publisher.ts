import type { AgentEvent } from '../../shared/events.js';

/** Where a component announces a change: the agent's one event bus, which UIs hear over SSE and IPC. */
export interface EventPublisher {
  publish(event: AgentEvent): void;
}
