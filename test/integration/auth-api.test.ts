import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { scopeAllows, type Scope } from '../../shared/auth.js';
import { AgentConfig, type AgentConfigInput } from '../../shared/config.js';
import { methods, type MethodName } from '../../shared/rpc.js';
import { methodScopes } from '../../shared/rpc/scopes.js';
import type { FailureLimits } from '../../electron/auth/failure-limiter.js';
import { databaseFileName } from '../../electron/store/store.js';
import { tempDir } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

/** Every row of every table but the audit log (which is meant to record refused calls), by table. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'audit%'`)
      .all()
      .map((t) => t.name);
    const rows = (name: string) =>
      name === 'sqlite_sequence'
        ? db.prepare(`SELECT * FROM sqlite_sequence WHERE name NOT LIKE 'audit%'`).all()
        : db.prepare(`SELECT * FROM "${name}"`).all();
    return Object.fromEntries(tables.map((name) => [name, rows(name)]));
  } finally {
    db.close();
  }
}

interface Started {
  running: RunningAgent;
  dataDir: string;
  printed: string[];
  logLines: Array<Record<string, unknown>>;
}

/** Limits high enough that the calls below that fail on purpose never get the test's address refused. */
const lenient = { maxFailures: 10_000, windowMs: 60_000, blockMs: 60_000, maxAddresses: 10 };

async function start(
  config: Partial<AgentConfigInput> = {},
  failureLimits?: FailureLimits,
  sseHeartbeatSeconds?: number,
): Promise<Started> {
  const dataDir = tempDir();
  const printed: string[] = [];
  const { logger, lines } = memoryLogger();
  const running = await runAgent(
    AgentConfig.parse({
      name: 'auth-test',
      dataDir,
      api: { host: '127.0.0.1', port: 0, auth: 'required' },
      // No resource sample during the test: the database changes only through the API.
      resources: { intervalMs: 3_600_000 },
      ...config,
    }),
    {
      logger,
      rendererDir: null,
      printSecret: (text) => printed.push(text),
      authFailureLimits: failureLimits,
      sseHeartbeatSeconds,
    },
  );
  return { running, dataDir, printed, logLines: lines };
}

const secretIn = (text: string) => /fd_[A-Za-z0-9_-]{43}/.exec(text)?.[0];

