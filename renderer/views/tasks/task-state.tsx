import { TaskState, finishedTaskStates } from '../../../shared/tasks.js';
import { StateBadge, type Tone } from '../../components/state-badge.js';

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

const taskStateTones: Record<TaskState, Tone> = {
  queued: 'waiting',
  scheduled: 'waiting',
  running: 'working',
  retrying: 'warning',
  succeeded: 'good',
  dead: 'broken',
  cancelled: 'aside',
};

export const isFinished = (state: TaskState) => finishedTaskStates.includes(state);

export function TaskStateBadge({ state }: { state: TaskState }) {
  return (
    <StateBadge kind="task-state" state={state} tone={taskStateTones[state]}>
      {taskStateLabels[state]}
    </StateBadge>
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
