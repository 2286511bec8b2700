import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../electron/core/free-port.js';
import type { FleetdeckClient } from '../../../shared/client.js';
import type { ChannelInput } from '../../../shared/notifications.js';
import { clientFor, refusal } from '../../support/http-client.js';
import { openInProcessAgent, type InProcessAgent } from '../../support/in-process-agent.js';
import { memoryLogger } from '../../support/test-logger.js';
import { signatureValid, WebhookReceiver } from '../../support/webhook-receiver.js';

const hmacSecret = 'whsec-literal-7c1d';
const slackToken = 'T000-slack-token-b77';
const smtpPassword = 'smtp-file-pass-4e2';

describe('channels over HTTP (in-process agent, real SQLite, receivers on 127.0.0.1)', () => {
  let running: InProcessAgent;
  let client: FleetdeckClient;
  let receiver: WebhookReceiver;
  let secretsDir: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiver(await freePort()).start();
    secretsDir = mkdtempSync(join(tmpdir(), 'fleetdeck-channel-secrets-'));
    writeFileSync(join(secretsDir, 'smtp-password'), smtpPassword);
    process.env.FLEETDECK_TEST_SLACK_URL = `${receiver.url}?token=${slackToken}`;
    running = await openInProcessAgent(
      { name: 'notifier', files: { readDirs: [secretsDir] } },
      { logger: memoryLogger().logger },
    );
    await running.agent.start(running.server.url);
    client = clientFor(running.server.url);
  });

  afterAll(async () => {
    await running.server.close();
    await running.agent.stop();
    await receiver.stop();
    delete process.env.FLEETDECK_TEST_SLACK_URL;
  });

  const put = (value: ChannelInput) => client.call('fleet.channels.put', { value });
  const testSend = (id: string) => client.call('channels.test', { id });
  const listed = async (id: string) => (await client.call('fleet.channels.list', {})).find((e) => e.id === id)?.value;
  it('never lists a secret: a literal shows as set, a reference as where it is read', async () => {
    await put({
      id: 'hook',
      name: 'Ops hook',
      type: 'webhook',
      minSeverity: 'critical',
      matchers: [{ name: 'service', op: '=', value: 'api' }],
      enabled: true,
      settings: { url: receiver.url, secret: hmacSecret, headers: {} },
    });
    await put({
      id: 'slack',
      name: 'Slack',
      type: 'slack',
      minSeverity: 'warning',
      matchers: [],
      enabled: true,
      settings: { webhookUrl: { env: 'FLEETDECK_TEST_SLACK_URL' } },
    });
    await put({
      id: 'mail',
      name: 'Mail',
      type: 'email',
      minSeverity: 'warning',
      matchers: [],
      enabled: false,
      settings: {
        host: '127.0.0.1',
        port: 2525,
        security: 'none',
        auth: { user: 'alerts', password: { file: join(secretsDir, 'smtp-password') } },
        from: 'fleetdeck@example.com',
        to: ['oncall@example.com'],
      },
    });
    const list = await client.call('fleet.channels.list', {});
    const text = JSON.stringify(list);
    for (const secret of [hmacSecret, slackToken, smtpPassword]) expect(text).not.toContain(secret);
    expect(await listed('hook')).toMatchObject({ settings: { url: receiver.url, secret: { set: true } } });
    expect(await listed('slack')).toMatchObject({ settings: { webhookUrl: { env: 'FLEETDECK_TEST_SLACK_URL' } } });
    expect(await listed('mail')).toMatchObject({
      settings: { auth: { user: 'alerts', password: { file: join(secretsDir, 'smtp-password') } } },
    });
  });

  it('keeps the stored secret when a put leaves it as set, and signs the test send with it', async () => {
    const shown = await listed('hook');
    expect(shown?.type).toBe('webhook');
    await put({ ...(shown as ChannelInput), name: 'Ops hook (renamed)' });
    expect((await listed('hook'))?.name).toBe('Ops hook (renamed)');
    const before = receiver.posts.length;
    expect(await testSend('hook')).toEqual({ ok: true, detail: 'HTTP 200: ok' });
    const post = receiver.posts.slice(before).at(-1)!;
    expect(signatureValid(post, hmacSecret)).toBe(true);
  });

  it('refuses to keep a secret that was never stored, naming the field', async () => {
    const error = await refusal(
      put({
        id: 'new-hook',
        name: 'New hook',
        type: 'webhook',
        minSeverity: 'warning',
        matchers: [],
        enabled: true,
        settings: { url: receiver.url, secret: { set: true }, headers: {} },
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'value.settings.secret' }] });
  });

  it('refuses a matcher regex that does not compile, naming it', async () => {
    const error = await refusal(
      put({
        id: 'bad-regex',
        name: 'Bad',
        type: 'log',
        minSeverity: 'warning',
        matchers: [{ name: 'node', op: '=~', value: '(' }],
        enabled: true,
        settings: {},
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'value.matchers[0].value' }] });
  });

  it('answers a test send at once after a save with what the receiver said, or why it was not reached', async () => {
    const before = receiver.posts.length;
    expect(await testSend('slack')).toEqual({ ok: true, detail: 'HTTP 200: ok' });
    expect(receiver.posts.slice(before).at(-1)?.path).toBe(`/hook?token=${slackToken}`);

    const closedPort = await freePort();
    await put({
      id: 'dead-hook',
      name: 'Dead',
      type: 'webhook',
      minSeverity: 'warning',
      matchers: [],
      enabled: true,
      settings: { url: `http://127.0.0.1:${closedPort}/`, headers: {} },
    });
    const answer = await testSend('dead-hook');
    expect(answer).toEqual({ ok: false, detail: `connect ECONNREFUSED 127.0.0.1:${closedPort}` });
    expect(await refusal(testSend('nope'))).toMatchObject({
      code: 'not_found',
      message: 'no channel "nope" is saved for the fleet',
    });
  });

  it('keeps a literal Slack URL out of the list and the audit log', async () => {
    const literalToken = 'T111-literal-slack-token';
    await put({
      id: 'literal-slack',
      name: 'Literal Slack',
      type: 'slack',
      minSeverity: 'warning',
      matchers: [],
      enabled: true,
      settings: { webhookUrl: `https://hooks.slack.example/services/${literalToken}` },
    });
    expect(await listed('literal-slack')).toMatchObject({ settings: { webhookUrl: { set: true } } });
    expect(JSON.stringify(await client.call('fleet.channels.list', {}))).not.toContain(literalToken);
    const audit = await client.call('audit.list', {});
    expect(JSON.stringify(audit)).toContain('fleet.channels.put');
    expect(JSON.stringify(audit)).not.toContain(literalToken);
    for (const secret of [hmacSecret, smtpPassword]) expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('lists the outbox (empty: only the leader’s fleet delivery enqueues) and removes a channel', async () => {
    expect(await client.call('notifications.list', { state: 'pending' })).toEqual([]);
    await client.call('fleet.channels.remove', { id: 'dead-hook' });
    expect(await listed('dead-hook')).toBeUndefined();
  });
});
