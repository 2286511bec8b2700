import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberEntry } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend } from '../../../electron/cluster/etcd/etcd-backend.js';
import { fleetKeys } from '../../../electron/cluster/fleet-keys.js';
import { systemClock } from '../../../electron/core/clock.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const CLUSTER = 'records';
const key = (id: string) => fleetKeys(CLUSTER).member(id);
const json = (id: string, apiUrl: string) => JSON.stringify({ ...memberRecord(id), apiUrl });

describe('member records written into etcd by another tool', () => {
  let etcd: EtcdCluster;
  let observer: EtcdBackend;
  const { logger, lines } = memoryLogger();
  const views: MemberEntry[][] = [];
  const ids = (view: MemberEntry[] | undefined) => (view ?? []).map((m) => m.record.id).join();

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    observer = new EtcdBackend({ endpoints: etcd.endpoints, cluster: CLUSTER, clock: systemClock, logger });
    await observer.connect();
    observer.watchMembers((members) => views.push(members));
  });
  afterAll(async () => {
    await observer?.close();
    await etcd?.stop();
  });

  const grantLease = async () => {
    const granted = await etcd.etcdctl(['lease', 'grant', '60']);
    const id = /lease ([0-9a-f]+) granted/.exec(granted.stdout)?.[1];
    if (!id) throw new Error(`no lease id in ${granted.stdout} ${granted.stderr}`);
    return id;
  };
  const put = async (args: string[]) => {
    const result = await etcd.etcdctl(['put', ...args]);
    expect(result.code, result.stderr).toBe(0);
  };

  it('lists only records bound to a live lease and with a plain http(s)://host:port apiUrl', async () => {
    const lease = await grantLease();
    await put([key('unleased'), json('unleased', 'http://127.0.0.1:41199')]);
    await put([`--lease=${lease}`, key('relay'), json('relay', 'http://127.0.0.1:41199/anything?q=')]);
    await put([`--lease=${lease}`, key('userinfo'), json('userinfo', 'http://user:pw@127.0.0.1:41199')]);
    await put([`--lease=${lease}`, key('fragment'), json('fragment', 'https://127.0.0.1:41199#x')]);
    await put([`--lease=${lease}`, key('ftp'), json('ftp', 'ftp://127.0.0.1:41199')]);
    // Written last: once the watch shows it, it has delivered every record above.
    await put([`--lease=${lease}`, key('valid'), json('valid', 'https://127.0.0.1:41199')]);

    await waitFor('the leased, valid record', () => ids(views.at(-1)) === 'valid');
    expect(views.every((view) => ids(view) === '' || ids(view) === 'valid')).toBe(true);
    expect(ids(await observer.listMembers())).toBe('valid');

    const skipped = (id: string) => lines.filter((line) => line.level === 40 && line.key === key(id));
    expect(skipped('unleased').map((line) => line.msg)).toContain('skipping a member record not bound to a lease');
    for (const id of ['relay', 'userinfo', 'fragment', 'ftp']) {
      expect(skipped(id).map((line) => line.msg)).toContain('skipping a malformed value');
    }
    expect(String(skipped('relay')[0]!.problem)).toMatch(/apiUrl/);

    // Revoking the lease takes its records with it.
    const revoked = await etcd.etcdctl(['lease', 'revoke', lease]);
    expect(revoked.code, revoked.stderr).toBe(0);
    await waitFor('the records of the revoked lease gone', () => ids(views.at(-1)) === '');
  });
});
