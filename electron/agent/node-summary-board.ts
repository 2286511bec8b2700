import { NodeSummary } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';

/** A capability, as far as the summary is concerned: some add to it. */
interface SummaryPart {
  readonly name: string;
  summary?(): Partial<NodeSummary>;
}

/** What this node tells the fleet about itself, put together from what each capability adds. */
export class NodeSummaryBoard {
  private parts: readonly SummaryPart[] = [];
  private readonly listeners: Listeners<{ summary: NodeSummary; urgent: boolean }>;

  constructor(
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.listeners = new Listeners((error) => logger.error({ err: error }, 'a summary listener failed'));
  }

  /** The capabilities whose pieces make up the summary. */
  compose(parts: readonly SummaryPart[]): void {
    this.parts = parts;
  }

  /** A piece changed: the listeners get the whole summary (throttled by them unless `urgent`). */
  changed(urgent = false): void {
    if (this.listeners.size === 0) return;
    const pieces = this.parts.map((part) => part.summary?.() ?? {});
    const summary = NodeSummary.parse(Object.assign({ publishedAt: this.clock.now() }, ...pieces));
    this.listeners.emit({ summary, urgent });
  }

  onChanged(listener: (change: { summary: NodeSummary; urgent: boolean }) => void): () => void {
    return this.listeners.add(listener);
  }
}
