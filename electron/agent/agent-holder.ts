import type { AgentEvent } from '../../shared/events.js';
import type { Dispatcher } from '../api/dispatcher.js';
import { EventBus } from '../api/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import type { Agent } from './agent.js';

/**
 * The agent the transports serve right now. The HTTP server and the Electron IPC handler hold this, not an
 * Agent, so that the agent can be replaced in place (a new coordination backend) while the API keeps its
 * address and every event subscriber (SSE streams, windows) keeps its subscription.
 */
export class AgentHolder {
  /** Events of whichever agent is current; subscriptions outlive a swap. */
  readonly events: EventBus;
  /** Routes every call to the current agent; calls that arrive during a swap wait for its end. */
  readonly dispatcher: Dispatcher;
  private agent: Agent;
  private detach: () => void;
  private swapping: Promise<void> | null = null;

  constructor(agent: Agent, logger: Logger) {
    this.events = new EventBus(logger);
    this.agent = agent;
    this.detach = this.attach(agent);
    this.dispatcher = {
      call: async (method, params, caller) => {
        while (this.swapping) await this.swapping;
        return this.agent.dispatcher.call(method, params, caller);
      },
    };
  }

  get current(): Agent {
    return this.agent;
  }

  get state(): Agent['state'] {
    return this.agent.state;
  }

  get metrics(): AgentMetrics {
    return this.agent.metrics;
  }

  nodeStatus(): ReturnType<Agent['nodeStatus']> {
    return this.agent.nodeStatus();
  }

  members(): ReturnType<Agent['members']> {
    return this.agent.members();
  }

  clusterStatus(): ReturnType<Agent['clusterStatus']> {
    return this.agent.clusterStatus();
  }

  /**
   * Stops the current agent and starts `open()`'s in its place. Subscribers hear `starting` rather than the old
   * agent's `stopping`/`stopped` (the node is not going away), then everything the new agent publishes. When
   * `open` or `start` fails, the failed agent is stopped and stays current (stopped) until the next swap.
   */
  async swap(open: () => Agent, start: (agent: Agent) => Promise<void>): Promise<void> {
    let finished!: () => void;
    this.swapping = new Promise((resolve) => (finished = resolve));
    try {
      this.detach();
      this.detach = () => {};
      this.publish({ type: 'agent.state', data: { state: 'starting' } });
      await this.agent.stop();
      const next = open();
      this.agent = next;
      this.detach = this.attach(next);
      try {
        await start(next);
      } catch (error) {
        await next.stop();
        throw error;
      }
    } finally {
      this.swapping = null;
      finished();
    }
  }

  private attach(agent: Agent): () => void {
    return agent.events.subscribe((event) => this.publish(event));
  }

  private publish(event: AgentEvent): void {
    this.events.publish(event);
  }
}
