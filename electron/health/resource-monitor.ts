import type { ResourceSample } from '../../shared/node.js';
import type { Clock } from '../core/clock.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';

/** Takes one sample of this machine's resources. */
export type ResourceProbe = () => Promise<ResourceSample>;

/** Samples resources at a fixed interval, one sample at a time (a slow probe delays, never overlaps). */
export class ResourceMonitor {
  private latestSample: ResourceSample | null = null;
  private cancel: (() => void) | null = null;
  private running = false;
  private readonly samples: Listeners<ResourceSample>;

  constructor(private readonly options: { probe: ResourceProbe; clock: Clock; intervalMs: number; logger: Logger }) {
    this.samples = new Listeners((error) => options.logger.error({ err: error }, 'a sample listener failed'));
  }

  latest(): ResourceSample | null {
    return this.latestSample;
  }

  onSample(listener: (sample: ResourceSample) => void): () => void {
    return this.samples.add(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }

  private async tick(): Promise<void> {
    try {
      const sample = await this.options.probe();
      if (!this.running) return;
      this.latestSample = sample;
      this.samples.emit(sample);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'resource sample failed');
    }
    if (this.running) this.cancel = this.options.clock.setTimer(() => void this.tick(), this.options.intervalMs);
  }
}
