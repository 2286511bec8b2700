import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { loadAgentConfig } from '../../electron/config/load-config.js';
import { headlessSecrets, secretKeyFile } from '../../electron/secrets/headless-secret-box.js';
import type { RpcOutcome } from '../../shared/rpc.js';
import { tempDir } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { waitFor } from '../support/poll.js';
import { memoryLogger } from '../support/test-logger.js';

/** Calls made in this process, as the Electron shell makes them. */
const inProcess = { transport: 'ipc', remote: null } as const;
const auth = { user: 'fleet', password: 'correct horse battery' };
/** Tests pin the environment: the key is the key file in the data dir, whatever this process's FLEETDECK_* hold. */
const env = {};
const secrets = headlessSecrets(env);

const resultOf = (outcome: RpcOutcome): unknown => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result;
};

/** Loads the config of `dataDir` as the CLI does (the saved backend layered in) and runs the agent on it. */
async function startOn(dataDir: string, logger = memoryLogger().logger): Promise<RunningAgent> {
  const { config, backendOrigin } = loadAgentConfig({
    argv: ['--data-dir', dataDir, '--port', '0', '--lease-ttl', '3', '--name', 'secrets'],
    env,
    secrets,
  });
  return runAgent(config, { logger, rendererDir: null, backendOrigin, secrets });
}

const connectedToEtcd = (agent: RunningAgent) =>
  waitFor('the agent to be connected to etcd with the password', async () => {
    const status = resultOf(await agent.call('cluster.status', {}, inProcess)) as { backend: string; state: string };
    return status.backend === 'etcd' && status.state === 'connected';
  });

describe('the etcd password saved from Settings (real etcd with auth)', () => {
  let etcd: EtcdCluster;
  const running: RunningAgent[] = [];
  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1, auth });
  }, 60_000);
  afterAll(async () => {
    for (const agent of running) await agent.stop();
    await etcd?.stop();
  });

  it('is sealed on disk, never answered, exported or logged, and still opens the connection after a restart', async () => {
    const dataDir = tempDir();
    const { logger, lines } = memoryLogger();
    const first = await startOn(dataDir, logger);
    running.push(first);
    const backend = { kind: 'etcd', endpoints: etcd.endpoints, auth: { username: auth.user, password: auth.password } };
    resultOf(await first.call('cluster.configure', { backend }, inProcess));
    await connectedToEtcd(first);

    const saved = readFileSync(join(dataDir, 'backend.json'), 'utf8');
    expect(saved).not.toContain(auth.password);
    expect(JSON.parse(saved)).toMatchObject({
      kind: 'etcd',
      auth: { username: auth.user, password: expect.stringMatching(/^enc:v1:key:/) },
    });
    expect(readFileSync(secretKeyFile(dataDir), 'utf8')).not.toContain(auth.password);

    const settings = resultOf(await first.call('cluster.settings', {}, inProcess));
    expect(settings).toMatchObject({ backend: { auth: { username: auth.user, passwordSaved: true } } });
    for (const method of ['cluster.settings', 'cluster.status', 'cluster.members', 'node.status', 'services.export']) {
      const answer = JSON.stringify(resultOf(await first.call(method, {}, inProcess)));
      expect(answer, method).not.toContain(auth.password);
    }
    expect(JSON.stringify(lines)).not.toContain(auth.password);

    await first.stop();
    running.pop();
    const again = await startOn(dataDir);
    running.push(again);
    await connectedToEtcd(again);
    expect(readFileSync(join(dataDir, 'backend.json'), 'utf8')).toBe(saved);
  });

  it('seals in place a password an older version saved in plain text, and connects with it', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'backend.json');
    const plain = { kind: 'etcd', endpoints: etcd.endpoints, auth: { username: auth.user, password: auth.password } };
    writeFileSync(file, JSON.stringify(plain), { mode: 0o600 });

    const agent = await startOn(dataDir);
    running.push(agent);
    expect(readFileSync(file, 'utf8')).not.toContain(auth.password);
    // etcd has auth on: without the opened password the agent would not connect.
    await connectedToEtcd(agent);
  });
});
