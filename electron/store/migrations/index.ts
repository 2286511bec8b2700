import { migration0001 } from './0001-settings.js';
import { migration0002 } from './0002-agent-runs.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [migration0001, migration0002];
