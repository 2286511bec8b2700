import { spawn } from 'node:child_process';
import type { CommandDefinition } from '../../shared/services.js';
import { describeSpawnError, signalGroup } from '../health/supervisor/process-group.js';

export interface CommandRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The end of stdout and stderr as they interleaved, at most `maxOutputChars`. */
  output: string;
  truncated: boolean;
}

export interface RunCommandOptions {
  signal: AbortSignal;
  maxOutputChars: number;
  /** Each complete output line, as it arrives. */
  onLine?: (line: string) => void;
}

/**
 * Runs a command of the node's own config with extra arguments, without a shell, as the leader of a new process
 * group. On abort, and once it exits, the whole group is killed (what it started in the background too); the promise
 * then rejects with the signal's reason. Only the end of the output is kept.
 */
export function runCommand(
  command: CommandDefinition,
  extraArgs: readonly string[],
  options: RunCommandOptions,
): Promise<CommandRun> {
  const { signal, maxOutputChars, onLine } = options;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const [file = '', ...args] = command.argv;
    const child = spawn(file, [...args, ...extraArgs], {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let output = '';
    let truncated = false;
    const collect = (stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output += chunk;
        if (output.length > maxOutputChars) {
          output = output.slice(-maxOutputChars);
          truncated = true;
        }
        if (!onLine) return;
        const lines = (partial + chunk).split(/\r?\n/);
        partial = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      stream.on('end', () => {
        if (partial !== '') onLine?.(partial);
      });
    };
    collect(child.stdout);
    collect(child.stderr);

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        signalGroup(child.pid, 'SIGKILL');
      } catch {
        // EPERM: the group is no longer ours to signal.
      }
    };
    const onAbort = () => {
      killGroup();
      // A process that left the group may still hold the pipes; 'close' must not wait for it.
      child.stdout.destroy();
      child.stderr.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(describeSpawnError(error, command)));
    });
    child.on('exit', killGroup);
    child.on('close', (exitCode, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason as Error);
      else resolve({ exitCode, signal: exitSignal, output, truncated });
    });
  });
}
