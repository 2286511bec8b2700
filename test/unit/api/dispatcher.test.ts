import { describe, expect, it } from 'vitest';
import { createDispatcher, type HandlerTable } from '../../../electron/api/dispatcher.js';
import { CodedError } from '../../../electron/core/coded-error.js';
import type { NodeStatus } from '../../../shared/node.js';
import { methods } from '../../../shared/rpc.js';
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
  const calls: Array<[string, string]> = [];
  const dispatcher = createDispatcher(
    { ...notUnderTest, 'node.status': () => status, 'cluster.members': () => [], ...overrides } as HandlerTable,
    { logger, onCall: (method, code) => calls.push([method, code]) },
  );
  return { dispatcher, lines, calls };
};

describe('dispatcher', () => {
  it('runs a known method and returns its result', async () => {
    const { dispatcher, calls } = setup();
    expect(await dispatcher.call('node.status', {})).toEqual({ ok: true, result: status });
    expect(await dispatcher.call('node.status', undefined)).toEqual({ ok: true, result: status });
    expect(calls).toEqual([
      ['node.status', 'ok'],
      ['node.status', 'ok'],
    ]);
  });

  it('rejects params that do not match the schema, naming the fields', async () => {
    const { dispatcher } = setup();
    const outcome = await dispatcher.call('cluster.members', { verbose: true });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'invalid params for cluster.members',
        issues: [{ path: '(root)', message: 'Unrecognized key: "verbose"' }],
      },
    });
    expect((await dispatcher.call('node.status', 'text')).ok).toBe(false);
  });

  it('answers an unknown method with unknown_method and counts it under a bounded label', async () => {
    const { dispatcher, calls } = setup();
    expect(await dispatcher.call('nodes.explode', {})).toEqual({
      ok: false,
      error: { code: 'unknown_method', message: 'unknown method "nodes.explode"' },
    });
    expect(await dispatcher.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(calls.map(([method]) => method)).toEqual(['unknown', 'unknown']);
  });

  it('turns a thrown error into an internal error with an id that is also logged, without the stack', async () => {
    const { dispatcher, lines } = setup({
      'node.status': () => {
        throw new Error('disk on fire at /secret/path');
      },
    });
    const outcome = await dispatcher.call('node.status', {});
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
    expect(await failing.dispatcher.call('cluster.members', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'coordination lost' },
    });
    const drifting = setup({ 'node.status': () => ({ ...status, uptimeSeconds: -1 }) });
    expect(await drifting.dispatcher.call('node.status', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
