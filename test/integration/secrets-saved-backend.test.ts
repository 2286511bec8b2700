import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { loadAgentConfig } from '../../electron/config/load-config.js';
import { writeSavedBackend } from '../../electron/config/saved-backend.js';
import {
  SECRET_KEY_ENV,
  headlessSecretBox,
  headlessSecrets,
  secretKeyFile,
} from '../../electron/secrets/headless-secret-box.js';
import type { RpcOutcome } from '../../shared/rpc.js';
import { assertBuilt, cliPath, repoRoot, startAgentProcess, tempDir } from '../support/agent-process.js';
import { clientFor } from '../support/http-client.js';
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

/** Runs `fleetdeck agent` until it exits (it must: its config cannot be used). */
function agentExit(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  assertBuilt();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cliPath, 'agent', '--data-dir', dataDir, '--port', '0'],
      { cwd: repoRoot, env: { ...process.env, [SECRET_KEY_ENV]: '' }, timeout: 15_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr: String(stderr) }),
    );
  });
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

  it('fleetdeck agent opens a password sealed with FLEETDECK_SECRET_KEY, and names the key and the file when it is wrong', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'backend.json');
    const key = Buffer.alloc(32, 42).toString('base64');
    const backend = {
      kind: 'etcd' as const,
      endpoints: etcd.endpoints,
      auth: { username: auth.user, password: auth.password },
      dialTimeoutMs: 3000,
    };
    writeSavedBackend(file, backend, headlessSecretBox({ dataDir, env: { [SECRET_KEY_ENV]: key } }));
    expect(readFileSync(file, 'utf8')).not.toContain(auth.password);

    const agent = await startAgentProcess({ dataDir, env: { [SECRET_KEY_ENV]: key } });
    try {
      await waitFor('the agent process to be connected to etcd', async () => {
        const status = await clientFor(agent.url).call('cluster.status', {});
        return status.backend === 'etcd' && status.state === 'connected';
      });
      expect([...agent.stdout, ...agent.stderr].join('\n')).not.toContain(auth.password);
    } finally {
      await agent.stop();
    }

    // Without the variable the agent looks for the key file, which is not there: it stops and says what to do.
    const missing = await agentExit(dataDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot open the etcd password saved in ${file}`);
    expect(missing.stderr).toContain(`the key file ${secretKeyFile(dataDir)} is missing`);
    expect(missing.stderr).not.toContain(auth.password);

    writeFileSync(secretKeyFile(dataDir), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const wrong = await agentExit(dataDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`another key than the key file ${secretKeyFile(dataDir)}`);
    expect(wrong.stderr).toContain('delete that file and choose the backend and its password again in Settings');
  });
});
