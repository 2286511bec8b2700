import type { CommandDefinition } from '../../shared/services.js';
import type { TasksConfig } from '../../shared/tasks.js';
import type { Clock } from '../core/clock.js';
import { TaskTypeRegistry } from './task-types.js';
import { checkTask, type RunCheckNow } from './types/check-task.js';
import { execTask } from './types/exec-task.js';
import { httpTask } from './types/http-task.js';
import { sleepTask } from './types/sleep-task.js';

export interface BuiltinTaskTypeDeps {
  clock: Clock;
  commands: Readonly<Record<string, CommandDefinition>>;
  config: Pick<TasksConfig, 'execArgs' | 'maxOutputChars'>;
  runCheck: RunCheckNow;
}

/** A registry with `sleep`, `exec`, `http` and `check`; plugins register more on it. */
export function builtinTaskTypes(deps: BuiltinTaskTypeDeps): TaskTypeRegistry {
  const { maxOutputChars, execArgs } = deps.config;
  return new TaskTypeRegistry([
    sleepTask(deps.clock),
    execTask({ commands: deps.commands, execArgs, maxOutputChars }),
    httpTask(maxOutputChars),
    checkTask(deps.runCheck),
  ]);
}
