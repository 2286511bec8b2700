import { afterEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  FencedError,
  type Campaign,
  type CoordinationBackend,
  type KvEvent,
  type MemberEntry,
} from '../../../electron/cluster/coordination-backend.js';
import type { LeaderInfo, MemberRecord } from '../../../shared/node.js';
import { waitFor } from '../../support/poll.js';

export interface ContractHarness {
  /** A new backend client connected to the same fleet as every other one from this harness. */
  backend(): Promise<CoordinationBackend>;
  /** Lets `ms` of backend time pass (a manual clock for local, real time for remote backends). */
  elapse(ms: number): Promise<void>;
  /**
   * Writes a raw value under the fleet prefix as another tool would (bypassing validation); with `leased`, bound
   * to a live lease of its own (a minute long).
   */
  writeRaw(key: string, value: string, options?: { leased?: boolean }): Promise<void>;
  /** Warning messages the adapters logged so far. */
  warnings(): string[];
  ttlSeconds: number;
  cleanup(): Promise<void>;
}

export const memberRecord = (id: string): MemberRecord => ({
  id,
  name: `Node ${id}`,
  role: 'agent',
  labels: { zone: 'a' },
  version: '0.1.0',
  apiUrl: `http://127.0.0.1:${7000 + id.length}`,
  startedAt: 1,
});

