import type { CommandDefinition } from '../../shared/services.js';
import { describeSpawnError, spawnCommandGroup } from '../health/supervisor/process-group.js';

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
    const { child, release } = spawnCommandGroup(command, extraArgs, signal);
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

    child.on('error', (error) => {
      release();
      reject(new Error(describeSpawnError(error, command)));
    });
    child.on('close', (exitCode, exitSignal) => {
      release();
      if (signal.aborted) reject(signal.reason as Error);
      else resolve({ exitCode, signal: exitSignal, output, truncated });
    });
  });
}
