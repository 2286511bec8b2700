import type { TaskState, TaskStats } from '../../../shared/tasks.js';
import { formatCount } from '../../format/numbers.js';
import { taskStateLabels, taskStates } from './task-state.js';

/** How many tasks are in each state, each a chip that shows only those tasks (again: all of them). */
export function TaskCounts({
  stats,
  shown,
  onShow,
}: {
  stats: TaskStats | null;
  shown: TaskState | null;
  onShow(state: TaskState | null): void;
}) {
  const count = (state: TaskState) => stats?.counts[state] ?? 0;
  const total = taskStates.reduce((sum, state) => sum + count(state), 0);
  const chip = (state: TaskState | null, label: string, value: number) => (
    <button
      key={state ?? 'all'}
      type="button"
      className={`task-count${state ? ` task-count-${state}` : ''}`}
      aria-pressed={shown === state}
      data-testid={`task-count-${state ?? 'all'}`}
      onClick={() => onShow(shown === state ? null : state)}
    >
      <span className="task-count-label">{label}</span>
      <span className="task-count-value">{stats ? formatCount(value) : '–'}</span>
    </button>
  );
  return (
    <div className="task-counts" role="group" aria-label="Show tasks by state">
      {chip(null, 'All', total)}
      {taskStates.map((state) => chip(state, taskStateLabels[state], count(state)))}
    </div>
  );
}