/** The behaviour every CoordinationBackend adapter must show; run once per adapter. */
export function describeCoordinationContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`CoordinationBackend contract: ${name}`, () => {
    let harness: ContractHarness;
    const setup = async () => (harness = await makeHarness());
    afterEach(async () => harness?.cleanup());

    const latest = <T>(subscribe: (listener: (value: T) => void) => void) => {
      const seen: T[] = [];
      subscribe((value) => seen.push(value));
      return seen;
    };
    const ids = (members: MemberEntry[] | undefined) => (members ?? []).map((m) => m.record.id).sort();
    // waitFor takes null for an answer: leadership is awaited as "a token, not null".
    const leading = (campaign: Campaign) => campaign.current() ?? false;
    /** Returns once `events` (from a watch on `prefix`) is live: a remote watch starts asynchronously. */
    const watchIsLive = async (backend: CoordinationBackend, prefix: string, events: KvEvent[]) => {
      const sync = `${prefix}sync-${Math.random().toString(36).slice(2)}`;
      const seen = (type: KvEvent['type']) =>
        events.some((e) => e.type === type && (e.type === 'put' ? e.entry.key : e.key) === sync);
      // Writes until one write is seen: the ones before the watch started are (rightly) not reported.
      await waitFor('the watch to start', async () => seen('put') || (await backend.put(sync, '{}'), false));
      await backend.delete(sync);
      await waitFor('the watch to see the delete', () => seen('delete'));
      events.length = 0;
    };

    it('lists and watches registered members; a revoked registration disappears at once', async () => {
      await setup();
      const a = await harness.backend();
      const b = await harness.backend();
      const views = latest<MemberEntry[]>((l) => b.watchMembers(l));
      const regA = await a.register(memberRecord('a'), harness.ttlSeconds);
      await b.register(memberRecord('b'), harness.ttlSeconds);
      await waitFor('both members in the watch', () => ids(views.at(-1)).join() === 'a,b');
      expect(ids(await a.listMembers())).toEqual(['a', 'b']);
      expect((await a.listMembers())[0]!.record).toEqual(memberRecord('a'));

      await regA.update({ ...memberRecord('a'), labels: { zone: 'b' } });
      await waitFor('the update', () => views.at(-1)?.find((m) => m.record.id === 'a')?.record.labels.zone === 'b');

      await regA.revoke();
      await waitFor('a to leave', () => ids(views.at(-1)).join() === 'b');
    });

    it('drops a member whose keepalives stop, within the TTL', async () => {
      await setup();
      const crashing = await harness.backend();
      const observer = await harness.backend();
      await crashing.register(memberRecord('c'), harness.ttlSeconds);
      const views = latest<MemberEntry[]>((l) => observer.watchMembers(l));
      await waitFor('c registered', () => ids(views.at(-1)).join() === 'c');
      await crashing.close(); // no revoke: like kill -9
      await harness.elapse(harness.ttlSeconds * 1000 + 500);
      await waitFor('c expired', () => views.at(-1)?.length === 0);
    });

    it('elects exactly one leader, with a fencing token, and hands over on resign', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const regA = await a.register(memberRecord('a'), harness.ttlSeconds);
      const regB = await b.register(memberRecord('b'), harness.ttlSeconds);
      const observed = latest<LeaderInfo | null>((l) => b.observeLeader(l));
      const campaignA = a.campaign('a', regA);
      await waitFor('a elected', () => leading(campaignA));
      const campaignB = b.campaign('b', regB);
      await waitFor('observer sees a', () => observed.at(-1)?.id === 'a');
      expect(campaignB.current()).toBeNull();
      const token = campaignA.current()!;
      expect(token).toMatchObject({ id: 'a', leaseId: regA.leaseId });
      expect(observed.at(-1)).toMatchObject({ id: 'a', leaseId: regA.leaseId, revision: token.revision });

      await campaignA.resign();
      expect(campaignA.current()).toBeNull();
      await waitFor('b takes over', () => leading(campaignB));
      await waitFor('observer sees b', () => observed.at(-1)?.id === 'b');
      expect(BigInt(campaignB.current()!.revision)).toBeGreaterThan(BigInt(token.revision));
    });

    it('deposes a leader whose lease is lost, and elects the next candidate', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const campaignA = a.campaign('a', await a.register(memberRecord('a'), harness.ttlSeconds));
      await waitFor('a elected', () => leading(campaignA));
      const campaignB = b.campaign('b', await b.register(memberRecord('b'), harness.ttlSeconds));
      await a.close(); // a stops keeping its lease alive
      await harness.elapse(harness.ttlSeconds * 1000 + 500);
      expect(campaignA.current()).toBeNull(); // the fence: a must not act any more
      await waitFor('b elected', () => leading(campaignB));
    });

    it('reports "no leader" when nobody campaigns', async () => {
      await setup();
      const a = await harness.backend();
      const observed = latest<LeaderInfo | null>((l) => a.observeLeader(l));
      await waitFor('first observation', () => observed.length > 0);
      expect(observed).toEqual([null]);
    });

    it('stores, lists, watches and deletes shared values with increasing revisions', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const events = latest<KvEvent>((l) => b.watch('patterns/', l));
      await watchIsLive(a, 'patterns/', events);
      const r1 = await a.put('patterns/nginx', '{"v":1}');
      const r2 = await a.put('patterns/nginx', '{"v":2}');
      expect(BigInt(r2)).toBeGreaterThan(BigInt(r1));
      await a.put('rules/cpu', '{}');
      expect(await b.get('patterns/nginx')).toEqual({ key: 'patterns/nginx', value: '{"v":2}', revision: r2 });
      expect((await b.list('patterns/')).map((e) => e.key)).toEqual(['patterns/nginx']);
      await a.delete('patterns/nginx');
      expect(await b.get('patterns/nginx')).toBeNull();
      await waitFor('three events', () => events.length === 3);
      expect(events.map((e) => e.type)).toEqual(['put', 'put', 'delete']);
      expect(events[2]).toMatchObject({ type: 'delete', key: 'patterns/nginx' });
    });

    it('never lets a queued candidate lead while the head still holds (a middle candidate leaving)', async () => {
      await setup();
      const [a, b, c] = [await harness.backend(), await harness.backend(), await harness.backend()];
      const campaignA = a.campaign('a', await a.register(memberRecord('a'), harness.ttlSeconds));
      await waitFor('a elected', () => leading(campaignA));
      const campaignB = b.campaign('b', await b.register(memberRecord('b'), harness.ttlSeconds));
      const observed = latest<LeaderInfo | null>((l) => b.observeLeader(l));
      await waitFor('b queued behind a', () => observed.at(-1)?.id === 'a');
      const campaignC = c.campaign('c', await c.register(memberRecord('c'), harness.ttlSeconds));
      const cClaims: Array<LeaderInfo | null> = [];
      campaignC.onChange((leadership) => cClaims.push(leadership));
      await campaignB.resign(); // c's predecessor leaves; a still leads
      await harness.elapse(300);
      expect(campaignC.current()).toBeNull();
      expect(cClaims.filter(Boolean)).toEqual([]);
      expect(campaignA.current()).not.toBeNull();
      await campaignA.resign();
      await waitFor('c elected', () => leading(campaignC));
    });

    it('reports "no leader" again when the only leader resigns', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const observed = latest<LeaderInfo | null>((l) => b.observeLeader(l));
      const campaignA = a.campaign('a', await a.register(memberRecord('a'), harness.ttlSeconds));
      await waitFor('observer sees a', () => observed.at(-1)?.id === 'a');
      await campaignA.resign();
      await waitFor('observer sees nobody', () => observed.length > 1 && observed.at(-1) === null);
    });

    it('accepts a fenced write only while the leadership it names holds', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const campaignA = a.campaign('a', await a.register(memberRecord('a'), harness.ttlSeconds));
      const tokenA = await waitFor('a elected', () => leading(campaignA));
      const campaignB = b.campaign('b', await b.register(memberRecord('b'), harness.ttlSeconds));
      const r1 = await a.put('facts', '{"by":"a"}', { fence: tokenA });
      expect((await b.get('facts'))?.revision).toBe(r1);
      await expect(b.put('facts', '{"by":"b"}', { fence: { ...tokenA, id: 'b', revision: '999999' } })).rejects.toThrow(
        FencedError,
      );

      await campaignA.resign();
      await expect(a.put('facts', '{"by":"stale a"}', { fence: tokenA })).rejects.toThrow(FencedError);
      const tokenB = await waitFor('b elected', () => leading(campaignB));
      await b.put('facts', '{"by":"b"}', { fence: tokenB });
      await expect(a.put('facts', '{"by":"stale a"}', { fence: tokenA })).rejects.toThrow(FencedError);
      expect((await a.get('facts'))?.value).toBe('{"by":"b"}');
    });

    it('writes only at the revision the writer read (compare-and-set), or only if absent', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const created = await a.put('tasks/t1', '{"state":"pending"}', { ifRevision: null });
      await expect(b.put('tasks/t1', '{"state":"other"}', { ifRevision: null })).rejects.toThrow(ConflictError);
      const assigned = await b.put('tasks/t1', '{"state":"assigned"}', { ifRevision: created });
      await expect(a.put('tasks/t1', '{"state":"stale"}', { ifRevision: created })).rejects.toThrow(ConflictError);
      expect(await a.get('tasks/t1')).toEqual({ key: 'tasks/t1', value: '{"state":"assigned"}', revision: assigned });
      await a.delete('tasks/t1');
      await expect(a.put('tasks/t1', '{}', { ifRevision: assigned })).rejects.toThrow(ConflictError);
      expect(await a.get('tasks/t1')).toBeNull();
    });

    it('writes several values all at once, or none of them when one compare fails', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const taken = await a.put('batch/k2', '"earlier"', { ifRevision: null });
      await expect(
        b.putAll([
          { key: 'batch/k1', value: '"one"', ifRevision: null },
          { key: 'batch/k2', value: '"two"', ifRevision: null },
          { key: 'batch/r', value: '"record"' },
        ]),
      ).rejects.toThrow(ConflictError);
      expect((await a.list('batch/')).map((entry) => [entry.key, entry.value])).toEqual([['batch/k2', '"earlier"']]);

      const revision = await b.putAll([
        { key: 'batch/k1', value: '"one"', ifRevision: null },
        { key: 'batch/k2', value: '"two"', ifRevision: taken },
      ]);
      const written = await a.list('batch/');
      expect(written.map((entry) => [entry.key, entry.value])).toEqual([
        ['batch/k1', '"one"'],
        ['batch/k2', '"two"'],
      ]);
      expect(written.map((entry) => entry.revision)).toContain(revision);
      await expect(
        b.putAll(Array.from({ length: 129 }, (_, i) => ({ key: `batch/n${i}`, value: '1' }))),
      ).rejects.toThrow(RangeError);
      await expect(
        b.putAll([
          { key: 'batch/x', value: '1' },
          { key: 'batch/x', value: '2' },
        ]),
      ).rejects.toThrow(RangeError);
    });

    it('lets exactly one of two concurrent creates of a key win', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      for (const round of [1, 2, 3]) {
        const key = `idem/k${round}`;
        const outcomes = await Promise.allSettled([
          a.put(key, '"a"', { ifRevision: null }),
          b.put(key, '"b"', { ifRevision: null }),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(lost[0]).toBeInstanceOf(ConflictError);
        const winner = outcomes[0]!.status === 'fulfilled' ? '"a"' : '"b"';
        expect((await a.get(key))?.value).toBe(winner);
      }
    });

    it('combines the fence and the revision compare: a deposed leader is fenced, a stale read conflicts', async () => {
      await setup();
      const [a, b] = [await harness.backend(), await harness.backend()];
      const campaignA = a.campaign('a', await a.register(memberRecord('a'), harness.ttlSeconds));
      const tokenA = await waitFor('a elected', () => leading(campaignA));
      const first = await a.put('tasks/t2', '{"v":1}', { fence: tokenA, ifRevision: null });
      await expect(a.put('tasks/t2', '{"v":2}', { fence: tokenA, ifRevision: null })).rejects.toThrow(ConflictError);
      const second = await a.put('tasks/t2', '{"v":2}', { fence: tokenA, ifRevision: first });
      await campaignA.resign();
      await expect(a.put('tasks/t2', '{"v":3}', { fence: tokenA, ifRevision: second })).rejects.toThrow(FencedError);
      await expect(b.put('tasks/t2', '{"v":3}', { fence: tokenA, ifRevision: first })).rejects.toThrow(FencedError);
      expect((await b.get('tasks/t2'))?.value).toBe('{"v":2}');
    });

    it('skips a malformed member record written by another tool', async () => {
      await setup();
      const a = await harness.backend();
      await a.register(memberRecord('a'), harness.ttlSeconds);
      await harness.writeRaw('members/garbage', 'not json at all', { leased: true });
      await harness.writeRaw('members/wrong', JSON.stringify({ id: 'Wrong Id', name: '' }), { leased: true });
      expect(ids(await a.listMembers())).toEqual(['a']);
      expect(harness.warnings()).toEqual(
        expect.arrayContaining(['skipping a value that is not JSON', 'skipping a malformed value']),
      );
    });

    it('lists a member record only bound to a lease, and only with a plain http(s)://host:port apiUrl', async () => {
      await setup();
      const a = await harness.backend();
      const record = (id: string, apiUrl: string) => JSON.stringify({ ...memberRecord(id), apiUrl });
      await harness.writeRaw('members/unleased', record('unleased', 'http://127.0.0.1:41199'));
      await harness.writeRaw('members/relay', record('relay', 'http://127.0.0.1:41199/anything?q='), { leased: true });
      await harness.writeRaw('members/fine', record('fine', 'https://10.0.0.7:7420'), { leased: true });
      expect(ids(await a.listMembers())).toEqual(['fine']);
      expect(harness.warnings()).toEqual(
        expect.arrayContaining(['skipping a member record not bound to a lease', 'skipping a malformed value']),
      );
    });
  });
}
