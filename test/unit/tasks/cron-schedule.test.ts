import { describe, expect, it } from 'vitest';
import {
  compileSchedule,
  CronScheduler,
  CronStateRepository,
  dueTick,
  nextTickAfter,
  recurringSubmit,
} from '../../../electron/tasks/cron-schedule.js';
import { RecurringTask } from '../../../shared/tasks.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';
import { openTaskDatabase } from './open-task-store.js';

const minute = 60_000;
const midnight = Date.UTC(2026, 0, 1);
const everyFive = RecurringTask.parse({
  id: 'rotate',
  schedule: '*/5 * * * *',
  task: { type: 'sleep', payload: { ms: 1 } },
});

function scheduler(clock: ManualClock, state: CronStateRepository) {
  const fired: number[] = [];
  const cron = new CronScheduler({
    clock,
    state,
    logger: memoryLogger().logger,
    fire: (_definition, tickAt) => fired.push(tickAt - midnight),
  });
  return { cron, fired };
}

describe('recurring schedules', () => {
  it('refuses a bad expression or time zone, naming the field', () => {
    const bad = (input: Partial<RecurringTask>) => {
      try {
        compileSchedule({ ...everyFive, ...input });
      } catch (error) {
        return (error as { issues: Array<{ path: string }> }).issues[0]!.path;
      }
      return 'accepted';
    };
    expect(bad({ schedule: '61 * * * *' })).toBe('schedule');
    expect(bad({ schedule: '* * * *' })).toBe('schedule');
    expect(bad({ timezone: 'Mars/Olympus' })).toBe('timezone');
    expect(bad({ timezone: 'Europe/Stockholm' })).toBe('accepted');
  });

  it('finds the next tick and only the latest missed one', () => {
    const schedule = compileSchedule(everyFive);
    expect(nextTickAfter(schedule, midnight)).toBe(midnight + 5 * minute);
    expect(dueTick(schedule, null, midnight + 7 * minute)).toBeNull();
    expect(dueTick(schedule, midnight, midnight + 4 * minute)).toBeNull();
    expect(dueTick(schedule, midnight, midnight + 5 * minute)).toBe(midnight + 5 * minute);
    expect(dueTick(schedule, midnight, midnight + 23 * minute)).toBe(midnight + 20 * minute);
    expect(dueTick(schedule, midnight + 20 * minute, midnight + 23 * minute)).toBeNull();
  });

  it('fires once per tick, and after a failover catches up only the latest missed tick', async () => {
    const clock = new ManualClock(midnight + 2 * minute);
    const state = new CronStateRepository(openTaskDatabase().db);
    const leader = scheduler(clock, state);
    leader.cron.start([everyFive]);
    await clock.advance(9 * minute);
    expect(leader.fired).toEqual([5 * minute, 10 * minute]);
    leader.cron.stop();

    // 16 minutes without a leader: 15, 20 and 25 are missed; the new leader fires 25 only, then carries on.
    await clock.advance(16 * minute);
    const next = scheduler(clock, state);
    next.cron.start([everyFive]);
    await clock.advance(0);
    expect(next.fired).toEqual([25 * minute]);
    await clock.advance(10 * minute);
    expect(next.fired).toEqual([25 * minute, 30 * minute, 35 * minute]);
    expect(leader.fired).toEqual([5 * minute, 10 * minute]);
  });

  it('gives each tick its own idempotency key, so a tick fired twice makes one task', () => {
    expect(recurringSubmit(everyFive, midnight)).toEqual({
      ...everyFive.task,
      idempotencyKey: `cron:rotate:${midnight}`,
    });
  });
});
