import { describe, expect, it } from 'vitest';
import { createDispatcher, type CallRecord, type HandlerTable } from '../../../electron/api/dispatcher.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import type { NodeStatus } from '../../../shared/node.js';
import { methods, type CallerContext } from '../../../shared/rpc.js';
import { memoryLogger } from '../../support/test-logger.js';

const status: NodeStatus = {
  id: 'node-1',
  name: 'one',
  role: 'agent',
  labels: {},
  version: '0.1.0',
  leader: true,
  startedAt: 1,
  uptimeSeconds: 3,
  resources: null,
};

const caller: CallerContext = { transport: 'http', remote: '127.0.0.1' };

const notUnderTest = Object.fromEntries(
  Object.keys(methods).map((name) => [
    name,
    () => {
      throw new Error(`${name} is not under test`);
    },
  ]),
);

const setup = (overrides: Partial<HandlerTable> = {}) => {
  const { logger, lines } = memoryLogger();
  const records: CallRecord[] = [];
  const dispatcher = createDispatcher(
    { ...notUnderTest, 'node.status': () => status, 'cluster.members': () => [], ...overrides } as HandlerTable,
    { logger, onCall: (record) => records.push(record) },
  );
  const calls = () => records.map(({ method, outcome }) => [method, outcome.ok ? 'ok' : outcome.error.code]);
  const callers = () => records.map((record) => record.caller);
  return { dispatcher, lines, calls, callers, records };
};

