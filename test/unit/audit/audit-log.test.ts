import { describe, expect, it, onTestFinished } from 'vitest';
import { createAuditCapability, type AuditCapability } from '../../../electron/audit/capability.js';
import type { CallRecord } from '../../../electron/api/dispatcher.js';
import { EventBus } from '../../../electron/api/event-bus.js';
import { PRUNE_INTERVAL_MS } from '../../../electron/config/history-retention.js';
import { Store } from '../../../electron/store/store.js';
import { auditExportChunk, AuditRecord } from '../../../shared/audit.js';
import { AgentConfig } from '../../../shared/config.js';
import type { AgentEvent } from '../../../shared/events.js';
import type { CallerContext } from '../../../shared/rpc.js';
import { tempDir } from '../../support/agent-process.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLogger } from '../../support/test-logger.js';

const day = 86_400_000;
const admin: CallerContext = { transport: 'http', remote: '10.0.0.9', principal: 'ops', scope: 'admin' };
const loopback: CallerContext = { transport: 'http', remote: '127.0.0.1' };
const desktop: CallerContext = { transport: 'ipc', remote: null, principal: 'desktop' };

const ok = { ok: true as const, result: {} };
const refused = (code: 'forbidden' | 'not_found', message: string) => ({
  ok: false as const,
  error: { code, message },
});

function setup(retentionDays = 90) {
  const dataDir = tempDir();
  const clock = new ManualClock();
  const store = Store.open(dataDir, { now: clock.now() });
  const { logger, lines } = memoryLogger();
  const events = new EventBus(logger);
  const published: AgentEvent[] = [];
  events.subscribe((event) => published.push(event));
  const audit = createAuditCapability({
    config: AgentConfig.parse({ name: 'n1', dataDir, audit: { retentionDays } }),
    clock,
    store,
    events,
    logger: () => logger,
  });
  onTestFinished(() => {
    void audit.stop?.();
    store.close();
  });
  const call = (record: Partial<CallRecord> & Pick<CallRecord, 'method'>) =>
    audit.record({ params: {}, caller: admin, outcome: ok, seconds: 0.002, ...record });
  const list = (query: Parameters<AuditCapability['handlers']['audit.list']>[0]) =>
    audit.handlers['audit.list'](query, admin) as AuditRecord[];
  return { audit, clock, store, lines, published, call, list };
}

