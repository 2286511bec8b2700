import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { AuditRecord } from '../../shared/audit.js';
import type { FleetdeckClient } from '../../shared/client.js';
import { AgentConfig } from '../../shared/config.js';
import { tempDir } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
import { openInProcessAgent, type InProcessAgent } from '../support/in-process-agent.js';
import { waitFor } from '../support/poll.js';
import { readEvents } from '../support/sse.js';
import { memoryLogger } from '../support/test-logger.js';

const secret = 'hunter2-header-value';
/** Sent only in a refused call: nothing else could have written it to disk. */
const refusedSecret = 'hunter2-refused-password';

const post = (url: string, method: string, body: unknown, token?: string) =>
  fetch(`${url}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** `method` called with `token`: its JSON answer, or the status of a refusal. */
async function callWith<T>(url: string, method: string, params: unknown, token: string): Promise<T> {
  const response = await post(url, method, params, token);
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('audit log over HTTP (in-process agent, real SQLite)', () => {
  let running: InProcessAgent;
  let client: FleetdeckClient;

  beforeAll(async () => {
    running = await openInProcessAgent(
      { name: 'audited', services: [{ id: 'core', name: 'Core', checks: [] }] },
      { logger: memoryLogger().logger },
    );
    await running.agent.start(running.server.url);
    client = clientFor(running.server.url);
  });

  afterAll(async () => {
    await running.server.close();
    await running.agent.stop();
  });

  it('records changes with their outcome and masked params, not reads, and exports them as JSON lines', async () => {
    const { url } = running.server;
    const stream = readEvents(`${url}/events`);
    try {
      await client.call('services.list', {});
      await client.call('node.status', {});
      await client.call('services.upsert', {
        service: {
          id: 'billing',
          name: 'Billing',
          checks: [
            {
              name: 'api',
              type: 'http',
              url: 'http://127.0.0.1:9/health',
              headers: { Authorization: `Bearer ${secret}`, 'X-Api-Key': secret },
            },
          ],
        },
      });
      // Refused before it ran: the params as they came, masked all the same.
      const invalid = await post(url, 'services.upsert', { service: { id: 'Not A Slug', password: refusedSecret } });
      expect(invalid.status).toBe(400);
      // Refused by the handler: the config file's services are not changed through the API.
      const fromConfig = await post(url, 'services.remove', { id: 'core' });
      expect(fromConfig.status).toBe(409);

      const records = await client.call('audit.list', {});
      expect(records.map(({ method, outcome, error }) => [method, outcome, error?.code ?? null])).toEqual([
        ['services.remove', 'error', 'conflict'],
        ['services.upsert', 'error', 'invalid_request'],
        ['services.upsert', 'ok', null],
      ]);
      const [conflict, refused, upserted] = records;
      expect(upserted).toMatchObject({
        principal: 'loopback',
        transport: 'http',
        remote: '127.0.0.1',
        target: null,
        paramsTruncated: false,
      });
      // Validated params, with their defaults.
      expect(upserted!.params).toMatchObject({
        service: {
          id: 'billing',
          checks: [
            {
              headers: { Authorization: '***', 'X-Api-Key': '***' },
              url: 'http://127.0.0.1:9/health',
              method: 'GET',
              expectStatus: ['2xx'],
            },
          ],
        },
      });
      expect(refused!.params).toEqual({ service: { id: 'Not A Slug', password: '***' } });
      expect(conflict!.error!.message).toMatch(/core/);
      expect(records.every((record) => record.durationMs >= 0 && record.at > 0)).toBe(true);
      expect(records.map((record) => record.at)).toEqual([...records.map((record) => record.at)].sort().reverse());

      // Each record is announced by id only.
      await waitFor('an audit.recorded event per record', () => {
        const ids = stream.events.flatMap((event) =>
          (event as { type: string }).type === 'audit.recorded' ? [(event as { data: { id: number } }).data.id] : [],
        );
        return ids.length === 3 && ids;
      });

      const filtered = await client.call('audit.list', { outcome: 'error', methodPrefix: 'services.up' });
      expect(filtered.map((record) => record.id)).toEqual([refused!.id]);

      const exported = await client.call('audit.export', {});
      expect(exported).toMatchObject({ count: 3, more: false, nextAfter: conflict!.id });
      const lines = exported.text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((line) => AuditRecord.parse(JSON.parse(line)))).toEqual([...records].reverse());

      expect(JSON.stringify(records)).not.toContain('hunter2');
      expect(exported.text).not.toContain('hunter2');
      // Neither the database nor its write-ahead log holds the refused call's password.
      const dataDir = dirname(running.agent.dataFile);
      for (const file of readdirSync(dataDir).filter((name) => name.startsWith('fleetdeck.db'))) {
        expect(readFileSync(join(dataDir, file)).includes(refusedSecret), file).toBe(false);
      }
    } finally {
      stream.close();
    }
  });

  it('does not record reading the audit log, so looking at it adds nothing', async () => {
    const before = await client.call('audit.list', {});
    await client.call('audit.list', { limit: 1 });
    await client.call('audit.export', {});
    expect(await client.call('audit.list', {})).toEqual(before);
  });
});

describe('audit log with tokens (api.auth: required)', () => {
  let running: RunningAgent;
  let admin: string;

  beforeAll(async () => {
    const printed: string[] = [];
    running = await runAgent(
      AgentConfig.parse({
        name: 'audited-auth',
        dataDir: tempDir(),
        api: { host: '127.0.0.1', port: 0, auth: 'required' },
      }),
      { logger: memoryLogger().logger, rendererDir: null, printSecret: (text) => printed.push(text) },
    );
    admin = /fd_[A-Za-z0-9_-]{43}/.exec(printed.join(''))![0];
  });

  afterAll(async () => {
    await running.stop();
  });

  it('names the token of each call, records a call its scope refused, and keeps the log from other scopes', async () => {
    const { url } = running;
    const created = await callWith<{ secret: string }>(
      url,
      'auth.tokens.create',
      { name: 'grafana', scope: 'read' },
      admin,
    );
    const reader = created.secret;

    const refused = await post(url, 'services.remove', { id: 'web' }, reader);
    expect(refused.status).toBe(403);
    // The log is admin's to read; reading it, allowed or not, is not recorded.
    expect((await post(url, 'audit.list', {}, reader)).status).toBe(403);
    const { id: nodeId } = await callWith<{ id: string }>(url, 'node.status', {}, reader);
    // A relayed change is recorded with where it went; relayed to this node, the call it makes is recorded too.
    await callWith(url, 'cluster.call', { memberId: nodeId, method: 'services.remove', params: { id: 'web' } }, admin);

    const records = await callWith<AuditRecord[]>(url, 'audit.list', {}, admin);
    expect(
      records.map(({ principal, method, target, outcome, error }) => [principal, method, target, outcome, error]),
    ).toEqual([
      ['initial-admin', 'cluster.call', { memberId: nodeId, method: 'services.remove' }, 'ok', null],
      // The relayed call ends first, so it is written first.
      ['initial-admin', 'services.remove', null, 'ok', null],
      [
        'grafana',
        'services.remove',
        null,
        'error',
        { code: 'forbidden', message: expect.stringContaining('grafana') as unknown },
      ],
      ['initial-admin', 'auth.tokens.create', null, 'ok', null],
    ]);
    expect(JSON.stringify(records)).not.toContain(reader);
    expect(JSON.stringify(records)).not.toContain(admin);
  });
});
