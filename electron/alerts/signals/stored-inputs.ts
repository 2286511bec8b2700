import type { CapabilityContext } from '../../agent/capability.js';
import { historyRetention } from '../../config/history-retention.js';
import { ResourceHistoryRepository } from '../../store/resource-history-repository.js';
import { TaskRepository } from '../../tasks/task-repository.js';
import type { ConditionInputs } from '../evaluate-condition.js';
import type { SignalHistory } from '../rule-preview.js';
import { StoredSignals } from './stored-signals.js';

/** The preview's points: one a minute over 24 h, whatever the sampling interval. */
const PREVIEW_MAX_POINTS = 1_441;

/** The inputs rules read from this node's database (check runs, the task queue) and the history previews replay. */
export function storedInputs(context: Pick<CapabilityContext, 'store' | 'clock' | 'config' | 'random'>): {
  inputs: Pick<ConditionInputs, 'checkRuns' | 'taskCounts'>;
  history: SignalHistory;
} {
  const { store, clock, config } = context;
  const signals = store.repository((db) => new StoredSignals(db));
  const resources = store.repository((db) => new ResourceHistoryRepository(db));
  const tasks = store.repository(
    (db) => new TaskRepository(db, { random: context.random, maxLogLines: config.tasks.maxLogLines }),
  );
  const { rawMs } = historyRetention(config.history);
  return {
    inputs: {
      checkRuns: (sinceMs) => signals.checkRuns(sinceMs),
      taskCounts: () => ({ waiting: tasks.queueLength().waiting, dead: tasks.stats(clock.now(), 0).counts.dead }),
    },
    history: {
      resources: (fromMs, toMs) => resources.history(fromMs, toMs, rawMs, clock.now(), PREVIEW_MAX_POINTS),
      checkMinutes: (fromMs, toMs) => signals.checkMinutes(fromMs, toMs),
      logMatchTimes: (patternId, fromMs, toMs) => signals.logMatchTimes(patternId, fromMs, toMs),
    },
  };
}
