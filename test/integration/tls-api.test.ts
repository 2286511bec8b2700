import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type RunningAgent } from '../../electron/agent/run-agent.js';
import { ConfigError } from '../../electron/config/config-error.js';
import { AgentConfig, type AgentConfigInput } from '../../shared/config.js';
import { assertBuilt, cliPath, repoRoot, tempDir } from '../support/agent-process.js';
import { createTestCa, type CertificateFiles, type TestCa } from '../support/openssl-ca.js';
import { memoryLogger } from '../support/test-logger.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const run = (file: string, args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(file, args, { cwd: repoRoot, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

/** What an operator would type: curl, trusting the fleet's CA and, for mTLS, presenting a certificate. */
const curl = (url: string, ca: string, client?: CertificateFiles) =>
  run('curl', [
    '-sS',
    '--max-time',
    '10',
    '--cacert',
    ca,
    ...(client ? ['--cert', client.certFile, '--key', client.keyFile] : []),
    url,
  ]);

type Extensions = 'api' | 'client';

describe('the API over TLS (api.tls)', () => {
  const dir = tempDir('fleetdeck-tls-api-');
  let ca: TestCa<Extensions>;
  let api: CertificateFiles;
  let client: CertificateFiles;
  let other: CertificateFiles;
  const running: RunningAgent[] = [];

  beforeAll(() => {
    ca = createTestCa(dir, {
      subject: '/CN=Fleet CA',
      days: 30,
      extensions: {
        api: {
          basicConstraints: 'CA:FALSE',
          keyUsage: 'critical, digitalSignature',
          extendedKeyUsage: 'serverAuth, clientAuth',
          subjectAltName: 'IP:127.0.0.1',
        },
        client: {
          basicConstraints: 'CA:FALSE',
          keyUsage: 'critical, digitalSignature',
          extendedKeyUsage: 'clientAuth',
        },
      },
    });
    api = ca.issue('api', { subject: '/CN=127.0.0.1', days: 30, extensions: 'api' });
    client = ca.issue('operator', { subject: '/CN=operator', days: 30, extensions: 'client' });
    other = ca.selfSigned('other', { subject: '/CN=127.0.0.1', days: 30, extensions: 'api' });
  });
  afterAll(async () => {
    for (const agent of running) await agent.stop();
  });

  const start = async (tls: NonNullable<AgentConfigInput['api']>['tls']) => {
    const agent = await runAgent(
      AgentConfig.parse({
        name: 'tls-test',
        dataDir: tempDir(),
        api: { host: '127.0.0.1', port: 0, tls },
        resources: { intervalMs: 3_600_000 },
      }),
      { logger: memoryLogger().logger, rendererDir: null, printSecret: () => undefined },
    );
    running.push(agent);
    return agent;
  };
  const refusal = async (tls: NonNullable<AgentConfigInput['api']>['tls']) => {
    const error: unknown = await start(tls).then(
      () => new Error('the agent started'),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  };

  it('serves HTTPS with the certificate and key; a client trusting the CA gets through', async () => {
    const agent = await start({ certFile: api.certFile, keyFile: api.keyFile });
    expect(agent.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await curl(`${agent.url}/health/live`, ca.certFile)).toEqual({
      code: 0,
      stdout: '{"status":"live"}',
      stderr: '',
    });
    // A client that trusts another CA refuses the server: curl's "peer certificate cannot be authenticated".
    expect((await curl(`${agent.url}/health/live`, other.certFile)).code).toBe(60);
  });

  it('with clientCaFile, refuses a client without a certificate signed by that CA (mTLS)', async () => {
    const agent = await start({ certFile: api.certFile, keyFile: api.keyFile, clientCaFile: ca.certFile });
    const rpc = `${agent.url}/health/live`;
    expect(await curl(rpc, ca.certFile, client)).toMatchObject({ code: 0, stdout: '{"status":"live"}' });
    const anonymous = await curl(rpc, ca.certFile);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stdout).toBe('');
    const stranger = await curl(rpc, ca.certFile, other);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stdout).toBe('');
  });

  it('refuses to start on a key that does not belong to the certificate, naming both settings and files', async () => {
    expect(await refusal({ certFile: api.certFile, keyFile: client.keyFile })).toBe(
      `api.tls.keyFile: the key in ${client.keyFile} does not match the certificate in ${api.certFile} ` +
        '(api.tls.certFile, subject CN=127.0.0.1)',
    );
  });

  it('refuses to start on a file that is missing, not a regular file, or not PEM', async () => {
    const missing = join(dir, 'missing.pem');
    expect(await refusal({ certFile: missing, keyFile: api.keyFile })).toBe(
      `api.tls.certFile: cannot read file ${missing}: ENOENT: no such file or directory, open '${missing}'`,
    );
    expect(await refusal({ certFile: api.certFile, keyFile: dir })).toBe(
      `api.tls.keyFile: file ${dir} is not a regular file (a directory)`,
    );
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a certificate\n');
    expect(await refusal({ certFile: api.certFile, keyFile: api.keyFile, clientCaFile: text })).toBe(
      `api.tls.clientCaFile: ${text} is not a PEM file (no -----BEGIN …----- block)`,
    );
    expect(await refusal({ certFile: api.keyFile, keyFile: api.keyFile })).toBe(
      `api.tls.certFile: ${api.keyFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  });

  it('the agent process exits 2 with the message when the key does not match (--tls-cert, --tls-key)', async () => {
    assertBuilt();
    const result = await run(process.execPath, [
      cliPath,
      'agent',
      ...['--data-dir', tempDir(), '--host', '127.0.0.1', '--port', '0'],
      ...['--tls-cert', api.certFile, '--tls-key', other.keyFile],
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `fleetdeck: api.tls.keyFile: the key in ${other.keyFile} does not match the certificate in ${api.certFile} ` +
        '(api.tls.certFile, subject CN=127.0.0.1)',
    );
  });
});
