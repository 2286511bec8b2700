import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../shared/audit.js';
import { FleetdeckClient, type RpcTransport } from '../../../../shared/client.js';
import type { RpcOutcome } from '../../../../shared/rpc.js';
import { auditPageSize, auditQueryOf, useAuditStore } from '../../../../renderer/stores/audit-store.js';

const record = (id: number): AuditRecord => ({
  id,
  at: 1_000 + id,
  principal: 'ops',
  transport: 'http',
  remote: '10.0.0.9',
  method: 'services.upsert',
  target: null,
  params: { service: { id: `s${id}` } },
  paramsTruncated: false,
  outcome: 'ok',
  error: null,
  durationMs: 1,
});

/** Records 1..total on the "agent", answered newest first as audit.list does; export in chunks of two. */
function agentWith(total: () => number) {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const transport: RpcTransport = {
    call(method, raw) {
      const params = raw as Record<string, unknown>;
      calls.push({ method, params });
      const all = Array.from({ length: total() }, (_, i) => record(i + 1));
      let result: unknown;
      if (method === 'audit.list') {
        const before = (params.before as number | undefined) ?? Infinity;
        result = all
          .filter((r) => r.id < before)
          .reverse()
          .slice(0, params.limit as number);
      } else {
        const after = (params.after as number | undefined) ?? 0;
        const chunk = all.filter((r) => r.id > after).slice(0, 2);
        const nextAfter = chunk.at(-1)?.id ?? null;
        result = {
          text: chunk.map((r) => `${JSON.stringify(r)}\n`).join(''),
          count: chunk.length,
          more: nextAfter !== null && nextAfter < all.length,
          nextAfter,
        };
      }
      return Promise.resolve<RpcOutcome>({ ok: true, result });
    },
    subscribe: () => () => {},
  };
  return { client: new FleetdeckClient(transport), calls };
}

describe('audit store', () => {
  beforeEach(() => useAuditStore.getState().reset());

  it('asks for what the filter says, the period counted back from now', () => {
    expect(auditQueryOf({ principal: ' ', methodPrefix: '', outcome: null, period: 'all' }, 10_000_000)).toEqual({});
    expect(
      auditQueryOf({ principal: ' ops ', methodPrefix: 'tasks.', outcome: 'error', period: 'hour' }, 10_000_000),
    ).toEqual({ principal: 'ops', methodPrefix: 'tasks.', outcome: 'error', from: 10_000_000 - 3_600_000 });
  });

  it('pages back, and a new record brings the newest page without losing the older rows shown', async () => {
    let total = auditPageSize + 30;
    const { client } = agentWith(() => total);
    const store = useAuditStore.getState();
    await store.load(client);
    expect(useAuditStore.getState()).toMatchObject({ olderLeft: true });
    await store.loadOlder(client);
    expect(useAuditStore.getState().records.map((r) => r.id)).toEqual(
      Array.from({ length: total }, (_, i) => total - i),
    );
    expect(useAuditStore.getState().olderLeft).toBe(false);

    total += 1;
    store.recorded(client);
    await store.load(client);
    const ids = useAuditStore.getState().records.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(useAuditStore.getState().olderLeft).toBe(false);
  });

  it('fetches nothing on a new record until the list is shown', () => {
    const { client, calls } = agentWith(() => 3);
    useAuditStore.getState().recorded(client);
    expect(calls).toEqual([]);
  });

  it('exports every matching record, chunk after chunk, with the filter', async () => {
    const { client, calls } = agentWith(() => 5);
    const store = useAuditStore.getState();
    await store.setFilter(client, { principal: 'ops' });
    const exported = await store.exportLines(client);
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.value.count).toBe(5);
    expect(exported.value.text.trimEnd().split('\n')).toHaveLength(5);
    const exports = calls.filter((call) => call.method === 'audit.export').map((call) => call.params);
    expect(exports).toEqual([{ principal: 'ops' }, { principal: 'ops', after: 2 }, { principal: 'ops', after: 4 }]);
  });
});
