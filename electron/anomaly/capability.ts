import type { CapabilityContext, CapabilityLifecycle } from '../agent/capability.js';
import { repeat } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { ServiceSignalSource } from '../service-metrics/service-signal-source.js';
import { AnomalyDetector } from './anomaly-detector.js';
import { BaselineRepository } from './baseline-repository.js';

/** New minutes are looked for this often: a minute is judged within this long of being complete. */
const TICK_MS = 15_000;
/** Baselines are written this often (and at stop); a crash loses nothing, the stored minutes are learnt again. */
const SAVE_EVERY_MS = 5 * 60_000;

/** Anomaly detection on every service's signals: baselines learnt from the stored minutes, read by alert rules. */
export function createAnomalyCapability(context: CapabilityContext, source: ServiceSignalSource) {
  const { clock, store } = context;
  const logger = context.logger('anomaly');
  const detector = new AnomalyDetector({ source, baselines: store.repository((db) => new BaselineRepository(db)) });
  const stops: Array<() => void> = [];
  const guarded = (what: string, run: () => void) => () => {
    try {
      run();
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, `${what} failed`);
    }
  };
  const tick = guarded('learning', () => detector.tick(clock.now()));
  const save = guarded('saving baselines', () => detector.save(clock.now()));

  return {
    name: 'anomaly',
    handlers: {},
    detector,
    start() {
      tick();
      stops.push(repeat(clock, TICK_MS, tick), repeat(clock, SAVE_EVERY_MS, save));
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
      save();
    },
  } satisfies CapabilityLifecycle & { handlers: object; detector: AnomalyDetector };
}
