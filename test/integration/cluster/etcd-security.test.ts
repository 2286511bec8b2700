import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvEvent, MemberEntry } from '../../../electron/cluster/coordination-backend.js';
import { EtcdBackend, testEtcdConnection } from '../../../electron/cluster/etcd/etcd-backend.js';
import type { EtcdConnectionOptions } from '../../../electron/cluster/etcd/etcd-client.js';
import { systemClock } from '../../../electron/core/clock.js';
import { startEtcdCluster, type EtcdCluster } from '../../support/etcd-cluster.js';
import { waitFor } from '../../support/poll.js';
import { memoryLogger } from '../../support/test-logger.js';
import { createTestCertificates, type TestCertificates } from '../../support/tls-certs.js';
import { memberRecord } from '../../unit/cluster/coordination-contract.js';

const TTL_SECONDS = 2;

/** Registration, election, a shared value and a watch: the whole backend works over this connection. */
async function exerciseBackend(connection: EtcdConnectionOptions) {
  const { logger } = memoryLogger();
  const backend = new EtcdBackend({ ...connection, cluster: 'secure', clock: systemClock, logger });
  try {
    await backend.connect();
    expect(backend.status()).toEqual({ kind: 'etcd', state: 'connected', lastError: null });
    const members: MemberEntry[][] = [];
    backend.watchMembers((list) => members.push(list));
    const registration = await backend.register(memberRecord('secure-node'), TTL_SECONDS);
    await waitFor('the member listed', () => members.at(-1)?.length === 1);
    const campaign = backend.campaign('secure-node', registration);
    const token = await waitFor('leadership', () => campaign.current() ?? false);
    const events: KvEvent[] = [];
    backend.watch('settings/', (event) => events.push(event));
    await waitFor('a fenced write to be watched', async () => {
      await backend.put('settings/tls', '{"ok":true}', { fence: token });
      return events.length > 0;
    });
    expect((await backend.get('settings/tls'))?.value).toBe('{"ok":true}');
    await campaign.resign();
    await registration.revoke();
    await waitFor('the member gone', () => members.at(-1)?.length === 0);
  } finally {
    await backend.close();
  }
}

describe('etcd over TLS with client certificates', () => {
  let etcd: EtcdCluster;
  let otherCa: TestCertificates;
  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1, tls: true });
    otherCa = createTestCertificates();
  });
  afterAll(async () => {
    await etcd?.stop();
    otherCa?.remove();
  });

  it('works with the CA and a client certificate', async () => {
    await exerciseBackend({ endpoints: etcd.endpoints, tls: etcd.tls! });
  });

  it('tests the connection, and names an untrusted CA and a missing client certificate', async () => {
    const ok = await testEtcdConnection({ endpoints: etcd.endpoints, tls: etcd.tls! });
    expect(ok).toMatchObject({ ok: true, memberCount: 1, authenticated: false });
    expect(ok.ok && ok.version).toMatch(/^3\.\d+\.\d+/);
    expect(ok.ok && ok.clusterId).toMatch(/^[0-9a-f]+$/);

    const untrusted = await testEtcdConnection({
      endpoints: etcd.endpoints,
      tls: { ...etcd.tls!, caFile: otherCa.caFile },
      dialTimeoutMs: 2000,
    });
    console.info(`[etcd security] untrusted CA: ${JSON.stringify(untrusted)}`);
    expect(untrusted).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^TLS error talking to etcd at https:\/\/127\.0\.0\.1:\d+: the server's certificate is not signed by the configured CA/,
      ),
    });

    const noClientCert = await testEtcdConnection({
      endpoints: etcd.endpoints,
      tls: { caFile: etcd.tls!.caFile },
      dialTimeoutMs: 2000,
    });
    console.info(`[etcd security] no client certificate: ${JSON.stringify(noClientCert)}`);
    expect(noClientCert).toEqual({ ok: false, error: expect.stringMatching(/^TLS error talking to etcd at https:/) });

    const missingFile = await testEtcdConnection({ endpoints: etcd.endpoints, tls: { caFile: '/nonexistent/ca.pem' } });
    expect(missingFile).toEqual({
      ok: false,
      error: expect.stringContaining('cannot read the etcd TLS CA file /nonexistent/ca.pem'),
    });
  });
});

describe('etcd with user/password auth', () => {
  let etcd: EtcdCluster;
  const auth = { user: 'fleet', password: 'correct horse' };
  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1, auth });
  });
  afterAll(async () => etcd?.stop());

  it('works for a user whose role may read and write fleetdeck/', async () => {
    await exerciseBackend({ endpoints: etcd.endpoints, auth: { username: auth.user, password: auth.password } });
  });

  it('tests the connection, and names a wrong password and an unreachable endpoint', async () => {
    const ok = await testEtcdConnection({
      endpoints: etcd.endpoints,
      auth: { username: auth.user, password: auth.password },
    });
    expect(ok).toMatchObject({ ok: true, memberCount: 1, authenticated: true });

    const wrong = await testEtcdConnection({
      endpoints: etcd.endpoints,
      auth: { username: auth.user, password: 'wrong' },
    });
    expect(wrong).toEqual({ ok: false, error: 'etcd authentication failed: wrong user name or password' });

    const backend = new EtcdBackend({
      endpoints: etcd.endpoints,
      auth: { username: auth.user, password: 'wrong' },
      cluster: 'secure',
      clock: systemClock,
      logger: memoryLogger().logger,
    });
    await expect(backend.connect()).rejects.toThrow('etcd authentication failed: wrong user name or password');
    expect(backend.status()).toEqual({
      kind: 'etcd',
      state: 'lost',
      lastError: 'etcd authentication failed: wrong user name or password',
    });
    await backend.close();

    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await testEtcdConnection({ endpoints: [nobody], dialTimeoutMs: 1000 });
    console.info(`[etcd security] unreachable: ${JSON.stringify(unreachable)}`);
    expect(unreachable).toEqual({
      ok: false,
      error: expect.stringMatching(new RegExp(`^etcd unreachable at ${nobody}: `)),
    });
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}
