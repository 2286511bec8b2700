import type { AgentEvent } from '../../shared/events.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';

/** Fans agent events out to every UI connection (SSE clients, Electron windows). */
export class EventBus {
  private readonly listeners: Listeners<AgentEvent>;

  constructor(logger: Logger) {
    this.listeners = new Listeners((error) => logger.error({ err: error }, 'an event subscriber failed'));
  }

  publish(event: AgentEvent): void {
    this.listeners.emit(event);
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
