import { describe, expect, it } from 'vitest';
import { migrateTo, newDatabase, queryPlan, rowsOf, tableRows, tablesOf } from './migrate-to.js';
import { insertUserData } from './user-data.js';

const taskTables = ['task_attempts', 'task_cron_state', 'task_logs', 'tasks'];

describe('migration 13 (tasks)', () => {
  it('adds the task queue tables to a version-12 database and keeps its data', () => {
    const db = newDatabase();
    migrateTo(db, 12);
    const before = insertUserData(db);
    const sequence = rowsOf(db, 'sqlite_sequence');
    const tables = tablesOf(db);

    expect(migrateTo(db, 13)).toEqual({ from: 12, to: 13, applied: ['13 tasks'] });
    expect(tablesOf(db)).toEqual([...tables, ...taskTables].sort());
    expect(tableRows(db, Object.keys(before))).toEqual(before);
    expect(rowsOf(db, 'sqlite_sequence')).toEqual(sequence);
    expect(tableRows(db, taskTables)).toEqual(Object.fromEntries(taskTables.map((table) => [table, []])));
  });

  it('keeps one task per idempotency key, a lease on every running task, a fleet flag and nothing else', () => {
    const db = newDatabase();
    migrateTo(db, 13);
    const insert = db.prepare(
      `INSERT INTO tasks (id, type, payload, priority, max_attempts, timeout_ms, backoff_base_ms, backoff_cap_ms,
         idempotency_key, grp, target, state, run_at, created_at, updated_at, lease_owner, lease_until)
       VALUES (?, 'sleep', '{}', 0, 3, 1000, 100, 1000, ?, 'default', 'local', ?, 0, 0, 0, ?, ?)`,
    );
    insert.run('a', 'key', 'queued', null, null);
    expect(() => insert.run('b', 'key', 'queued', null, null)).toThrow(
      'UNIQUE constraint failed: tasks.idempotency_key',
    );
    expect(() => insert.run('c', null, 'running', null, null)).toThrow('CHECK constraint failed');
    expect(() => insert.run('d', null, 'queued', 'worker', 5)).toThrow('CHECK constraint failed');
    expect(() => insert.run('e', null, 'scheduled', null, null)).toThrow('CHECK constraint failed');
    insert.run('f', null, 'running', 'worker', 5);
    // A task is a node's own unless marked as a fleet task (0 or 1, nothing else).
    expect(db.prepare(`SELECT fleet FROM tasks WHERE id = 'a'`).get()).toEqual({ fleet: 0 });
    expect(() => db.prepare(`UPDATE tasks SET fleet = 2 WHERE id = 'a'`).run()).toThrow('CHECK constraint failed');

    // Deleting a task takes its attempts and log lines with it.
    const seq = (db.prepare(`SELECT seq FROM tasks WHERE id = 'f'`).get() as { seq: number }).seq;
    db.prepare(`INSERT INTO task_attempts (task_seq, number, node, started_at) VALUES (?, 1, 'n', 0)`).run(seq);
    db.prepare(`INSERT INTO task_logs (task_seq, at, line) VALUES (?, 0, 'hello')`).run(seq);
    db.prepare(`DELETE FROM tasks WHERE id = 'f'`).run();
    expect(tableRows(db, ['task_attempts', 'task_logs'])).toEqual({ task_attempts: [], task_logs: [] });
  });

  it('answers the claim, lease and dead-letter queries from indexes', () => {
    const db = newDatabase();
    migrateTo(db, 13);
    const candidates = queryPlan(
      db,
      `SELECT seq FROM tasks WHERE grp = 'g' AND state IN ('queued', 'retrying') AND run_at <= 5
       ORDER BY priority DESC, seq LIMIT 10`,
    );
    expect(candidates).toContain('USING INDEX tasks_waiting (grp=?)');
    expect(candidates).not.toContain('TEMP B-TREE');
    expect(queryPlan(db, `SELECT * FROM tasks WHERE state = 'running' AND lease_until < 5`)).toContain(
      'USING INDEX tasks_running (lease_until<?)',
    );
    const dead = queryPlan(
      db,
      `SELECT * FROM tasks WHERE state IN ('dead', 'cancelled') AND state = 'dead' ORDER BY seq DESC LIMIT 100`,
    );
    expect(dead).toContain('USING INDEX tasks_stopped (state=?)');
    expect(dead).not.toContain('TEMP B-TREE');
  });
});
