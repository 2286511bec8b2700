import type { Member } from '../../shared/node.js';
import type { TaskSubmit } from '../../shared/tasks.js';
import type { FleetMember } from './placement.js';

/** The command an `exec` task names, if it is one. */
export const execCommandOf = (task: Pick<TaskSubmit, 'type' | 'payload'>): string | null => {
  if (task.type !== 'exec' || typeof task.payload !== 'object' || task.payload === null) return null;
  const command = (task.payload as { command?: unknown }).command;
  return typeof command === 'string' ? command : null;
};

/**
 * Whether a member can run the task, as far as its published summary tells: it runs the type, and for `exec` it
 * defines the command (a member that has not published its commands yet is not given an exec task).
 */
export function canRun(member: Member, task: Pick<TaskSubmit, 'type' | 'payload'>): boolean {
  const published = member.summary?.tasks;
  if (published?.types && !published.types.includes(task.type)) return false;
  const command = execCommandOf(task);
  return command === null || (published?.commands?.includes(command) ?? false);
}

/** What the leader counts itself for a member: fleet tasks assigned to it and not done, by type. */
export interface AssignedLoad {
  running: number;
  byType: Record<string, number>;
}

const healthOf = (health: string | undefined): FleetMember['health'] =>
  health === 'passing' || health === 'warning' || health === 'critical'
    ? health
    : health === 'flapping'
      ? 'warning'
      : 'unknown';

/** A member as placement sees it: its published summary, the leader's own count, and learned durations. */
export function fleetMemberOf(
  member: Member,
  now: number,
  load: AssignedLoad,
  durations: Readonly<Record<string, number>>,
): FleetMember {
  const summary = member.summary;
  const tasks = summary?.tasks;
  return {
    id: member.id,
    labels: member.labels,
    weight: tasks?.weight ?? 1,
    health: healthOf(summary?.health),
    summaryAgeMs: summary ? Math.max(0, now - summary.publishedAt) : Number.POSITIVE_INFINITY,
    // The summary lags; what the leader assigned itself is known at once.
    running: Math.max(tasks?.running ?? 0, load.running),
    queueLength: tasks?.waiting ?? 0,
    concurrency: tasks?.concurrency ?? 1,
    cpu: (summary?.cpuPercent ?? 0) / 100,
    memory: (summary?.memoryPercent ?? 0) / 100,
    ...(tasks?.types ? { types: tasks.types } : {}),
    ...(tasks?.perType ? { perType: tasks.perType } : {}),
    runningByType: load.byType,
    durations,
  };
}
