import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandDefinition, Supervision, SupervisorState } from '../../shared/services.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { Listeners } from '../core/listeners.js';
import { componentLogger, type Logger } from '../core/logger.js';
import { fullJitterBackoff } from './backoff.js';
import { describeExit, describeSpawnError, inspectRecordedProcess, signalGroup } from './supervisor/process-group.js';
import type { SupervisorEventKind, SupervisorEventsStore } from './health-stores.js';

export interface SupervisorOptions {
  serviceId: string;
  supervision: Supervision;
  /** Resolved by the caller from the node's own config (`commands:`); never from the network. */
  command: CommandDefinition;
  /** stdout and stderr are appended here, for the log analyser to tail. */
  logFile: string;
  clock: Clock;
  /** In [0, 1): the jitter source for restart delays. */
  random: () => number;
  logger: Logger;
  /** Persisted history of starts, exits, restarts, give-ups and stops, and the process running now. */
  events?: SupervisorEventsStore;
  /** Where process command lines are read to recognise an orphan (`/proc`); without it none is ever killed. */
  procRoot?: string;
}

/** One spawned process, or one attempt that failed to spawn (pid null). */
interface Run {
  readonly pid: number | null;
  /** Resolves with a one-line description once the process has exited or failed to start. */
  readonly ended: Promise<string>;
  readonly resolveEnded: (description: string) => void;
  done: boolean;
  /** The supervisor ends this run itself (stop, restart): its exit is not a crash. */
  ending: boolean;
  /** The stop timeout ran out and the group got SIGKILL. */
  killedAfterTimeout: boolean;
}

/** Reasons come from callers (a check's output): keep events and log markers to one bounded line. */
const oneLine = (text: string, max = 500): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const marker = (text: string): string => `--- fleetdeck: ${text} ---\n`;

/** How often the end of an orphan (not our child: no exit event) is looked for, in real time. */
const orphanPollMs = 50;
/** How long an orphan may take to vanish after SIGKILL before the new process is started anyway. */
const orphanKillGraceMs = 5000;

/**
 * Keeps one configured command running for a service.
 *
 * - The command is spawned without a shell, detached, so it leads its own process group; stdin is ignored and
 *   stdout/stderr go straight to `logFile` (opened in append mode, so it survives restarts and can be tailed).
 *   A marker line is appended on every start and exit.
 * - Exits on its own (or fails to spawn): `lastExit` says how, and after `fullJitterBackoff(n, backoffBaseMs,
 *   backoffMaxMs, random)` it is started again (state `backoff` meanwhile), where n is the number of restarts
 *   already counted in the window (0 for the first).
 * - The window is sliding: a restart counts for `restartWindowMs` from the moment it was decided (the exit, or the
 *   `restart()` call). When the process exits while `maxRestarts` restarts are counted, or `restart()` is asked for
 *   then, the supervisor gives up: state `failed`, a `give-up` event and an error log line. `restarts` in the state
 *   is that count, so it falls back as restarts age out: a process that stays up for the whole window since its
 *   last restart has a count of 0 again.
 * - `stop()` and `restart()` send SIGTERM to the process group, then SIGKILL after `stopTimeoutMs`. Once the main
 *   process is gone, whatever is left in its group (however it ended) is SIGKILLed: orphans must never run beside
 *   the next start.
 * - With `events`, the running process's pid and argv are stored until its end is seen. If the agent died without
 *   stopping it (the detached group outlives it), the next `start()` for the service finds that record: a process
 *   that is alive, leads its group and runs the recorded argv (Linux: `/proc/<pid>/cmdline`) is ended like `stop()`
 *   would, group included, before the new one starts. Anything else under that pid is left alone: pids are reused,
 *   and without /proc there is no proof, so only a warning is logged.
 */
