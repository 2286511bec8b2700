import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
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

/**
 * Spawns a command of the node's own config (never a shell) with extra arguments, as the leader of a new process
 * group. The whole group is killed when `signal` aborts and once the leader exits, so what it started in the
 * background cannot outlive it (or hold its pipes open). Call `release()` when the run has settled.
 */
export function spawnCommandGroup(
  command: CommandDefinition,
  extraArgs: readonly string[],
  signal: AbortSignal,
): { child: ChildProcessByStdio<null, Readable, Readable>; release: () => void } {
  const [file = '', ...args] = command.argv;
  const child = spawn(file, [...args, ...extraArgs], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      signalGroup(child.pid, 'SIGKILL');
    } catch {
      // EPERM: the group is no longer ours to signal; nothing more can be done from here.
    }
  };
  const onAbort = () => {
    killGroup();
    // A process that left the group may still hold the pipes; 'close' must not wait for it.
    child.stdout.destroy();
    child.stderr.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  child.on('exit', killGroup);
  return { child, release: () => signal.removeEventListener('abort', onAbort) };
}

/** What runs under a pid the supervisor recorded, as far as this platform can tell. */
export type RecordedProcess =
  | { status: 'gone' }
  /** Alive, leads its own process group and runs the recorded argv: the supervisor's own process. */
  | { status: 'ours' }
  /** The pid was reused (or never was ours): it must not be signalled. */
  | { status: 'other'; reason: string }
  /** Alive, but there is no /proc to tell whose it is: it must not be signalled either. */
  | { status: 'unverifiable'; reason: string };

const readProc = (procRoot: string, pid: number, file: string): string | null => {
  try {
    return readFileSync(join(procRoot, String(pid), file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/**
 * Whether `pid` is still the detached process started with `argv`. Pids are reused, so nothing short of the
 * command line (Linux: `/proc/<pid>/cmdline`) counts as proof; a zombie counts as gone.
 */
export function inspectRecordedProcess(pid: number, argv: readonly string[], procRoot = '/proc'): RecordedProcess {
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { status: 'gone' };
    if (code === 'EPERM') return { status: 'other', reason: 'it belongs to another user' };
    throw error;
  }
  if (process.platform !== 'linux' || !existsSync(join(procRoot, 'self', 'stat'))) {
    return { status: 'unverifiable', reason: `no ${procRoot} to read its command line from` };
  }
  const stat = readProc(procRoot, pid, 'stat');
  if (stat === null) return { status: 'gone' };
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse from the last ')'.
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (state === 'Z' || state === 'X') return { status: 'gone' };
  if (Number(pgrp) !== pid) return { status: 'other', reason: `it is not a process group leader (group ${pgrp})` };
  const cmdline = readProc(procRoot, pid, 'cmdline');
  if (cmdline === null) return { status: 'gone' };
  const running = cmdline.split('\0');
  if (running.at(-1) === '') running.pop();
  if (!runsArgv(running, argv)) return { status: 'other', reason: `it runs ${JSON.stringify(running)}` };
  return { status: 'ours' };
}

/**
 * The command line equals the argv, or is a script's argv behind its `#!` interpreter (and its one optional
 * argument), where the kernel shows the script as the path it was executed from.
 */
function runsArgv(running: readonly string[], argv: readonly string[]): boolean {
  const [file, ...args] = argv;
  if (file === undefined) return false;
  const sameArgs = (from: number) =>
    running.length - from === args.length && args.every((a, i) => running[from + i] === a);
  if (running[0] === file && sameArgs(1)) return true;
  for (const interpreterArgs of [1, 2]) {
    const script = running[interpreterArgs];
    const scriptMatches = script === file || (!file.includes('/') && script?.endsWith(`/${file}`) === true);
    if (scriptMatches && sameArgs(interpreterArgs + 1)) return true;
  }
  return false;
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
