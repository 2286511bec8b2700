import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/api/dispatcher.js';
import { handlerTable, type Handlers } from '../../../electron/api/handler-table.js';
import { methods, type CallerContext, type MethodName } from '../../../shared/rpc.js';
import { memoryLogger } from '../../support/test-logger.js';

type Rest = Exclude<MethodName, 'node.status' | 'cluster.members'>;

/** Every method but two answers "not under test" (typed loosely: the table's check is what is tested here). */
const rest = Object.fromEntries(
  Object.keys(methods)
    .filter((name) => name !== 'node.status' && name !== 'cluster.members')
    .map((name) => [name, () => Promise.reject(new Error(`${name} is not under test`))]),
) as unknown as Handlers<Rest>;

const status = {
  id: 'node-1',
  name: 'one',
  role: 'agent' as const,
  labels: {},
  version: '0.1.0',
  leader: false,
  startedAt: 1,
  uptimeSeconds: 0,
  resources: null,
};
const node = { name: 'node', handlers: { 'node.status': () => status } };
const cluster = { name: 'cluster', handlers: { 'cluster.members': () => [] } };
const others = { name: 'others', handlers: rest };
const caller: CallerContext = { transport: 'ipc', remote: null };

describe('handlerTable', () => {
  it('routes each method to the handler of the capability that offers it', async () => {
    const dispatcher = createDispatcher(handlerTable([node, cluster, others, { name: 'no-methods' }]), {
      logger: memoryLogger().logger,
    });
    expect(await dispatcher.call('node.status', {}, caller)).toEqual({ ok: true, result: status });
    expect(await dispatcher.call('cluster.members', {}, caller)).toEqual({ ok: true, result: [] });
  });

  it('does not compile when a method has no handler or two', () => {
    // Only `npm run typecheck` sees these; at run time the tables are built all the same.
    // @ts-expect-error cluster.members has no handler
    expect(Object.keys(handlerTable([node, others]))).not.toContain('cluster.members');
    // @ts-expect-error node.status has two handlers
    expect(Object.keys(handlerTable([node, node, cluster, others]))).toContain('node.status');
  });
});