async function rpc(url: string, method: string, params: unknown, token?: string) {
  const response = await fetch(`${url}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('API authentication (api.auth: required, on 127.0.0.1)', () => {
  let agent: Started;
  let admin: string;
  const tokens: Partial<Record<Scope, string>> = {};
  let revoked: string;

  beforeAll(async () => {
    agent = await start({}, lenient);
    admin = secretIn(agent.printed.join(''))!;
    const create = async (name: string, scope: Scope) =>
      ((await rpc(agent.running.url, 'auth.tokens.create', { name, scope }, admin)).body as { secret: string }).secret;
    tokens.read = await create('grafana', 'read');
    tokens.operate = await create('oncall', 'operate');
    tokens.admin = admin;
    revoked = await create('old-laptop', 'admin');
    const { body } = await rpc(agent.running.url, 'auth.tokens.list', {}, admin);
    const id = (body as unknown as Array<{ id: string; name: string }>).find((t) => t.name === 'old-laptop')!.id;
    expect((await rpc(agent.running.url, 'auth.tokens.revoke', { id }, admin)).status).toBe(200);
    // Each token used once, so that its last-use time is written now and not during the comparison below.
    for (const token of Object.values(tokens)) await rpc(agent.running.url, 'node.status', {}, token);
    // The one resource sample of the test (the next is an hour away) is stored before any comparison.
    const file = join(agent.dataDir, databaseFileName);
    await waitFor('the first resource sample', () => dump(file).resource_samples!.length > 0);
  });

  afterAll(async () => {
    await agent?.running.stop();
  });

  it('the first start prints one admin token, once, and it works', async () => {
    expect(agent.printed).toHaveLength(1);
    expect(agent.printed[0]).toContain('"initial-admin" (scope admin)');
    const { status, body } = await rpc(agent.running.url, 'node.status', {}, admin);
    expect(status).toBe(200);
    expect(body.name).toBe('auth-test');
  });

  it('every method refuses a missing, wrong, revoked or under-scoped token and writes nothing', async () => {
    const file = join(agent.dataDir, databaseFileName);
    const before = dump(file);
    const wrong = `fd_${'x'.repeat(43)}`;
    const seen: string[] = [];
    for (const method of Object.keys(methods) as MethodName[]) {
      const expectRefused = async (token: string | undefined, status: number, message: string | RegExp) => {
        const answer = await rpc(agent.running.url, method, {}, token);
        expect({ method, status: answer.status }).toEqual({ method, status });
        expect((answer.body.error as { message: string }).message).toMatch(message);
        expect(JSON.stringify(answer.body)).not.toMatch(/fd_[A-Za-z0-9_-]{10}/);
      };
      await expectRefused(undefined, 401, 'missing token: send "Authorization: Bearer <token>"');
      await expectRefused(wrong, 401, 'unknown token');
      await expectRefused(revoked, 401, 'token "old-laptop" was revoked');
      for (const scope of ['read', 'operate'] as const) {
        if (scopeAllows(scope, methodScopes[method])) continue;
        await expectRefused(tokens[scope], 403, `needs scope ${methodScopes[method]}`);
        seen.push(`${scope}:${method}`);
      }
    }
    expect(dump(file)).toEqual(before);
    // Both lower scopes were refused somewhere (the table has operate and admin methods).
    expect(seen).toContain('read:tasks.cancel');
    expect(seen).toContain('operate:services.upsert');
  });

  it('a read token reads; operate cancels a task but cannot change a service; admin can', async () => {
    const { url } = agent.running;
    expect((await rpc(url, 'services.list', {}, tokens.read)).status).toBe(200);
    expect((await rpc(url, 'tasks.list', {}, tokens.read)).status).toBe(200);
    const submitted = await rpc(
      url,
      'tasks.submit',
      { type: 'sleep', payload: { ms: 10 }, notBefore: Date.now() + 3_600_000 },
      tokens.operate,
    );
    expect(submitted.status).toBe(200);
    const cancel = await rpc(url, 'tasks.cancel', { id: submitted.body.id }, tokens.operate);
    expect(cancel).toMatchObject({ status: 200, body: { state: 'cancelled' } });

    const service = { service: { id: 'web', name: 'Web', checks: [] } };
    const refused = await rpc(url, 'services.upsert', service, tokens.operate);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((refused.body.error as { message: string }).message).toBe(
      '"oncall" (scope operate) may not call services.upsert: it needs scope admin',
    );
    expect((await rpc(url, 'services.upsert', service, tokens.admin)).status).toBe(200);
    const list = await rpc(url, 'services.list', {}, tokens.read);
    expect(JSON.stringify(list.body)).toContain('"id":"web"');
  });

  it('cluster.call needs the scope of the method it relays', async () => {
    const { url } = agent.running;
    const self = (await rpc(url, 'node.status', {}, tokens.read)).body.id;
    const relay = (method: string, params: unknown, token?: string) =>
      rpc(url, 'cluster.call', { memberId: self, method, params }, token);
    expect((await relay('node.status', {}, tokens.read)).status).toBe(200);
    const refused = await relay('services.removeDemo', {}, tokens.read);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((refused.body.error as { message: string }).message).toContain('cluster.call of services.removeDemo');
  });

  it('/events and /metrics need a token; health probes do not', async () => {
    const { url } = agent.running;
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/events`)).status).toBe(401);
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${tokens.read}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('fleetdeck_');
    const events = await fetch(`${url}/events`, { headers: { authorization: `Bearer ${tokens.read}` } });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    await events.body?.cancel();
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it('never logs a token; failures are logged with the address and the reason', () => {
    const log = JSON.stringify(agent.logLines);
    for (const token of [...Object.values(tokens), revoked]) expect(log).not.toContain(token);
    expect(agent.logLines).toContainEqual(
      expect.objectContaining({ component: 'auth', remote: '127.0.0.1', reason: 'unknown token' }),
    );
  });
});

