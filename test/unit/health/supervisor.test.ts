import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandDefinition, Supervision, SupervisorState } from '../../../shared/services.js';
import { Supervisor, type SupervisorOptions } from '../../../electron/health/supervisor.js';
import { openDatabase } from '../../../electron/store/open-database.js';
import { databaseFileName } from '../../../electron/store/store.js';
import { SupervisorEventsRepository } from '../../../electron/store/supervisor-events-repository.js';
import { ManualClock } from '../../support/manual-clock.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';

const logWriter = resolve('resources/demo/log-writer.mjs');

/** Runs `script` on this Node, without a shell. */
const node = (script: string, env: Record<string, string> = {}): CommandDefinition => ({
  argv: [process.execPath, '-e', script],
  env,
});
/** Stays up until killed; prints "ready" once it would notice a SIGTERM. */
const longRunning = node(`console.log('ready'); setInterval(() => {}, 1000);`);

const supervision = (overrides: Partial<Supervision> = {}): Supervision => ({
  command: 'test-command',
  restartOnCritical: true,
  backoffBaseMs: 1000,
  backoffMaxMs: 8000,
  maxRestarts: 5,
  restartWindowMs: 60_000,
  stopTimeoutMs: 2000,
  ...overrides,
});

/** A zombie (exited, not yet reaped by init) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

const cleanups: Array<() => Promise<void>> = [];
const openDbs: Database.Database[] = [];
const strayPids = new Set<number>();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const db of openDbs.splice(0)) if (db.open) db.close();
  for (const pid of strayPids) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  strayPids.clear();
});

function setup(
  command: CommandDefinition,
  overrides: Partial<SupervisorOptions> & { policy?: Partial<Supervision> } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-supervisor-'));
  const clock = new ManualClock();
  const { logger, lines } = memoryLogger();
  const { policy, ...rest } = overrides;
  const options: SupervisorOptions = {
    serviceId: 'worker',
    supervision: supervision(policy),
    command,
    // A directory that does not exist yet: the supervisor creates it.
    logFile: join(dir, 'logs', 'worker.log'),
    clock,
    random: () => 0.5,
    logger,
    ...rest,
  };
  const supervisor = new Supervisor(options);
  const states: SupervisorState[] = [];
  supervisor.onChange((state) => {
    states.push(state);
    if (state.pid !== null) strayPids.add(state.pid);
  });
  cleanups.push(async () => {
    const stopping = supervisor.stop();
    await clock.advance(options.supervision.stopTimeoutMs);
    await stopping;
  });
  const log = () => (existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8') : '');
  const running = async () =>
    waitFor('the supervised process to run', () => {
      const state = supervisor.state();
      return state.state === 'running' && state.pid !== null && isAlive(state.pid) && state;
    });
  const inState = (state: SupervisorState['state']) =>
    waitFor(`state ${state}`, () => supervisor.state().state === state && supervisor.state());
  const logContains = (text: string) => waitFor(`"${text}" in the log`, () => log().includes(text));
  return { supervisor, clock, lines, states, options, log, running, inState, logContains, dir };
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** Live processes whose command line is exactly `argv` (Linux). */
function pidsRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted && isAlive(pid);
      } catch {
        return false;
      }
    });
}

function openEvents() {
  const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-supervisor-db-')), databaseFileName);
  const { db } = openDatabase(file, { now: Date.UTC(2026, 0, 1) });
  openDbs.push(db);
  return new SupervisorEventsRepository(db);
}

