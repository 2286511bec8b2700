import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import type { Scope } from '../../shared/auth.js';
import { AgentConfig } from '../../shared/config.js';
import { tempDir } from '../support/agent-process.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

const secretIn = (text: string) => /fd_[A-Za-z0-9_-]{43}/.exec(text)?.[0];

async function rpc(url: string, method: string, params: unknown, token: string) {
  const response = await fetch(`${url}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: unknown } };
}

interface ListedAlert {
  id: number;
  ruleId: string;
  state: string;
  acknowledged: { by: string; note: string; untilMs: number | null } | null;
  silenced: boolean;
}

describe('alert lifecycle over the HTTP API (api.auth: required)', () => {
  let running: RunningAgent;
  const tokens: Partial<Record<Scope, string>> = {};
  let alert: ListedAlert;

  const openAlerts = async () =>
    (await rpc(running.url, 'alerts.list', { state: 'open' }, tokens.read!)).body as unknown as ListedAlert[];

  beforeAll(async () => {
    const printed: string[] = [];
    running = await runAgent(
      AgentConfig.parse({
        name: 'lifecycle-test',
        dataDir: tempDir(),
        api: { host: '127.0.0.1', port: 0, auth: 'required' },
        labels: { role: 'db' },
        resources: { intervalMs: 1000 },
        // Memory in use is always above 0 %: this rule fires at the first evaluation with a sample.
        alertRules: [
          {
            id: 'memory-used',
            name: 'Memory in use',
            severity: 'critical',
            signal: { kind: 'resource', metric: 'memory' },
            operator: 'above',
            threshold: 0,
          },
        ],
      }),
      { logger: memoryLogger().logger, rendererDir: null, printSecret: (text) => printed.push(text) },
    );
    tokens.admin = secretIn(printed.join(''))!;
    const create = async (name: string, scope: Scope) =>
      ((await rpc(running.url, 'auth.tokens.create', { name, scope }, tokens.admin!)).body as { secret: string })
        .secret;
    tokens.read = await create('dashboard', 'read');
    tokens.operate = await create('oncall', 'operate');
    alert = await waitFor(
      'the memory alert to fire',
      async () => (await openAlerts()).find((a) => a.ruleId === 'memory-used' && a.state === 'firing'),
      { timeoutMs: 20_000 },
    );
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('a read token cannot acknowledge, resolve or silence; it reads the alert and its timeline', async () => {
    for (const [method, params] of [
      ['alerts.acknowledge', { id: alert.id }],
      ['alerts.unacknowledge', { id: alert.id }],
      ['alerts.resolve', { id: alert.id }],
      ['fleet.silences.put', { value: { matchers: [{ name: 'node', value: 'x' }], startsAt: 1, endsAt: 2 } }],
    ] as const) {
      const answer = await rpc(running.url, method, params, tokens.read!);
      expect({ method, status: answer.status }).toEqual({ method, status: 403 });
      expect(answer.body.error).toMatchObject({
        message: `"dashboard" (scope read) may not call ${method}: it needs scope operate`,
      });
    }
    expect((await openAlerts()).find((a) => a.id === alert.id)?.acknowledged).toBeNull();
    const timeline = await rpc(running.url, 'alerts.timeline', { id: alert.id }, tokens.read!);
    expect(timeline.status).toBe(200);
    expect(timeline.body).toEqual([expect.objectContaining({ alertId: alert.id, kind: 'firing', actor: null })]);
  });

  it('an operate token acknowledges as itself (the client cannot name who), and the list shows it', async () => {
    const claimed = await rpc(running.url, 'alerts.acknowledge', { id: alert.id, by: 'someone-else' }, tokens.operate!);
    expect(claimed.status).toBe(400);

    const untilMs = Date.now() + 3_600_000;
    const acked = await rpc(
      running.url,
      'alerts.acknowledge',
      { id: alert.id, note: 'on it', untilMs },
      tokens.operate!,
    );
    expect(acked).toMatchObject({
      status: 200,
      body: { id: alert.id, state: 'firing', acknowledged: { by: 'oncall', note: 'on it', untilMs } },
    });
    expect((await openAlerts()).find((a) => a.id === alert.id)?.acknowledged).toMatchObject({ by: 'oncall' });
  });

  it('refuses to resolve by hand while the condition holds, naming the value', async () => {
    const answer = await rpc(running.url, 'alerts.resolve', { id: alert.id }, tokens.operate!);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/memory .*% > 0%/) });
  });

  it('a silence saved by an operate token names it as creator and marks the alert silenced', async () => {
    const forged = await rpc(
      running.url,
      'fleet.silences.put',
      { value: { matchers: [{ name: 'role', value: 'db' }], startsAt: 0, endsAt: 1, createdBy: 'root' } },
      tokens.operate!,
    );
    expect(forged.status).toBe(400);

    const now = Date.now();
    const value = {
      matchers: [
        { name: 'role', op: '=', value: 'db' },
        { name: 'rule', op: '=~', value: 'memory-.*' },
      ],
      startsAt: now - 1000,
      endsAt: now + 3_600_000,
      comment: 'resizing the box',
    };
    const preview = await rpc(running.url, 'alerts.silencePreview', { matchers: value.matchers }, tokens.read!);
    expect(preview.body).toEqual([expect.objectContaining({ id: alert.id, silenced: false })]);

    const saved = await rpc(running.url, 'fleet.silences.put', { value }, tokens.operate!);
    expect(saved.status).toBe(200);
    const id = saved.body.id as string;
    const list = await rpc(running.url, 'fleet.silences.list', {}, tokens.read!);
    expect(list.body).toEqual([{ id, value: { id, ...value, createdBy: 'oncall' }, problem: null }]);
    await waitFor(
      'the alert to read as silenced',
      async () => (await openAlerts()).find((a) => a.id === alert.id)?.silenced,
    );

    const removed = await rpc(running.url, 'fleet.silences.remove', { id }, tokens.operate!);
    expect(removed.status).toBe(200);
    await waitFor(
      'the silence to be lifted',
      async () => (await openAlerts()).find((a) => a.id === alert.id)?.silenced === false,
    );
  });

  it('an operate token unacknowledges, and the timeline tells every change in order with who did it', async () => {
    const answer = await rpc(running.url, 'alerts.unacknowledge', { id: alert.id }, tokens.operate!);
    expect(answer).toMatchObject({ status: 200, body: { acknowledged: null } });
    const timeline = await rpc(running.url, 'alerts.timeline', { id: alert.id }, tokens.read!);
    expect(
      (timeline.body as unknown as Array<{ kind: string; actor: string | null }>).map((e) => [e.kind, e.actor]),
    ).toEqual([
      ['firing', null],
      ['acknowledged', 'oncall'],
      ['unacknowledged', 'oncall'],
    ]);
  });
});
