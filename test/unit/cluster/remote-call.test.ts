import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openMemberLink, type MemberLinkLimits } from '../../../electron/cluster/member-link.js';
import { memberCall } from '../../../electron/cluster/remote-call.js';
import { ApiConfig } from '../../../shared/config.js';
import type { Member } from '../../../shared/node.js';
import type { CallerContext, RpcOutcome } from '../../../shared/rpc.js';
import { tempDir } from '../../support/agent-process.js';
import { configFailure } from '../../support/config-failure.js';
import { memberRecord } from './coordination-contract.js';

interface Seen {
  url: string;
  authorization: string | undefined;
  body: string;
}

const credential = 'a-fleet-credential-of-enough-length';
const api = ApiConfig.parse({ host: '127.0.0.1', port: 0 });
const caller = (scope?: CallerContext['scope']): CallerContext => ({ transport: 'http', remote: '127.0.0.1', scope });

describe('cluster.call relayed to a member over HTTP', () => {
  let server: Server;
  let origin: string;
  let seen: Seen[];
  let answer: (response: ServerResponse) => void;
  const selfCalls: string[] = [];
  const dir = tempDir();
  const tokenFile = join(dir, 'fleet.token');

  beforeAll(async () => {
    writeFileSync(tokenFile, `${credential}\n`, { mode: 0o600 });
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    selfCalls.length = 0;
  });

  const json = (status: number, body: unknown) => (response: ServerResponse) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const call = (limits?: MemberLinkLimits) => {
    const members: Member[] = [
      { ...memberRecord('a'), leader: true, lastSeen: 1 },
      { ...memberRecord('b'), apiUrl: origin, leader: false, lastSeen: 1 },
    ];
    return memberCall({
      members: () => members,
      self: {
        id: 'a',
        call: async (method): Promise<RpcOutcome> => {
          selfCalls.push(method);
          return { ok: true, result: null };
        },
      },
      link: openMemberLink({ api: api, fleetLink: { tokenFile } }, limits),
    });
  };

  it('posts to <origin>/rpc/<method> with the fleet credential and returns the answer', async () => {
    const leader = { id: 'a', leaseId: '7', revision: '12', since: 5 };
    answer = json(200, leader);
    await expect(call()('b', 'cluster.leader', {}, caller('read'))).resolves.toEqual(leader);
    expect(seen).toEqual([{ url: '/rpc/cluster.leader', authorization: `Bearer ${credential}`, body: '{}' }]);
  });

  it("calls this node's own dispatcher for itself, not HTTP", async () => {
    await expect(call()('a', 'cluster.leader', {}, caller('read'))).resolves.toBeNull();
    expect(selfCalls).toEqual(['cluster.leader']);
    expect(seen).toEqual([]);
  });

  it('refuses an answer that does not match the method’s response schema, naming the member', async () => {
    answer = json(200, { id: 42, stolen: 'params' });
    await expect(call()('b', 'cluster.leader', {}, caller('read'))).rejects.toMatchObject({
      code: 'unavailable',
      message: 'b answered cluster.leader with a result that does not match its schema',
    });
  });

  it('an under-scoped caller cannot relay a method; the member gets no request', async () => {
    answer = json(200, { applied: true, backend: 'local', savedFile: '/x' });
    const backend = { backend: { kind: 'local' } };
    for (const scope of ['read', 'operate'] as const) {
      await expect(call()('b', 'cluster.configure', backend, caller(scope))).rejects.toMatchObject({
        code: 'forbidden',
        message: `scope ${scope} may not call cluster.configure on b: it needs scope admin`,
      });
    }
    expect(seen).toEqual([]);
    await expect(call()('b', 'cluster.configure', backend, caller('admin'))).resolves.toMatchObject({ applied: true });
    expect(seen.map((s) => s.url)).toEqual(['/rpc/cluster.configure']);
  });

  it('an unknown method is refused here, before any request', async () => {
    await expect(call()('b', 'node.explode', {}, caller())).rejects.toMatchObject({
      code: 'not_found',
      message: 'b: unknown method "node.explode"',
    });
    expect(seen).toEqual([]);
  });

  it("the member refusing this node's credential is the member's error, not the caller's (no 401 here)", async () => {
    answer = json(401, { error: { code: 'unauthorized', message: 'a token is needed' } });
    await expect(call()('b', 'cluster.leader', {}, caller('read'))).rejects.toMatchObject({
      code: 'unavailable',
      message: 'b: a token is needed',
    });
  });

  it('refuses an answer larger than the limit, and one that takes longer than the limit', async () => {
    const limits = { timeoutMs: 300, maxResponseBytes: 1024 };
    answer = (response) => response.writeHead(200).end(`"${'x'.repeat(4096)}"`);
    await expect(call(limits)('b', 'cluster.leader', {}, caller())).rejects.toMatchObject({
      code: 'unavailable',
      message: `b: cannot reach ${origin}: the answer is larger than 1024 bytes`,
    });
    answer = () => undefined;
    const started = performance.now();
    await expect(call(limits)('b', 'cluster.leader', {}, caller())).rejects.toMatchObject({
      code: 'unavailable',
      message: `b: cannot reach ${origin}: no answer within 300 ms`,
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a fleet credential file that cannot be used stops start-up naming the setting', () => {
    const short = join(dir, 'short.token');
    writeFileSync(short, 'abc\n');
    const link = (file: string) => () =>
      openMemberLink({
        api: api,
        fleetLink: { tokenFile: file },
      });
    expect(configFailure(link(join(dir, 'missing')))).toMatch(
      /^fleetLink\.tokenFile: cannot read the fleet credential .*missing: ENOENT/,
    );
    expect(configFailure(link(short))).toMatch(
      /^fleetLink\.tokenFile: fleet credential .*short\.token holds 3 characters/,
    );
  });
});
