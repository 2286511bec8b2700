import { TaskState, finishedTaskStates } from '../../../shared/tasks.js';

export const taskStates = TaskState.options;

export const taskStateLabels: Record<TaskState, string> = {
  queued: 'Queued',
  scheduled: 'Scheduled',
  running: 'Running',
  retrying: 'Retrying',
  succeeded: 'Succeeded',
  dead: 'Dead letter',
  cancelled: 'Cancelled',
};

export const isFinished = (state: TaskState) => finishedTaskStates.includes(state);

/** A task's state as a coloured badge; `data-state` carries the raw value for tests and styles alike. */
export function TaskStateBadge({ state }: { state: TaskState }) {
  return (
    <span className={`badge task-state task-state-${state}`} data-state={state}>
      {taskStateLabels[state]}
    </span>
  );
}

/** How far a task is, as a bar with its percentage. */
export function TaskProgress({ percent, label }: { percent: number; label: string }) {
  const shown = Math.round(percent);
  return (
    <span className="task-progress">
      <progress value={shown} max={100} aria-label={label} />
      <span className="task-progress-value">{shown} %</span>
    </span>
  );
}
