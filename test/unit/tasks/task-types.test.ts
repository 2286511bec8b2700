import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinTaskTypes } from '../../../electron/tasks/builtin-task-types.js';
import type { TaskContext } from '../../../electron/tasks/task-types.js';
import type { CommandDefinition } from '../../../shared/services.js';
import { TasksConfig, type JsonValue } from '../../../shared/tasks.js';
import { ManualClock } from '../../support/manual-clock.js';

const commands: Record<string, CommandDefinition> = {
  greet: { argv: ['sh', '-c', 'echo "hello $1"; echo "to stderr" >&2', 'greet'], env: {} },
  fail: { argv: ['sh', '-c', 'echo "disk full"; exit 3'], env: {} },
  chatty: { argv: ['sh', '-c', 'yes 0123456789 | head -c 100000'], env: {} },
};
const config = TasksConfig.parse({
  maxOutputChars: 4096,
  execArgs: { greet: { allow: ['[a-z]{1,10}'], maxArgs: 1 } },
});
const clock = new ManualClock();
const checks: Array<[string, string]> = [];
const registry = builtinTaskTypes({
  clock,
  commands,
  config,
  runCheck: (serviceId, check) => {
    checks.push([serviceId, check]);
    return Promise.resolve({ status: 'warning', output: 'slow: 900 ms' });
  },
});

function context(signal = new AbortController().signal) {
  const progress: number[] = [];
  const logs: string[] = [];
  const ctx: TaskContext = { signal, progress: (p) => progress.push(p), log: (line) => logs.push(line) };
  return { ctx, progress, logs };
}

const run = (type: string, payload: JsonValue, ctx: TaskContext) =>
  registry.get(type)!.run(registry.parsePayload(type, payload), ctx);

const refusal = (type: string, payload: unknown) => {
  try {
    registry.parsePayload(type, payload);
  } catch (error) {
    return { message: (error as Error).message, issues: (error as { issues?: unknown }).issues };
  }
  throw new Error('expected a refusal');
};

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('task type registry', () => {
  it('knows the built-in types and refuses an unknown type or a bad payload, naming the field', () => {
    expect(registry.names()).toEqual(['check', 'exec', 'http', 'sleep']);
    expect(refusal('backup', {})).toEqual({
      message: 'unknown task type "backup" (known: check, exec, http, sleep)',
      issues: [{ path: 'type', message: 'unknown task type "backup" (known: check, exec, http, sleep)' }],
    });
    expect(refusal('sleep', { ms: -1 }).issues).toEqual([
      { path: 'payload.ms', message: expect.stringContaining('>=0') },
    ]);
    expect(refusal('http', { url: 'file:///etc/passwd' }).issues).toEqual([
      { path: 'payload.url', message: 'must be an http:// or https:// URL' },
    ]);
    expect(registry.parsePayload('http', { url: 'http://127.0.0.1/' })).toEqual({
      url: 'http://127.0.0.1/',
      method: 'GET',
      headers: {},
    });
  });
});

describe('exec tasks', () => {
  it('run only commands this node defines, with only the arguments its policy allows', () => {
    expect(refusal('exec', { command: 'rm' }).issues).toEqual([
      { path: 'payload.command', message: 'command "rm" is not defined on this node' },
    ]);
    expect(refusal('exec', { command: 'greet', args: ['ok', 'two'] }).issues).toEqual([
      { path: 'payload.args', message: 'command "greet" takes at most 1 argument(s)' },
    ]);
    expect(refusal('exec', { command: 'greet', args: ['x; rm -rf /'] }).issues).toEqual([
      { path: 'payload.args.0', message: 'argument not allowed for command "greet"' },
    ]);
    expect(refusal('exec', { command: 'fail', args: ['a'] }).issues).toEqual([
      { path: 'payload.args', message: 'command "fail" takes at most 0 argument(s)' },
    ]);
  });

  it('captures the output and logs each line', async () => {
    const { ctx, logs } = context();
    const result = await run('exec', { command: 'greet', args: ['world'] }, ctx);
    expect(result).toEqual({ exitCode: 0, output: expect.stringContaining('hello world\n'), truncated: false });
    expect(logs.sort()).toEqual(['hello world', 'to stderr']);
  });

  it('fails with the exit status and the last output line', async () => {
    await expect(run('exec', { command: 'fail' }, context().ctx)).rejects.toThrow('exited with code 3: disk full');
  });

  it('keeps only the end of a long output', async () => {
    const result = (await run('exec', { command: 'chatty' }, context().ctx)) as { output: string; truncated: boolean };
    expect(result.truncated).toBe(true);
    expect(result.output).toHaveLength(4096);
  });
});

describe('sleep, http and check tasks', () => {
  it('sleep waits on the clock, reporting progress, and stops when aborted', async () => {
    const { ctx, progress } = context();
    let done: unknown;
    void run('sleep', { ms: 1000 }, ctx).then((result) => (done = result));
    await clock.advance(999);
    expect(done).toBeUndefined();
    expect(progress.at(-1)).toBeCloseTo(90);
    await clock.advance(1);
    expect(done).toEqual({ sleptMs: 1000 });
    expect(progress.at(-1)).toBe(100);

    const controller = new AbortController();
    const stopped = run('sleep', { ms: 1000 }, context(controller.signal).ctx);
    controller.abort(new Error('cancelled'));
    await expect(stopped).rejects.toThrow('cancelled');
  });

  it('http checks the status and caps the body it reads', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('x'.repeat(10_000));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;

    const { ctx, logs } = context();
    const ok = (await run('http', { url: `${base}/` }, ctx)) as { status: number; body: string; truncated: boolean };
    expect([ok.status, ok.body.length, ok.truncated]).toEqual([200, 4096, true]);
    expect(logs).toEqual([`GET ${base}/ → 200`]);
    await expect(run('http', { url: `${base}/missing` }, context().ctx)).rejects.toThrow(
      'expected status 2xx, got 404',
    );
    expect(await run('http', { url: `${base}/missing`, expectStatus: 404 }, context().ctx)).toMatchObject({
      status: 404,
    });
  });

  it('check runs the injected check and succeeds with its verdict', async () => {
    const result = await run('check', { serviceId: 'web', check: 'http' }, context().ctx);
    expect(result).toEqual({ status: 'warning', output: 'slow: 900 ms' });
    expect(checks).toEqual([['web', 'http']]);
  });
});