export class Supervisor {
  private status: SupervisorState;
  private readonly changes: Listeners<SupervisorState>;
  private readonly logger: Logger;
  /** Whether the service should be up: start() sets it; stop() and giving up clear it. */
  private wanted = false;
  private run: Run | null = null;
  /** When each restart still inside the window was decided, oldest first. */
  private restartTimes: number[] = [];
  private cancelBackoff: (() => void) | null = null;
  private cancelExpiry: (() => void) | null = null;
  private stopping: Promise<void> | null = null;
  private restarting: Promise<void> | null = null;
  /** Ending a process left behind by an earlier agent; the new one starts once it is gone. */
  private endingOrphan: Promise<void> | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.logger = componentLogger(options.logger, 'supervisor').child({ serviceId: options.serviceId });
    this.changes = new Listeners((error) => this.logger.error({ err: error }, 'a supervisor listener failed'));
    this.status = { state: 'stopped', pid: null, restarts: 0, lastExit: null, logFile: options.logFile };
  }

  state(): SupervisorState {
    return { ...this.status };
  }

  onChange(listener: (state: SupervisorState) => void): () => void {
    return this.changes.add(listener);
  }

  /** Starts the command unless it is already supervised; a start after stop or give-up begins with a clean count. */
  start(): void {
    if (this.stopping) {
      void this.stopping.then(() => this.start());
      return;
    }
    if (this.wanted) return;
    this.wanted = true;
    this.restartTimes = [];
    const orphan = this.findOrphan();
    if (!orphan) {
      this.launch({ restarts: 0 });
      return;
    }
    this.update({ state: 'starting', pid: null, restarts: 0 });
    this.endingOrphan = this.endOrphan(orphan).finally(() => {
      this.endingOrphan = null;
      if (this.wanted && !this.run) this.launch();
    });
  }

  /** SIGTERM to the process group, SIGKILL after `stopTimeoutMs`; resolves once the process is gone. No restart follows. */
  stop(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    this.stopping ??= this.finishStop().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  /**
   * Replaces the running process (e.g. its service's check went critical; the caller checks `restartOnCritical`).
   * It counts as a restart in the window; when none are left the supervisor stops the process and gives up.
   * During a backoff it only cuts the wait short. Ignored when the service is stopped or failed.
   */
  restart(reason: string): Promise<void> {
    if (this.restarting) return this.restarting;
    if (this.endingOrphan) {
      this.logger.info({ reason }, 'restart ignored: a fresh process starts once the orphan of an earlier run is gone');
      return this.endingOrphan;
    }
    if (!this.wanted) {
      this.logger.info({ reason, state: this.status.state }, 'restart ignored: the service is not being supervised');
      return Promise.resolve();
    }
    this.restarting = this.replace(oneLine(reason)).finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  private async finishStop(): Promise<void> {
    // A restart in flight ends the old process itself and, seeing `wanted` cleared, does not spawn a new one.
    if (this.restarting) await this.restarting;
    // An orphan found by start() is ended whatever happens next; nothing new is started after it.
    const duringOrphanEnd = this.endingOrphan !== null;
    if (this.endingOrphan) await this.endingOrphan;
    const run = this.run;
    if (!run && (this.status.state === 'stopped' || this.status.state === 'failed')) return;
    let detail = this.status.state === 'backoff' ? 'stopped while waiting to restart' : 'stopped during a restart';
    if (duringOrphanEnd) detail = 'stopped before the process started';
    if (run) {
      const exit = await this.terminate(run);
      detail = run.pid === null ? `stopped before the process started: ${exit}` : `stopped pid ${run.pid}: ${exit}`;
      this.update({ state: 'stopped', pid: null, lastExit: exit });
    } else {
      this.update({ state: 'stopped', pid: null });
    }
    this.record('stop', detail);
    this.logger.info({ detail }, 'supervised service stopped');
  }

  private async replace(reason: string): Promise<void> {
    const { clock, supervision } = this.options;
    if (this.status.state === 'backoff') {
      // This restart was counted when the process exited; the request only skips the rest of the wait.
      this.cancelBackoff?.();
      this.cancelBackoff = null;
      this.logger.info({ reason }, 'restarting now instead of waiting out the backoff');
      this.launch();
      return;
    }
    this.expireRestarts(clock.now());
    const allowed = this.restartTimes.length < supervision.maxRestarts;
    if (allowed) this.restartTimes.push(clock.now());
    this.update({ restarts: this.restartTimes.length });
    if (allowed) {
      this.scheduleExpiry();
      this.record('restart', `${this.restartCount()}, requested: ${reason}`);
      this.logger.info({ reason, restarts: this.restartTimes.length }, 'restarting supervised service');
    }
    const run = this.run;
    let lastExit = this.status.lastExit;
    if (run) {
      lastExit = await this.terminate(run);
      const what = run.pid === null ? lastExit : `pid ${run.pid} ${lastExit}`;
      this.record('exit', `${what} (${allowed ? 'restart' : 'no restarts left'}: ${reason})`);
    }
    if (!this.wanted) {
      // stop() came in while the old process was ending; it goes on from here and sets the state.
      this.update({ pid: null, lastExit });
      return;
    }
    if (allowed) this.launch({ lastExit });
    else this.giveUp(`restart requested: ${reason}`, lastExit);
  }

  private launch(patch: Partial<SupervisorState> = {}): void {
    const { command, logFile } = this.options;
    const [file, ...args] = command.argv;
    let fd: number | null = null;
    let child: ChildProcess;
    try {
      if (file === undefined) throw new Error('the command has an empty argv');
      mkdirSync(dirname(logFile), { recursive: true });
      fd = openSync(logFile, 'a');
      child = spawn(file, args, {
        cwd: command.cwd,
        env: { ...process.env, ...command.env },
        detached: true,
        stdio: ['ignore', fd, fd],
        windowsHide: true,
      });
    } catch (error) {
      // The log file cannot be opened, or Node refused the arguments: counts as an exit like any spawn error.
      if (fd !== null) closeSync(fd);
      const run = this.newRun(null);
      this.run = run;
      this.update({ ...patch, state: 'starting', pid: null });
      this.ended(run, `could not start: ${errorMessage(error)}`);
      return;
    }
    const pid = child.pid ?? null;
    const run = this.newRun(pid);
    this.run = run;
    this.update({ ...patch, state: 'starting', pid });
    if (pid !== null) this.writeMarker(fd, `started pid ${pid}`);
    // The child has its own copy of the descriptor; ours would only keep the file open.
    closeSync(fd);
    child.once('spawn', () => {
      if (this.run === run && this.status.state === 'starting') this.update({ state: 'running' });
    });
    child.once('exit', (code, signal) => this.ended(run, describeExit(code, signal)));
    child.on('error', (error) => {
      if (pid === null) this.ended(run, `could not start: ${describeSpawnError(error, command)}`);
      else this.logger.warn({ err: error, pid }, 'supervised process reported an error');
    });
    if (pid !== null) {
      this.rememberProcess(pid);
      this.record('start', `pid ${pid}`);
      this.logger.info({ pid, command: this.options.supervision.command }, 'supervised process started');
    }
  }

  private newRun(pid: number | null): Run {
    let resolveEnded!: (description: string) => void;
    const ended = new Promise<string>((resolve) => (resolveEnded = resolve));
    return { pid, ended, resolveEnded, done: false, ending: false, killedAfterTimeout: false };
  }

  /** The run's process exited (or never started): clean up its group, then restart, give up, or let stop/restart go on. */
  private ended(run: Run, exit: string): void {
    if (run.done) return;
    run.done = true;
    // The group leader is gone: anything left in its group is orphaned and must not run beside the next start.
    if (run.pid !== null) {
      this.signal(run.pid, 'SIGKILL');
      this.forgetProcess(run.pid);
    }
    const description = run.killedAfterTimeout
      ? `${exit} after the ${this.options.supervision.stopTimeoutMs} ms stop timeout`
      : exit;
    const what = run.pid === null ? description : `pid ${run.pid} ${description}`;
    this.appendMarker(what);
    if (this.run === run) this.run = null;
    run.resolveEnded(description);
    if (run.ending) return;
    this.record('exit', what);
    this.logger.warn({ pid: run.pid, exit: description }, 'supervised process exited');
    if (this.wanted) this.scheduleRestart(description);
    else this.update({ pid: null, lastExit: description });
  }

  private scheduleRestart(lastExit: string): void {
    const { clock, random, supervision } = this.options;
    this.expireRestarts(clock.now());
    if (this.restartTimes.length >= supervision.maxRestarts) {
      this.giveUp(lastExit, lastExit);
      return;
    }
    const delayMs = fullJitterBackoff(
      this.restartTimes.length,
      supervision.backoffBaseMs,
      supervision.backoffMaxMs,
      random,
    );
    this.restartTimes.push(clock.now());
    this.update({ state: 'backoff', pid: null, lastExit, restarts: this.restartTimes.length });
    this.scheduleExpiry();
    this.record('restart', `${this.restartCount()}, after a ${Math.round(delayMs)} ms backoff: ${lastExit}`);
    this.logger.info({ delayMs: Math.round(delayMs), restarts: this.restartTimes.length }, 'restart scheduled');
    this.cancelBackoff = clock.setTimer(() => {
      this.cancelBackoff = null;
      if (this.wanted) this.launch();
    }, delayMs);
  }

  /** `why`: what ended the last run (an exit, or a restart request); `lastExit`: how its process ended. */
  private giveUp(why: string, lastExit: string | null): void {
    this.wanted = false;
    this.clearTimers();
    const { restartWindowMs } = this.options.supervision;
    const restarts = this.restartTimes.length;
    const detail = `gave up after ${restarts} restarts within ${restartWindowMs} ms; last: ${why}`;
    this.update({ state: 'failed', pid: null, lastExit, restarts });
    this.record('give-up', detail);
    this.appendMarker(detail);
    this.logger.error(
      { restarts, restartWindowMs, last: why, logFile: this.options.logFile },
      'supervised service keeps failing; gave up restarting it',
    );
  }

  /** SIGTERM now, SIGKILL after the stop timeout; resolves with how the process ended. */
  private terminate(run: Run): Promise<string> {
    if (run.ending || run.done) {
      run.ending = true;
      return run.ended;
    }
    run.ending = true;
    const pid = run.pid;
    if (pid === null) return run.ended; // a failed spawn reports itself on the next tick
    const { clock, supervision } = this.options;
    this.signal(pid, 'SIGTERM');
    const cancelKill = clock.setTimer(() => {
      if (run.done) return;
      run.killedAfterTimeout = true;
      this.logger.warn({ pid, stopTimeoutMs: supervision.stopTimeoutMs }, 'no exit after SIGTERM; sending SIGKILL');
      this.signal(pid, 'SIGKILL');
    }, supervision.stopTimeoutMs);
    void run.ended.then(cancelKill);
    return run.ended;
  }

  private signal(pid: number, signal: NodeJS.Signals): void {
    try {
      signalGroup(pid, signal);
    } catch (error) {
      this.logger.warn({ err: error, pid, signal }, 'could not signal the process group');
    }
  }

  /**
   * The process an earlier agent started for this service and did not see end, if it still runs. A pid now used by
   * something else, or one that cannot be checked, is dropped from the store with a warning: never signalled.
   */
  private findOrphan(): { pid: number; argv: string[] } | null {
    const { events, serviceId } = this.options;
    if (!events) return null;
    let remembered;
    try {
      remembered = events.rememberedProcess(serviceId);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the process an earlier run left; not looking for an orphan');
      return null;
    }
    if (!remembered) return null;
    const { pid, argv } = remembered;
    let found;
    try {
      found = inspectRecordedProcess(pid, argv, this.options.procRoot);
    } catch (error) {
      found = { status: 'unverifiable', reason: errorMessage(error) } as const;
    }
    if (found.status === 'ours') return { pid, argv };
    this.forgetProcess(pid);
    if (found.status === 'other') {
      this.logger.info(
        { pid, reason: found.reason },
        'the pid an earlier run left is no longer its process; left alone',
      );
    } else if (found.status === 'unverifiable') {
      this.logger.warn(
        { pid, argv, reason: found.reason },
        'a process an earlier agent started may still run, but it cannot be told from a reused pid; not killing it',
      );
    }
    return null;
  }

  /** Like stop(), for a process that is not our child: SIGTERM to its group, SIGKILL after the stop timeout. */
  private async endOrphan({ pid, argv }: { pid: number; argv: string[] }): Promise<void> {
    const { clock, supervision } = this.options;
    // Usually an agent that crashed; also a supervisor replaced by a new one before its stop() had finished.
    this.logger.warn({ pid, argv }, 'the service still runs from before this supervisor; ending it before starting it');
    const gone = (): boolean => {
      try {
        return inspectRecordedProcess(pid, argv, this.options.procRoot).status !== 'ours';
      } catch (error) {
        this.logger.warn({ err: error, pid }, 'could not watch the orphan end; assuming it is gone');
        return true;
      }
    };
    const ending = { killed: false };
    this.signal(pid, 'SIGTERM');
    const cancelKill = clock.setTimer(() => {
      if (gone()) return;
      ending.killed = true;
      this.logger.warn({ pid, stopTimeoutMs: supervision.stopTimeoutMs }, 'orphan ignored SIGTERM; sending SIGKILL');
      this.signal(pid, 'SIGKILL');
    }, supervision.stopTimeoutMs);
    let graceLeftMs = orphanKillGraceMs;
    while (!gone()) {
      await new Promise((resolve) => setTimeout(resolve, orphanPollMs));
      if (ending.killed) graceLeftMs -= orphanPollMs;
      if (graceLeftMs <= 0) {
        this.logger.error({ pid }, 'orphan still there after SIGKILL; starting the service beside it');
        break;
      }
    }
    cancelKill();
    // Whatever the leader left in its group goes too, as after any exit.
    this.signal(pid, 'SIGKILL');
    this.forgetProcess(pid);
    const detail = ending.killed
      ? `orphan pid ${pid} from an earlier run killed by SIGKILL after the ${supervision.stopTimeoutMs} ms stop timeout`
      : `orphan pid ${pid} from an earlier run ended after SIGTERM`;
    this.record('exit', detail);
    this.appendMarker(detail);
    this.logger.warn({ pid, killed: ending.killed }, 'orphan from an earlier run ended');
  }

  private rememberProcess(pid: number): void {
    const { events, serviceId, command, clock } = this.options;
    try {
      events?.rememberProcess(serviceId, pid, command.argv, clock.now());
    } catch (error) {
      this.logger.warn({ err: error, pid }, 'could not store the running pid; an agent crash would orphan it');
    }
  }

  private forgetProcess(pid: number): void {
    try {
      this.options.events?.forgetProcess(this.options.serviceId, pid);
    } catch (error) {
      this.logger.warn({ err: error, pid }, 'could not clear the stored pid');
    }
  }

  /** Drops restarts that have left the sliding window. */
  private expireRestarts(now: number): void {
    const cutoff = now - this.options.supervision.restartWindowMs;
    while (this.restartTimes[0] !== undefined && this.restartTimes[0] <= cutoff) this.restartTimes.shift();
  }

  /** Lowers `restarts` in the state when the oldest counted restart leaves the window. */
  private scheduleExpiry(): void {
    this.cancelExpiry?.();
    this.cancelExpiry = null;
    const oldest = this.restartTimes[0];
    if (oldest === undefined || !this.wanted) return;
    const { clock, supervision } = this.options;
    this.cancelExpiry = clock.setTimer(
      () => {
        this.cancelExpiry = null;
        this.expireRestarts(clock.now());
        this.update({ restarts: this.restartTimes.length });
        this.scheduleExpiry();
      },
      oldest + supervision.restartWindowMs - clock.now(),
    );
  }

  private clearTimers(): void {
    this.cancelBackoff?.();
    this.cancelBackoff = null;
    this.cancelExpiry?.();
    this.cancelExpiry = null;
  }

  private restartCount(): string {
    const { maxRestarts, restartWindowMs } = this.options.supervision;
    return `restart ${this.restartTimes.length} of ${maxRestarts} per ${restartWindowMs} ms`;
  }

  private update(patch: Partial<SupervisorState>): void {
    const next = { ...this.status, ...patch };
    const changed = (Object.keys(patch) as Array<keyof SupervisorState>).some((key) => next[key] !== this.status[key]);
    if (!changed) return;
    this.status = next;
    this.changes.emit({ ...next });
  }

  private record(kind: SupervisorEventKind, detail: string): void {
    if (!this.options.events) return;
    try {
      this.options.events.record(this.options.serviceId, kind, detail, this.options.clock.now());
    } catch (error) {
      this.logger.warn({ err: error, kind, detail }, 'could not record a supervisor event');
    }
  }

  private writeMarker(fd: number, text: string): void {
    try {
      writeSync(fd, marker(text));
    } catch (error) {
      this.logger.warn({ err: error, logFile: this.options.logFile }, 'could not write to the service log');
    }
  }

  private appendMarker(text: string): void {
    try {
      mkdirSync(dirname(this.options.logFile), { recursive: true });
      appendFileSync(this.options.logFile, marker(text));
    } catch (error) {
      this.logger.warn({ err: error, logFile: this.options.logFile }, 'could not write to the service log');
    }
  }
}
