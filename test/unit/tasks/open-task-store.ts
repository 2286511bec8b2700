import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { TaskRepository } from '../../../electron/tasks/task-repository.js';
import { TaskSubmit, type TaskSubmitInput } from '../../../shared/tasks.js';

export const start = Date.UTC(2026, 0, 1);

/** A new database file in its own temp dir, migrated as the agent does it; closed when the test ends. */
export function openTaskDatabase(file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-tasks-')), databaseFileName)) {
  const { db } = openDatabase(file, { now: start });
  onTestFinished(() => {
    if (db.open) db.close();
  });
  return { db, file };
}

export function openRepository(options: { random?: () => number; maxLogLines?: number } = {}): {
  db: Database.Database;
  file: string;
  tasks: TaskRepository;
} {
  const { db, file } = openTaskDatabase();
  const tasks = new TaskRepository(db, {
    random: options.random ?? (() => 0.5),
    maxLogLines: options.maxLogLines ?? 50,
  });
  return { db, file, tasks };
}

export const submit = (input: TaskSubmitInput) => TaskSubmit.parse(input);