describe('API authentication, rate limit and sessions', () => {
  it('refuses an address with 429 after 10 failed attempts, even with a good token', async () => {
    const agent = await start();
    try {
      const admin = secretIn(agent.printed.join(''))!;
      const { url } = agent.running;
      for (let i = 0; i < 10; i++) {
        expect((await rpc(url, 'node.status', {}, `fd_${String(i).repeat(43).slice(0, 43)}`)).status).toBe(401);
      }
      const limited = await fetch(`${url}/rpc/node.status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: '{}',
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringContaining('too many failed authentications from 127.0.0.1') as string,
      });
    } finally {
      await agent.running.stop();
    }
  });

  it('a session cookie from POST /auth/session authenticates RPC and events until its token is revoked', async () => {
    const agent = await start();
    try {
      const admin = secretIn(agent.printed.join(''))!;
      const { url } = agent.running;
      expect(await (await fetch(`${url}/auth/session`)).json()).toEqual({
        required: true,
        principal: null,
        scope: null,
      });
      const created = await rpc(url, 'auth.tokens.create', { name: 'browser', scope: 'read' }, admin);
      const { secret, token } = created.body as { secret: string; token: { id: string } };

      const bad = await fetch(`${url}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'nope' }),
      });
      expect(bad.status).toBe(401);
      const login = await fetch(`${url}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: secret }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toEqual({ required: true, principal: 'browser', scope: 'read' });
      const setCookie = login.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^fleetdeck_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      const cookie = setCookie.split(';')[0]!;
      const withCookie = (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', cookie } });

      expect((await withCookie('/rpc/node.status', { method: 'POST', body: '{}' })).status).toBe(200);
      expect(await (await withCookie('/auth/session')).json()).toEqual({
        required: true,
        principal: 'browser',
        scope: 'read',
      });
      const stream = await withCookie('/events');
      expect(stream.status).toBe(200);
      await stream.body?.cancel();

      await rpc(url, 'auth.tokens.revoke', { id: token.id }, admin);
      const after = await withCookie('/rpc/node.status', { method: 'POST', body: '{}' });
      expect(after.status).toBe(401);
      expect(((await after.json()) as { error: { message: string } }).error.message).toContain('session ended');
    } finally {
      await agent.running.stop();
    }
  });

  it('an event stream opened with a token ends once that token is revoked', async () => {
    const agent = await start({}, undefined, 1);
    try {
      const admin = secretIn(agent.printed.join(''))!;
      const { url } = agent.running;
      const created = await rpc(url, 'auth.tokens.create', { name: 'dashboard', scope: 'read' }, admin);
      const { secret, token } = created.body as { secret: string; token: { id: string } };
      const response = await fetch(`${url}/events`, { headers: { authorization: `Bearer ${secret}` } });
      expect(response.status).toBe(200);
      await rpc(url, 'auth.tokens.revoke', { id: token.id }, admin);
      // The stream ends at its next heartbeat (1 s here): read until the server ends it.
      const reader = response.body!.getReader();
      for (;;) if ((await reader.read()).done) break;
    } finally {
      await agent.running.stop();
    }
  });
});

describe('API on loopback (api.auth: auto)', () => {
  it('works without a token, still checks a token that is sent, and applies its scope', async () => {
    const agent = await start({ api: { host: '127.0.0.1', port: 0 } });
    try {
      const { url } = agent.running;
      const admin = secretIn(agent.printed.join(''))!;
      expect((await rpc(url, 'node.status', {})).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      expect((await rpc(url, 'node.status', {}, `fd_${'y'.repeat(43)}`)).status).toBe(401);
      const created = await rpc(url, 'auth.tokens.create', { name: 'viewer', scope: 'read' }, admin);
      const { secret } = created.body as { secret: string };
      expect((await rpc(url, 'services.removeDemo', {}, secret)).status).toBe(403);
      expect(await (await fetch(`${url}/auth/session`)).json()).toEqual({
        required: false,
        principal: null,
        scope: null,
      });
    } finally {
      await agent.running.stop();
    }
  });
});