/** Leads a group with a child; both ignore SIGTERM. A unique argv, so its copies can be counted. */
const orphanable = (): CommandDefinition =>
  node(
    `// ${Math.random()}\n` +
      `const { spawn } = require('node:child_process');` +
      `const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });` +
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));` +
      `console.log('child ' + child.pid); setInterval(() => {}, 1000);`,
  );

/** Starts `command` under a supervisor that is then dropped without stop(), as if the agent had been killed. */
async function crashedAgent(command: CommandDefinition, events: SupervisorEventsRepository) {
  const crashed = setup(command, { events });
  crashed.supervisor.start();
  const { pid } = await crashed.running();
  const childPid = await waitFor('the child pid', () => Number(/child (\d+)/.exec(crashed.log())?.[1]) || undefined);
  strayPids.add(childPid);
  return { pid: pid!, childPid, logFile: crashed.options.logFile };
}

describe('Supervisor', () => {
  it('starts the command without a shell, with its cwd and env over the agent env, logging stdout and stderr', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'fleetdeck-supervisor-cwd-'));
    const command: CommandDefinition = {
      ...node(
        `console.log('out', process.env.FLEETDECK_TEST_VALUE, process.cwd(), Boolean(process.env.PATH));` +
          `console.error('err line $HOME');` +
          `setInterval(() => {}, 1000);`,
        { FLEETDECK_TEST_VALUE: 'from-command' },
      ),
      cwd,
    };
    const { supervisor, states, running, log, logContains } = setup(command);
    expect(supervisor.state()).toMatchObject({ state: 'stopped', pid: null, restarts: 0, lastExit: null });

    supervisor.start();
    const state = await running();
    expect(states.map((s) => [s.state, s.pid])).toEqual([
      ['starting', state.pid],
      ['running', state.pid],
    ]);
    await logContains('err line');

    expect(log()).toContain(`--- fleetdeck: started pid ${state.pid} ---\n`);
    expect(log()).toContain(`out from-command ${cwd} true\n`);
    // No shell: $HOME is passed through literally.
    expect(log()).toContain('err line $HOME\n');
    expect(log().indexOf('--- fleetdeck: started')).toBe(0);
  });

  it('appends to an existing log file and keeps it across restarts', async () => {
    const { supervisor, options, clock, running, log } = setup(longRunning);
    mkdirSync(join(options.logFile, '..'), { recursive: true });
    writeFileSync(options.logFile, 'line from an earlier run\n');

    supervisor.start();
    const first = await running();
    process.kill(first.pid!, 'SIGKILL');
    await waitFor('backoff', () => supervisor.state().state === 'backoff');
    await clock.advance(500);
    const second = await running();

    expect(log().startsWith('line from an earlier run\n')).toBe(true);
    expect(log()).toContain(`--- fleetdeck: started pid ${first.pid} ---`);
    expect(log()).toContain(`--- fleetdeck: pid ${first.pid} killed by SIGKILL ---`);
    expect(log()).toContain(`--- fleetdeck: started pid ${second.pid} ---`);
  });

  it('restarts a process that dies after the full-jitter backoff delay, counting restarts', async () => {
    const { supervisor, clock, running, inState } = setup(longRunning);
    supervisor.start();
    const first = await running();

    process.kill(first.pid!, 'SIGKILL');
    expect(await inState('backoff')).toMatchObject({ pid: null, restarts: 1, lastExit: 'killed by SIGKILL' });
    // attempt 0: 0.5 × min(8000, 1000 × 2^0) = 500 ms
    await clock.advance(499);
    expect(supervisor.state().state).toBe('backoff');
    await clock.advance(1);
    const second = await running();
    expect(second.pid).not.toBe(first.pid);
    expect(second.restarts).toBe(1);

    process.kill(second.pid!, 'SIGKILL');
    expect(await inState('backoff')).toMatchObject({ restarts: 2 });
    // attempt 1: 0.5 × min(8000, 1000 × 2^1) = 1000 ms
    await clock.advance(999);
    expect(supervisor.state().state).toBe('backoff');
    await clock.advance(1);
    expect(await running()).toMatchObject({ restarts: 2 });
  });

  it('records the exit code of a crashing process and gives up after maxRestarts within the window', async () => {
    const { supervisor, clock, inState, lines, log, logContains } = setup(
      node(`console.log('booting'); process.exit(3);`),
      { policy: { maxRestarts: 2, backoffBaseMs: 100 } },
    );
    supervisor.start();

    expect(await inState('backoff')).toMatchObject({ restarts: 1, lastExit: 'exited with code 3' });
    await clock.advance(50); // 0.5 × 100
    await waitFor(
      'the second restart',
      () => supervisor.state().restarts === 2 && supervisor.state().state === 'backoff',
    );
    await clock.advance(100); // 0.5 × 200
    expect(await inState('failed')).toMatchObject({ pid: null, restarts: 2, lastExit: 'exited with code 3' });

    await logContains('gave up after 2 restarts');
    expect(count(log(), 'booting')).toBe(3);
    expect(log().match(/--- fleetdeck: pid \d+ exited with code 3 ---/g)).toHaveLength(3);
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('gave up'))).toBe(true);

    // Failed means no more attempts, however long we wait.
    await clock.advance(3_600_000);
    expect(supervisor.state().state).toBe('failed');
    expect(count(log(), 'booting')).toBe(3);
  });

  it('counts restarts in a sliding window: a process up for the whole window starts again from zero', async () => {
    const { supervisor, clock, running, inState } = setup(longRunning, { policy: { maxRestarts: 2 } });
    supervisor.start();

    process.kill((await running()).pid!, 'SIGKILL');
    await inState('backoff');
    await clock.advance(500);
    process.kill((await running()).pid!, 'SIGKILL');
    expect(await inState('backoff')).toMatchObject({ restarts: 2 });
    await clock.advance(1000);
    expect(await running()).toMatchObject({ restarts: 2 });

    await clock.advance(60_000);
    expect(supervisor.state()).toMatchObject({ state: 'running', restarts: 0 });

    // Without that quiet window this exit would have been the third in the window: give-up.
    process.kill(supervisor.state().pid!, 'SIGKILL');
    expect(await inState('backoff')).toMatchObject({ restarts: 1 });
  });

  it('stop() sends SIGTERM to the group and SIGKILL after stopTimeoutMs; no restart follows', async () => {
    const stubborn = node(
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);`,
    );
    const { supervisor, clock, running, logContains, log } = setup(stubborn);
    supervisor.start();
    const { pid } = await running();
    await logContains('ready');

    const stopping = supervisor.stop();
    await logContains('ignoring SIGTERM');
    await clock.advance(1999);
    expect(isAlive(pid!)).toBe(true);
    expect(supervisor.state().state).toBe('running');

    await clock.advance(1);
    await stopping;
    expect(isAlive(pid!)).toBe(false);
    expect(supervisor.state()).toMatchObject({
      state: 'stopped',
      pid: null,
      lastExit: 'killed by SIGKILL after the 2000 ms stop timeout',
    });

    await clock.advance(3_600_000);
    expect(supervisor.state().state).toBe('stopped');
    expect(count(log(), 'started pid')).toBe(1);
  });

  it('stop() of a process that honours SIGTERM resolves as soon as it exits', async () => {
    const { supervisor, running, log } = setup({ argv: [process.execPath, logWriter, '--interval', '50'], env: {} });
    supervisor.start();
    const { pid } = await running();
    await waitFor('the first log lines', () => log().includes('INFO'));

    await supervisor.stop();
    expect(isAlive(pid!)).toBe(false);
    expect(supervisor.state()).toMatchObject({ state: 'stopped', lastExit: 'exited with code 0' });
    expect(log()).toContain('received SIGTERM, shutting down');
    expect(log()).toContain(`--- fleetdeck: pid ${pid} exited with code 0 ---`);
  });

  it('stop() during the backoff cancels the pending restart', async () => {
    const { supervisor, clock, running, inState, log } = setup(longRunning);
    supervisor.start();
    process.kill((await running()).pid!, 'SIGKILL');
    await inState('backoff');

    await supervisor.stop();
    expect(supervisor.state()).toMatchObject({ state: 'stopped', lastExit: 'killed by SIGKILL' });
    await clock.advance(60_000);
    expect(supervisor.state().state).toBe('stopped');
    expect(count(log(), 'started pid')).toBe(1);
  });

  it('restart(reason) replaces the process: new pid, old one gone, counted as a restart', async () => {
    const { supervisor, running, log } = setup(longRunning);
    supervisor.start();
    const first = await running();

    await supervisor.restart('check http went critical');
    const second = await running();
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid!)).toBe(false);
    expect(second).toMatchObject({ restarts: 1, lastExit: 'killed by SIGTERM' });
    expect(count(log(), 'started pid')).toBe(2);
  });

  it('restart(reason) with no restarts left in the window stops the process and gives up', async () => {
    const { supervisor, running } = setup(longRunning, { policy: { maxRestarts: 1 } });
    supervisor.start();
    await supervisor.restart('critical once');
    const second = await running();

    await supervisor.restart('critical again');
    expect(isAlive(second.pid!)).toBe(false);
    expect(supervisor.state()).toMatchObject({ state: 'failed', pid: null, restarts: 1 });
  });

  it('restart(reason) during the backoff starts at once; when stopped it does nothing', async () => {
    const { supervisor, running, inState, log } = setup(longRunning);
    await supervisor.restart('not started yet');
    expect(supervisor.state().state).toBe('stopped');

    supervisor.start();
    supervisor.start(); // already supervised: no second process
    process.kill((await running()).pid!, 'SIGKILL');
    await inState('backoff');
    await supervisor.restart('operator asked');
    expect(await running()).toMatchObject({ restarts: 1 });
    expect(count(log(), 'started pid')).toBe(2);
  });

  it('stop() during a restart wins: the old process ends and no new one starts', async () => {
    const { supervisor, clock, running, log } = setup(longRunning);
    supervisor.start();
    const { pid } = await running();

    await Promise.all([supervisor.restart('critical'), supervisor.stop()]);
    expect(isAlive(pid!)).toBe(false);
    expect(supervisor.state()).toMatchObject({ state: 'stopped', pid: null, lastExit: 'killed by SIGTERM' });
    await clock.advance(60_000);
    expect(count(log(), 'started pid')).toBe(1);
  });

  it('start() during a stop starts again once the old process is gone; after a give-up it starts afresh', async () => {
    const { supervisor, running, inState, clock } = setup(longRunning, { policy: { maxRestarts: 0 } });
    supervisor.start();
    const first = await running();
    const stopping = supervisor.stop();
    supervisor.start();
    await stopping;
    const second = await running();
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid!)).toBe(false);

    process.kill(second.pid!, 'SIGKILL');
    expect(await inState('failed')).toMatchObject({ restarts: 0, lastExit: 'killed by SIGKILL' });
    await clock.advance(1000);
    supervisor.start();
    expect(await running()).toMatchObject({ restarts: 0 });
  });

  it('a missing executable counts as an exit, explained in lastExit, with backoff and give-up', async () => {
    const { supervisor, clock, inState, logContains } = setup(
      { argv: ['/nonexistent/fleetdeck-no-such-command', '--flag'], env: {} },
      { policy: { maxRestarts: 1, backoffBaseMs: 100 } },
    );
    supervisor.start();

    expect(await inState('backoff')).toMatchObject({
      pid: null,
      restarts: 1,
      lastExit: 'could not start: command not found: /nonexistent/fleetdeck-no-such-command (ENOENT)',
    });
    await clock.advance(50);
    expect(await inState('failed')).toMatchObject({ restarts: 1, lastExit: expect.stringContaining('ENOENT') });
    await logContains('--- fleetdeck: could not start: command not found');
  });

  it('a missing working directory is named as such', async () => {
    const { supervisor, inState } = setup({ ...longRunning, cwd: '/nonexistent/fleetdeck-cwd' });
    supervisor.start();
    expect(await inState('backoff')).toMatchObject({
      lastExit: 'could not start: working directory not found: /nonexistent/fleetdeck-cwd',
    });
  });

  it('stop() takes down the whole process group, children of the service included', async () => {
    const parent = node(
      `const { spawn } = require('node:child_process');` +
        `const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });` +
        `console.log('child ' + child.pid); setInterval(() => {}, 1000);`,
    );
    const { supervisor, running, log } = setup(parent);
    supervisor.start();
    const { pid } = await running();
    const childPid = await waitFor('the child pid', () => Number(/child (\d+)/.exec(log())?.[1]) || undefined);
    strayPids.add(childPid);
    expect(isAlive(childPid)).toBe(true);

    await supervisor.stop();
    expect(isAlive(pid!)).toBe(false);
    await waitFor('the child to be gone', () => !isAlive(childPid));
  });

  it('kills what a crashed process left in its group before restarting it', async () => {
    const parent = node(
      `const { spawn } = require('node:child_process');` +
        `const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });` +
        `console.log('child ' + child.pid); setInterval(() => {}, 1000);`,
    );
    const { supervisor, running, inState, log } = setup(parent);
    supervisor.start();
    const { pid } = await running();
    const childPid = await waitFor('the child pid', () => Number(/child (\d+)/.exec(log())?.[1]) || undefined);
    strayPids.add(childPid);

    process.kill(pid!, 'SIGKILL');
    await inState('backoff');
    await waitFor('the orphaned child to be gone', () => !isAlive(childPid));
  });

  it('persists its history in the SQLite file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleetdeck-supervisor-db-')), databaseFileName);
    const { db } = openDatabase(file, { now: Date.UTC(2026, 0, 1) });
    openDbs.push(db);
    const { supervisor, clock, running, inState } = setup(longRunning, {
      events: new SupervisorEventsRepository(db),
    });

    supervisor.start();
    const first = await running();
    process.kill(first.pid!, 'SIGKILL');
    await inState('backoff');
    await clock.advance(500);
    const second = await running();
    await supervisor.restart('check port went critical');
    const third = await running();
    await supervisor.stop();
    db.close();

    const reopened = openDatabase(file, { now: Date.UTC(2026, 0, 2) }).db;
    openDbs.push(reopened);
    const history = new SupervisorEventsRepository(reopened).recent('worker', 50).reverse();
    expect(history.map((e) => [e.kind, e.detail])).toEqual([
      ['start', `pid ${first.pid}`],
      ['exit', `pid ${first.pid} killed by SIGKILL`],
      ['restart', 'restart 1 of 5 per 60000 ms, after a 500 ms backoff: killed by SIGKILL'],
      ['start', `pid ${second.pid}`],
      ['restart', 'restart 2 of 5 per 60000 ms, requested: check port went critical'],
      ['exit', `pid ${second.pid} killed by SIGTERM (restart: check port went critical)`],
      ['start', `pid ${third.pid}`],
      ['stop', `stopped pid ${third.pid}: killed by SIGTERM`],
    ]);
    expect(history.every((e) => e.serviceId === 'worker')).toBe(true);
    expect(new SupervisorEventsRepository(reopened).restartsSince('worker', 0)).toBe(2);
  });

  it('supervises the demo log writer: realistic lines, and a crash after --crash-after is restarted', async () => {
    const { supervisor, inState, clock, log, running } = setup({
      argv: [process.execPath, logWriter, '--interval', '20', '--crash-after', '400'],
      env: {},
    });
    supervisor.start();
    await running();

    expect(await inState('backoff')).toMatchObject({ restarts: 1, lastExit: 'exited with code 1' });
    expect(log()).toMatch(/^\S+Z (INFO |WARN |ERROR) \S/m);
    expect(log()).toContain('ERROR fatal: worker state corrupted');
    await clock.advance(500);
    await running();
    await waitFor('the second run to log', () => count(log(), 'log-writer starting') === 2);
  });

  describe('after an agent crash', () => {
    it('start() ends the orphaned process group (SIGTERM, SIGKILL after the timeout), then runs exactly one copy', async () => {
      const events = openEvents();
      const command = orphanable();
      const orphan = await crashedAgent(command, events);
      expect(events.rememberedProcess('worker')).toMatchObject({ pid: orphan.pid, argv: command.argv });

      const { supervisor, clock, running, log, logContains, lines } = setup(command, {
        events,
        logFile: orphan.logFile,
      });
      supervisor.start();
      await logContains('ignoring SIGTERM');
      expect(supervisor.state()).toMatchObject({ state: 'starting', pid: null });
      expect(isAlive(orphan.pid)).toBe(true);

      await clock.advance(2000);
      const fresh = await running();
      expect(isAlive(orphan.pid)).toBe(false);
      await waitFor('the orphan child to be gone', () => !isAlive(orphan.childPid));
      expect(pidsRunning(command.argv)).toEqual([fresh.pid]);

      const detail = `orphan pid ${orphan.pid} from an earlier run killed by SIGKILL after the 2000 ms stop timeout`;
      expect(events.recent('worker', 20).map((e) => [e.kind, e.detail])).toContainEqual(['exit', detail]);
      expect(log()).toContain(`--- fleetdeck: ${detail} ---`);
      expect(lines.some((l) => l.level === 40 && String(l.msg).includes('still runs from before'))).toBe(true);
      expect(events.rememberedProcess('worker')).toMatchObject({ pid: fresh.pid });

      await supervisor.stop();
      expect(events.rememberedProcess('worker')).toBeNull();
    });

    it('leaves alone a recorded pid that now runs another command', async () => {
      const events = openEvents();
      const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
        detached: true,
        stdio: 'ignore',
      });
      strayPids.add(stranger.pid!);
      await once(stranger, 'spawn');
      events.rememberProcess('worker', stranger.pid!, longRunning.argv, Date.UTC(2026, 0, 1));

      const { supervisor, running, lines } = setup(longRunning, { events });
      supervisor.start();
      const fresh = await running();
      expect(isAlive(stranger.pid!)).toBe(true);
      expect(events.rememberedProcess('worker')).toMatchObject({ pid: fresh.pid });
      expect(events.recent('worker', 10).map((e) => e.kind)).toEqual(['start']);
      expect(lines.some((l) => String(l.msg).includes('no longer its process'))).toBe(true);
    });

    it('without /proc to prove it is ours, only warns and leaves the old process running', async () => {
      const events = openEvents();
      const command = orphanable();
      const orphan = await crashedAgent(command, events);

      const { supervisor, running, lines } = setup(command, { events, procRoot: '/nonexistent/proc' });
      supervisor.start();
      const fresh = await running();
      expect(fresh.pid).not.toBe(orphan.pid);
      expect(isAlive(orphan.pid)).toBe(true);
      expect(isAlive(orphan.childPid)).toBe(true);
      expect(lines.some((l) => l.level === 40 && String(l.msg).includes('not killing it'))).toBe(true);
    });
  });
});