describe('audit log', () => {
  it('records mutating calls with who, from where, masked params, outcome and duration; reads are not recorded', async () => {
    const { call, list, clock, published } = setup();
    call({
      method: 'cluster.configure',
      params: { backend: { kind: 'etcd', endpoints: ['http://e:2379'], auth: { username: 'u', password: 'pw' } } },
      seconds: 0.0125,
    });
    call({ method: 'node.status' });
    call({ method: 'services.list' });
    call({ method: 'audit.list', params: { limit: 100 } });
    call({ method: 'unknown', params: { x: 1 } });
    await clock.advance(1000);
    call({ method: 'services.remove', caller: loopback, outcome: refused('not_found', 'no service "x"') });
    call({ method: 'tasks.cancel', caller: desktop, params: { id: 't' } });

    const records = list({ limit: 100 });
    expect(records.map((record) => AuditRecord.parse(record))).toEqual(records);
    expect(records.map(({ principal, method, outcome }) => [principal, method, outcome])).toEqual([
      ['desktop', 'tasks.cancel', 'ok'],
      ['loopback', 'services.remove', 'error'],
      ['ops', 'cluster.configure', 'ok'],
    ]);
    expect(records[1]).toMatchObject({
      transport: 'http',
      remote: '127.0.0.1',
      error: { code: 'not_found', message: 'no service "x"' },
      at: clock.now(),
    });
    expect(records[2]).toMatchObject({
      principal: 'ops',
      remote: '10.0.0.9',
      target: null,
      params: { backend: { kind: 'etcd', endpoints: ['http://e:2379'], auth: { username: 'u', password: '***' } } },
      paramsTruncated: false,
      error: null,
      durationMs: 12.5,
    });
    expect(published).toEqual(records.map((record) => ({ type: 'audit.recorded', data: { id: record.id } })).reverse());
  });

  it('records a cluster.call when the method it relays changes something, naming the member and method', () => {
    const { call, list } = setup();
    call({ method: 'cluster.call', params: { memberId: 'node-b', method: 'services.list', params: {} } });
    call({ method: 'cluster.call', params: { memberId: 'node-b', method: 'nodes.explode' } });
    call({
      method: 'cluster.call',
      params: { memberId: 'node-b', method: 'services.upsert', params: { id: 'db', token: 't' } },
      outcome: refused('forbidden', 'may not'),
    });
    call({
      method: 'cluster.call',
      params: { method: 'tasks.cancel', memberId: 7 },
      outcome: { ok: false, error: { code: 'invalid_request', message: 'memberId: expected string' } },
    });
    expect(list({ limit: 10 })).toEqual([
      expect.objectContaining({ target: { memberId: '(none)', method: 'tasks.cancel' }, outcome: 'error' }),
      expect.objectContaining({
        method: 'cluster.call',
        target: { memberId: 'node-b', method: 'services.upsert' },
        params: { memberId: 'node-b', method: 'services.upsert', params: { id: 'db', token: '***' } },
        outcome: 'error',
        error: { code: 'forbidden', message: 'may not' },
      }),
    ]);
  });

  it('filters by principal, method prefix (the relayed method too), outcome and time, and pages by id', async () => {
    const { call, list, clock } = setup();
    const start = clock.now();
    call({ method: 'services.upsert' });
    call({ method: 'services.remove', caller: desktop, outcome: refused('not_found', 'gone') });
    await clock.advance(60_000);
    call({ method: 'tasks.submit' });
    call({ method: 'cluster.call', params: { memberId: 'b', method: 'services.remove' } });
    await clock.advance(60_000);
    call({ method: 'tasks.cancel', caller: desktop });
    // A prefix is literal: "_" and "%" are not wildcards.
    call({ method: 'services_x' as CallRecord['method'] });

    const methodsOf = (records: AuditRecord[]) => records.map((record) => record.target?.method ?? record.method);
    expect(methodsOf(list({ limit: 100, principal: 'desktop' }))).toEqual(['tasks.cancel', 'services.remove']);
    expect(methodsOf(list({ limit: 100, methodPrefix: 'services.' }))).toEqual([
      'services.remove',
      'services.remove',
      'services.upsert',
    ]);
    expect(methodsOf(list({ limit: 100, methodPrefix: 'services%' }))).toEqual([]);
    expect(methodsOf(list({ limit: 100, outcome: 'error' }))).toEqual(['services.remove']);
    expect(methodsOf(list({ limit: 100, from: start + 60_000, to: start + 120_000 }))).toEqual([
      'services.remove',
      'tasks.submit',
    ]);
    expect(methodsOf(list({ limit: 100, principal: 'ops', outcome: 'ok', methodPrefix: 'tasks.' }))).toEqual([
      'tasks.submit',
    ]);

    const first = list({ limit: 2 });
    const second = list({ limit: 2, before: first.at(-1)!.id });
    const third = list({ limit: 2, before: second.at(-1)!.id });
    expect(methodsOf([...first, ...second, ...third])).toEqual([
      'tasks.cancel',
      'services.remove',
      'tasks.submit',
      'services.remove',
      'services.upsert',
    ]);
  });

  it('exports the filtered records as JSON lines, oldest first, in chunks that continue by id', () => {
    const { audit, call } = setup();
    const total = auditExportChunk + 3;
    for (let i = 0; i < total; i += 1) call({ method: 'tasks.cancel', params: { id: `t${i}` } });
    call({ method: 'services.upsert', params: { id: 'web' } });

    const exportOf = (query: Parameters<AuditCapability['handlers']['audit.export']>[0]) =>
      audit.handlers['audit.export'](query, admin) as { text: string; count: number; more: boolean; nextAfter: number };
    const first = exportOf({ methodPrefix: 'tasks.' });
    expect(first).toMatchObject({ count: auditExportChunk, more: true });
    const second = exportOf({ methodPrefix: 'tasks.', after: first.nextAfter });
    expect(second).toMatchObject({ count: 3, more: false });
    const lines = (first.text + second.text).split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => AuditRecord.parse(JSON.parse(line)));
    expect(records.map((record) => record.params)).toEqual(Array.from({ length: total }, (_, i) => ({ id: `t${i}` })));
    expect(exportOf({ outcome: 'error' })).toEqual({ text: '', count: 0, more: false, nextAfter: null });
  });

  it('keeps records for the configured days: pruned at start and on the timer', async () => {
    const { audit, call, clock, list } = setup(2);
    call({ method: 'services.upsert', params: { id: 'old' } });
    await clock.advance(day);
    call({ method: 'services.upsert', params: { id: 'newer' } });
    await clock.advance(day + 1);
    await audit.start?.({ apiUrl: 'http://127.0.0.1:1' });
    const ids = () => list({ limit: 10 }).map((record) => (record.params as { id: string }).id);
    expect(ids()).toEqual(['newer']);
    await clock.advance(day - PRUNE_INTERVAL_MS);
    expect(ids()).toEqual(['newer']);
    await clock.advance(PRUNE_INTERVAL_MS);
    expect(ids()).toEqual([]);
  });

  it('never fails a call: a write that cannot be made is logged', () => {
    const { call, store, lines, published } = setup();
    store.close();
    expect(() => call({ method: 'services.upsert', params: { id: 'web', password: 'pw' } })).not.toThrow();
    expect(published).toEqual([]);
    const logged = lines.find((line) => line.msg === 'could not write an audit record');
    expect(logged).toMatchObject({ method: 'services.upsert' });
    expect(JSON.stringify(lines)).not.toContain('pw"');
  });
});
