import type { Migration } from './migration.js';

/**
 * The node's durable task queue. `seq` orders submission (FIFO within a priority; not AUTOINCREMENT, which costs a
 * write per insert: a reused seq can only follow a pruned finished task); `id` is the task's public id.
 * Only `queued` and `retrying` wait for a claim, from `run_at` on (`scheduled` is `queued` with `run_at` ahead,
 * told apart when read). A running task holds a lease (`lease_owner`, `lease_until`); an expired lease means its
 * worker died and the task is run again. A fleet task keeps the id its record has in the
 * coordination backend. Attempts and log lines hang off the task and go with it.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'tasks',
  up(db) {
    db.exec(`
      CREATE TABLE tasks (
        seq              INTEGER PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        type             TEXT NOT NULL,
        payload          TEXT NOT NULL,
        priority         INTEGER NOT NULL,
        max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
        timeout_ms       INTEGER NOT NULL CHECK (timeout_ms >= 1),
        backoff_base_ms  INTEGER NOT NULL,
        backoff_cap_ms   INTEGER NOT NULL,
        not_before       INTEGER,
        idempotency_key  TEXT,
        grp              TEXT NOT NULL,
        target           TEXT NOT NULL,
        -- 1: a fleet task the leader placed here; its record in the coordination backend says who holds it.
        fleet            INTEGER NOT NULL DEFAULT 0 CHECK (fleet IN (0, 1)),
        state            TEXT NOT NULL
                         CHECK (state IN ('queued', 'running', 'retrying', 'succeeded', 'dead', 'cancelled')),
        run_at           INTEGER NOT NULL,
        attempt_count    INTEGER NOT NULL DEFAULT 0,
        lease_owner      TEXT,
        lease_until      INTEGER,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        node             TEXT,
        progress         REAL NOT NULL DEFAULT 0,
        result           TEXT,
        error            TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        finished_at      INTEGER,
        CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL))
      ) STRICT;
      -- Every index below is a page written per commit, so each covers only the states it is for: a submit touches
      -- the table, the id and tasks_waiting; a success the table, tasks_running and the attempt.
      CREATE UNIQUE INDEX tasks_idempotency ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
      -- Claiming: per fairness group, the best waiting task first (also when the next one is due, by a scan).
      CREATE INDEX tasks_waiting ON tasks (grp, priority DESC, seq) WHERE state IN ('queued', 'retrying');
      -- Leases, limits and counts of the running tasks (few: at most the workers' concurrency).
      CREATE INDEX tasks_running ON tasks (lease_until) WHERE state = 'running';
      -- Listing the rare end states newest first (dead letters); succeeded tasks are the common case, read by seq.
      CREATE INDEX tasks_stopped ON tasks (state, seq) WHERE state IN ('dead', 'cancelled');

      CREATE TABLE task_attempts (
        task_seq   INTEGER NOT NULL REFERENCES tasks (seq) ON DELETE CASCADE,
        number     INTEGER NOT NULL CHECK (number >= 1),
        node       TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at   INTEGER,
        -- Monotonic duration, so a wall-clock step does not distort throughput charts.
        duration_ms REAL,
        error      TEXT,
        succeeded  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (task_seq, number)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX task_attempts_by_end ON task_attempts (ended_at) WHERE ended_at IS NOT NULL;

      CREATE TABLE task_logs (
        id       INTEGER PRIMARY KEY,
        task_seq INTEGER NOT NULL REFERENCES tasks (seq) ON DELETE CASCADE,
        at       INTEGER NOT NULL,
        line     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX task_logs_by_task ON task_logs (task_seq, id);

      -- The last tick each recurring definition fired, so a restart catches up at most one missed tick.
      CREATE TABLE task_cron_state (
        id             TEXT PRIMARY KEY,
        last_fired_at  INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
