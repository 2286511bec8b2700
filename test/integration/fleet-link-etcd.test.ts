import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { fleetKeys } from '../../electron/cluster/fleet-keys.js';
import { AgentConfig } from '../../shared/config.js';
import { assertBuilt, cliPath, repoRoot, tempDir } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { createTestCa, type CertificateFiles } from '../support/openssl-ca.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';
import { memberRecord } from '../unit/cluster/coordination-contract.js';

const CLUSTER = 'link';

interface Agent {
  running: RunningAgent;
  /** The admin token printed on the data dir's first start. */
  admin: string;
}

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

interface Seen {
  url: string;
  authorization: string | undefined;
}

const fleetdeck = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: repoRoot }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/**
 * Two members (a, b) of a fleet on a real etcd, each serving its API over mutual TLS with a certificate from the
 * fleet's CA, needing a token on every request and sharing a fleet credential made with the CLI; c has the
 * certificate but not the credential.
 */
describe('cluster.call between members: fleet credential, fleet CA, mutual TLS', () => {
  const dir = tempDir('fleetdeck-fleet-link-');
  const tokenFile = join(dir, 'fleet.token');
  let etcd: EtcdCluster;
  let tls: CertificateFiles & { caFile: string };
  /** Same name and key usage, signed by nobody the fleet trusts. */
  let impostor: CertificateFiles;
  const agents: Record<string, Agent> = {};
  const servers: Server[] = [];
  const seen: Seen[] = [];

  /** What an operator's script does: POST over HTTPS with the fleet CA, a client certificate and a token. */
  const rpc = (
    agent: Agent,
    method: string,
    params: unknown,
    token = agent.admin,
    extraHeaders: Record<string, string> = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(params);
      const call = request(
        `${agent.running.url}/rpc/${method}`,
        {
          method: 'POST',
          ca: readFileSync(tls.caFile),
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extraHeaders },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }),
          );
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  const relay = (from: Agent, memberId: string, method: string, params: unknown = {}, token?: string) =>
    rpc(from, 'cluster.call', { memberId, method, params }, token);

  const start = async (id: string, fleetLink: { tokenFile?: string; caFile: string }): Promise<Agent> => {
    const printed: string[] = [];
    const running = await runAgent(
      AgentConfig.parse({
        nodeId: id,
        name: id,
        dataDir: tempDir(),
        cluster: CLUSTER,
        leaseTtlSeconds: 3,
        backend: { kind: 'etcd', endpoints: etcd.endpoints },
        api: {
          host: '127.0.0.1',
          port: 0,
          auth: 'required',
          tls: { certFile: tls.certFile, keyFile: tls.keyFile, clientCaFile: tls.caFile },
        },
        fleetLink,
        resources: { intervalMs: 3_600_000 },
      }),
      { logger: memoryLogger().logger, rendererDir: null, printSecret: (text) => printed.push(text) },
    );
    const admin = /fd_[A-Za-z0-9_-]{43}/.exec(printed.join(''))?.[0];
    if (!admin) throw new Error(`${id} printed no admin token`);
    return (agents[id] = { running, admin });
  };

  /** A fake member's API: records what reaches it and answers every call with `answer`. */
  const fakeApi = async (server: Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const recordAnd = (answer: unknown) => (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
  /** Writes a member record into etcd as another tool could, bound to a live lease. */
  const forgeMember = async (id: string, apiUrl: string) => {
    const granted = await etcd.etcdctl(['lease', 'grant', '120']);
    const lease = /lease ([0-9a-f]+) granted/.exec(granted.stdout)?.[1];
    const value = JSON.stringify({ ...memberRecord(id), apiUrl });
    const put = await etcd.etcdctl(['put', `--lease=${lease}`, fleetKeys(CLUSTER).member(id), value]);
    expect(put.code, put.stderr).toBe(0);
  };
  const memberIds = async (agent: Agent) =>
    ((await rpc(agent, 'cluster.members', {})).body as unknown as Array<{ id: string }>).map((m) => m.id).sort();

  beforeAll(async () => {
    assertBuilt();
    const created = await fleetdeck(['fleet-credential', 'create', '--out', tokenFile]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const ca = createTestCa(join(dir, 'ca'), {
      subject: '/CN=Fleet CA',
      days: 30,
      extensions: {
        member: {
          basicConstraints: 'CA:FALSE',
          keyUsage: 'critical, digitalSignature',
          extendedKeyUsage: 'serverAuth, clientAuth',
          subjectAltName: 'IP:127.0.0.1',
        },
      },
    });
    tls = { ...ca.issue('member', { subject: '/CN=127.0.0.1', days: 30, extensions: 'member' }), caFile: ca.certFile };
    impostor = ca.selfSigned('impostor', { subject: '/CN=127.0.0.1', days: 30, extensions: 'member' });
    etcd = await startEtcdCluster({ members: 1 });
    await start('a', { tokenFile, caFile: tls.caFile });
    await start('b', { tokenFile, caFile: tls.caFile });
    await start('c', { caFile: tls.caFile });
    await waitFor('a sees a, b and c', async () => (await memberIds(agents.a!)).join() === 'a,b,c', {
      timeoutMs: 15_000,
    });
  }, 60_000);

  afterAll(async () => {
    for (const agent of Object.values(agents)) await agent.running.stop();
    for (const server of servers) server.close();
    await etcd?.stop();
  });

  it('the CLI refuses to overwrite a fleet credential', async () => {
    const before = readFileSync(tokenFile, 'utf8');
    expect(await fleetdeck(['fleet-credential', 'create', '--out', tokenFile])).toMatchObject({
      code: 2,
      stderr: `fleetdeck: fleet-credential create: ${tokenFile} already exists; remove it first to replace the fleet's credential\n`,
    });
    expect(readFileSync(tokenFile, 'utf8')).toBe(before);
  });

  it('a relays to b over mutual TLS with the fleet credential', async () => {
    const answer = await relay(agents.a!, 'b', 'node.status');
    expect(answer).toMatchObject({ status: 200, body: { id: 'b', name: 'b' } });
  });

  it("without the credential c is refused by b (401 there), and c's caller sees b's error", async () => {
    const answer = await relay(agents.c!, 'b', 'node.status');
    expect(answer).toEqual({
      status: 503,
      body: { error: { code: 'unavailable', message: 'b: missing token: send "Authorization: Bearer <token>"' } },
    });
  });

  it('an under-scoped caller cannot relay an admin method', async () => {
    const created = await rpc(agents.a!, 'auth.tokens.create', { name: 'viewer', scope: 'read' });
    const read = (created.body as { secret: string }).secret;
    expect((await relay(agents.a!, 'b', 'node.status', {}, read)).status).toBe(200);
    const refused = await relay(agents.a!, 'b', 'cluster.configure', { backend: { kind: 'local' } }, read);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toContain('cluster.configure');
    expect((await rpc(agents.b!, 'cluster.settings', {})).body).toMatchObject({ backend: { kind: 'etcd' } });
  });

  it('a relayed call is recorded on the member under its caller, not "fleet"; the same claim from anyone else is ignored', async () => {
    const created = await rpc(agents.a!, 'auth.tokens.create', { name: 'oncall-alice', scope: 'operate' });
    const alice = (created.body as { secret: string }).secret;
    const silence = (id: string) => ({
      value: { id, matchers: [{ name: 'rule', value: 'relay-test' }], startsAt: 1, endsAt: 4_102_444_800_000 },
    });
    expect((await relay(agents.a!, 'b', 'fleet.silences.put', silence('relayed'), alice)).status).toBe(200);
    const forged = await rpc(agents.b!, 'fleet.silences.put', silence('forged'), agents.b!.admin, {
      'x-fleetdeck-on-behalf-of': 'alice',
    });
    expect(forged.status).toBe(200);
    const listed = (await rpc(agents.b!, 'fleet.silences.list', {})).body as unknown as Array<{
      id: string;
      value: { createdBy: string };
    }>;
    const createdBy = Object.fromEntries(listed.map((entry) => [entry.id, entry.value.createdBy]));
    expect(createdBy).toMatchObject({ relayed: 'oncall-alice', forged: 'initial-admin' });
  });

  it('a forged member record with a path and query in apiUrl is not a member, and gets no request', async () => {
    const port = await fakeApi(createHttpServer(recordAnd({ stolen: true })));
    await forgeMember('relay', `http://127.0.0.1:${port}/anything?q=`);
    await forgeMember('marker', `https://127.0.0.1:${port}`);
    await waitFor('the marker record', async () => (await memberIds(agents.a!)).includes('marker'));
    expect(await memberIds(agents.a!)).not.toContain('relay');
    expect(await relay(agents.a!, 'relay', 'node.status', { secret: 'params' })).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no member "relay" in the fleet' } },
    });
    expect(seen).toEqual([]);
  });

  it('a member named by a plain http:// apiUrl is not called (the fleet has a CA), and gets no request', async () => {
    const port = await fakeApi(createHttpServer(recordAnd({ stolen: true })));
    await forgeMember('downgrade', `http://127.0.0.1:${port}`);
    await waitFor('the downgrade record', async () => (await memberIds(agents.a!)).includes('downgrade'));
    const answer = await relay(agents.a!, 'downgrade', 'node.status');
    expect(answer.status).toBe(503);
    expect(answer.body.error?.message).toBe(
      `downgrade: cannot reach http://127.0.0.1:${port}: members are called over https only here (fleetLink.caFile is set)`,
    );
    expect(seen).toEqual([]);
  });

  it('a member whose certificate the fleet CA did not sign gets no request (nor the credential)', async () => {
    const port = await fakeApi(
      createHttpsServer(
        { cert: readFileSync(impostor.certFile), key: readFileSync(impostor.keyFile) },
        recordAnd({ stolen: true }),
      ),
    );
    await forgeMember('impostor', `https://127.0.0.1:${port}`);
    await waitFor('the impostor record', async () => (await memberIds(agents.a!)).includes('impostor'));
    const answer = await relay(agents.a!, 'impostor', 'node.status');
    expect(answer.status).toBe(503);
    expect(answer.body.error?.message).toBe(
      `impostor: cannot reach https://127.0.0.1:${port}: self-signed certificate`,
    );
    expect(seen).toEqual([]);
  });

  it("a member's answer that does not match the method's response schema is refused", async () => {
    const port = await fakeApi(
      createHttpsServer(
        { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
        recordAnd({ id: 'liar', status: 'trust me' }),
      ),
    );
    await forgeMember('liar', `https://127.0.0.1:${port}`);
    await waitFor('the liar record', async () => (await memberIds(agents.a!)).includes('liar'));
    const answer = await relay(agents.a!, 'liar', 'node.status');
    expect(answer.status).toBe(503);
    expect(answer.body.error?.message).toBe('liar answered node.status with a result that does not match its schema');
    expect(seen.map((s) => s.url)).toEqual(['/rpc/node.status']);
  });
});