describe('dispatcher', () => {
  it('runs a known method and returns its result', async () => {
    const { dispatcher, calls } = setup();
    expect(await dispatcher.call('node.status', {}, caller)).toEqual({ ok: true, result: status });
    expect(await dispatcher.call('node.status', undefined, caller)).toEqual({ ok: true, result: status });
    expect(calls()).toEqual([
      ['node.status', 'ok'],
      ['node.status', 'ok'],
    ]);
  });

  it('rejects params that do not match the schema, naming the fields', async () => {
    const { dispatcher } = setup();
    const outcome = await dispatcher.call('cluster.members', { verbose: true }, caller);
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'invalid params for cluster.members',
        issues: [{ path: '(root)', message: 'Unrecognized key: "verbose"' }],
      },
    });
    expect((await dispatcher.call('node.status', 'text', caller)).ok).toBe(false);
  });

  it('refuses params that are not a JSON object on every method, and absent params where a method takes some', async () => {
    const ran: string[] = [];
    const recording = Object.fromEntries(
      Object.keys(methods).map((name) => [name, () => void ran.push(name)]),
    ) as unknown as HandlerTable;
    const dispatcher = createDispatcher(recording, { logger: memoryLogger().logger });
    const ipc: CallerContext = { transport: 'ipc', remote: null };
    for (const method of Object.keys(methods)) {
      for (const [params, kind] of [
        [null, 'null'],
        [[], 'an array'],
        ['{}', 'a string'],
        [0, 'a number'],
        [true, 'a boolean'],
      ] as const) {
        expect(await dispatcher.call(method, params, ipc)).toEqual({
          ok: false,
          error: {
            code: 'invalid_request',
            message: `invalid params for ${method}: params must be a JSON object, not ${kind}`,
          },
        });
      }
    }
    expect(ran).toEqual([]);
    // A method that takes no params runs without any (the recording handler's empty result is then refused).
    await dispatcher.call('services.removeDemo', undefined, ipc);
    expect(ran).toEqual(['services.removeDemo']);
    expect(await dispatcher.call('tasks.list', undefined, ipc)).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'invalid params for tasks.list: params are required (a JSON object)' },
    });
    expect(ran).toEqual(['services.removeDemo']);
    // Relayed to another member, the params keep the rule: the member would have received `{}`.
    const relay = { memberId: 'node-b', method: 'services.removeDemo', params: null };
    expect(await dispatcher.call('cluster.call', relay, ipc)).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message:
          'invalid params for cluster.call: the params relayed to services.removeDemo: params must be a JSON object, not null',
      },
    });
    expect(ran).toEqual(['services.removeDemo']);
  });

  it('answers an unknown method with unknown_method and counts it under a bounded label', async () => {
    const { dispatcher, calls } = setup();
    expect(await dispatcher.call('nodes.explode', {}, caller)).toEqual({
      ok: false,
      error: { code: 'unknown_method', message: 'unknown method "nodes.explode"' },
    });
    expect(await dispatcher.call('__proto__', {}, caller)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(calls().map(([method]) => method)).toEqual(['unknown', 'unknown']);
  });

  it('turns a thrown error into an internal error with an id that is also logged, without the stack', async () => {
    const { dispatcher, lines } = setup({
      'node.status': () => {
        throw new Error('disk on fire at /secret/path');
      },
    });
    const outcome = await dispatcher.call('node.status', {}, caller);
    if (outcome.ok) throw new Error('expected failure');
    expect(outcome.error.code).toBe('internal');
    expect(outcome.error.message).not.toContain('secret');
    expect(outcome.error.message).toContain(outcome.error.errorId);
    expect(lines.find((line) => line.errorId === outcome.error.errorId)).toMatchObject({ method: 'node.status' });
  });

  it('passes a handler failure code through, and refuses a result that breaks the contract', async () => {
    const failing = setup({
      'cluster.members': () => {
        throw new CodedError('unavailable', 'coordination lost');
      },
    });
    expect(await failing.dispatcher.call('cluster.members', {}, caller)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'coordination lost' },
    });
    const drifting = setup({ 'node.status': () => ({ ...status, uptimeSeconds: -1 }) });
    expect(await drifting.dispatcher.call('node.status', {}, caller)).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('checks a kept answer once while it stays frozen, and any other answer every time', async () => {
    const kept = Object.freeze({ ...status, uptimeSeconds: -1 });
    let answer: NodeStatus = kept;
    const { dispatcher } = setup({ 'node.status': () => answer });
    // A frozen answer that breaks the contract is refused however often it comes.
    expect(await dispatcher.call('node.status', {}, caller)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await dispatcher.call('node.status', {}, caller)).toMatchObject({ ok: false, error: { code: 'internal' } });
    // An object edited between two answers is checked again: the edit is refused.
    const edited = { ...status };
    answer = edited;
    expect(await dispatcher.call('node.status', {}, caller)).toEqual({ ok: true, result: status });
    edited.uptimeSeconds = -1;
    expect(await dispatcher.call('node.status', {}, caller)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
  it('tells onCall the validated params with their defaults, or the params as they came when refused', async () => {
    const { dispatcher, records } = setup({ 'tasks.list': () => [] });
    await dispatcher.call('tasks.list', { state: 'dead' }, caller);
    await dispatcher.call('tasks.list', { state: 'asleep' }, caller);
    expect(records.map(({ method, params, outcome }) => ({ method, params, outcome }))).toEqual([
      { method: 'tasks.list', params: { state: 'dead', limit: 100 }, outcome: { ok: true, result: [] } },
      {
        method: 'tasks.list',
        params: { state: 'asleep' },
        outcome: { ok: false, error: expect.objectContaining({ code: 'invalid_request' }) as unknown },
      },
    ]);
    expect(records.every((record) => record.seconds >= 0 && record.caller === caller)).toBe(true);
  });

  it('hands the caller to the handler and to onCall, even when the method is unknown', async () => {
    const seen: CallerContext[] = [];
    const { dispatcher, callers } = setup({
      'node.status': (_params, handlerCaller) => {
        seen.push(handlerCaller);
        return status;
      },
    });
    const ipc: CallerContext = { transport: 'ipc', remote: null };
    const operator: CallerContext = { transport: 'http', remote: '10.0.0.7', principal: 'operator' };
    await dispatcher.call('node.status', {}, ipc);
    await dispatcher.call('node.status', {}, operator);
    await dispatcher.call('nodes.explode', {}, operator);
    expect(seen).toEqual([ipc, operator]);
    expect(callers()).toEqual([ipc, operator, operator]);
  });
});

describe('dispatcher scope check', () => {
  const withScope = (scope: CallerContext['scope'], principal = 'grafana'): CallerContext => ({
    transport: 'http',
    remote: '10.0.0.9',
    principal,
    scope,
  });

  it('refuses a scope that does not allow the method with 403, before its params are read or its handler runs', async () => {
    const { dispatcher, calls } = setup({
      'services.removeDemo': () => {
        throw new Error('must not run');
      },
    });
    expect(await dispatcher.call('services.removeDemo', null, withScope('operate', 'oncall'))).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: '"oncall" (scope operate) may not call services.removeDemo: it needs scope admin',
      },
    });
    expect(calls()).toEqual([['services.removeDemo', 'forbidden']]);
  });

  it('lets a scope call what it allows, and a caller without a scope (no token needed) call anything', async () => {
    const { dispatcher } = setup({ 'services.removeDemo': () => ({ removed: 0 }) });
    const desktop: CallerContext = { transport: 'ipc', remote: null, principal: 'desktop', scope: 'admin' };
    expect((await dispatcher.call('node.status', {}, withScope('read'))).ok).toBe(true);
    expect(await dispatcher.call('services.removeDemo', {}, desktop)).toEqual({ ok: true, result: { removed: 0 } });
    expect(await dispatcher.call('services.removeDemo', {}, caller)).toEqual({ ok: true, result: { removed: 0 } });
  });

  it('makes cluster.call need the scope of the method it relays', async () => {
    const { dispatcher } = setup({ 'cluster.call': () => ({ relayed: true }) });
    const relay = (method: string) => ({ memberId: 'node-2', method, params: {} });
    expect((await dispatcher.call('cluster.call', relay('node.status'), withScope('read'))).ok).toBe(true);
    expect(await dispatcher.call('cluster.call', relay('tasks.cancel'), withScope('read'))).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: '"grafana" (scope read) may not call cluster.call of tasks.cancel: it needs scope operate',
      },
    });
    expect((await dispatcher.call('cluster.call', relay('tasks.cancel'), withScope('operate'))).ok).toBe(true);
  });
});
