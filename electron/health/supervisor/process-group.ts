import { existsSync } from 'node:fs';
import type { CommandDefinition } from '../../../shared/services.js';
import { errorMessage } from '../../core/errors.js';

/**
 * Sends `signal` to every process in the group led by `pid` (the supervised process is spawned detached, so it
 * leads its own group and its children stay in it). Returns false when no such group is left. Windows has no
 * process groups: there only the process itself is signalled.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** "exited with code 1", "killed by SIGSEGV". */
export const describeExit = (code: number | null, signal: NodeJS.Signals | null): string =>
  code !== null ? `exited with code ${code}` : `killed by ${signal ?? 'an unknown signal'}`;

/** Why spawn failed, in words an operator can act on; Node says "spawn x ENOENT" for a missing cwd too. */
export function describeSpawnError(error: unknown, command: CommandDefinition): string {
  const code = (error as NodeJS.ErrnoException).code;
  const file = command.argv[0] ?? '';
  if (code === 'ENOENT') {
    if (command.cwd !== undefined && !existsSync(command.cwd)) return `working directory not found: ${command.cwd}`;
    return `command not found: ${file} (ENOENT)`;
  }
  if (code === 'EACCES') return `permission denied: ${file} is not executable (EACCES)`;
  return errorMessage(error);
}
