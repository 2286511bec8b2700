import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../electron/store/store.js';
import type { FleetdeckClient } from '../../shared/client.js';
import type { ServiceDefinitionInput } from '../../shared/services.js';
import { etcdFleetArgs, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { clientFor, refusal } from '../support/http-client.js';
import { waitFor } from '../support/poll.js';

const outside = (path: string) => `caFile ${path} is outside the directories this node allows (files.readDirs)`;
const notRegular = 'caFile /dev/zero is not a regular file (a character device)';

const tlsCheck = (caFile: string) => ({
  name: 'tls',
  type: 'http' as const,
  // Nothing listens there: the caFile is read (or refused) before any connection is tried.
  url: 'https://127.0.0.1:9/',
  caFile,
  intervalMs: 1000,
  timeoutMs: 900,
});
const serviceWith = (id: string, caFile: string): ServiceDefinitionInput => ({
  id,
  name: `Service ${id}`,
  checks: [tlsCheck(caFile)],
});

/** The resident set of a process, in MiB. */
const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** The output of a service's check once it has one. */
const checkOutput = (client: FleetdeckClient, serviceId: string) =>
  waitFor(`a result of ${serviceId}/tls`, async () => {
    const service = (await client.call('services.list', {})).find((s) => s.definition.id === serviceId);
    return service?.checks.find((c) => c.name === 'tls')?.lastResult?.output;
  });

/**
 * Issue 9, defect 1: an HTTP check with `caFile: /dev/zero` made the agent read without limit until it died, again
 * on every start. Through the API, the fleet (a real etcd) and a stored service, the agent now refuses or reports
 * it and stays up with a bounded memory.
 */
describe('caFile /dev/zero and files outside files.readDirs', () => {
  const cluster = 'cafile';
  const certDir = tempDir('fleetdeck-certs-');
  const dataDir = tempDir();
  let etcd: EtcdCluster;
  let agent: AgentProcess;
  let client: FleetdeckClient;

  const start = async () => {
    agent = await startAgentProcess({
      dataDir,
      args: etcdFleetArgs(etcd.endpoints.join(','), cluster, 'zero-node'),
      config: {
        files: { readDirs: [certDir] },
        // The config file's own check may name any file, yet only a regular one is read.
        services: [serviceWith('own', '/dev/zero'), { id: 'web', name: 'Web', tags: ['web'] }],
      },
    });
    client = clientFor(agent.url);
  };

  /** Live, answering, and far from the gigabytes the unbounded read took. */
  const expectHealthy = async () => {
    expect((await fetch(`${agent.url}/health/live`)).status).toBe(200);
    expect(rssMiB(agent.child.pid!)).toBeLessThan(400);
  };

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 1 });
    await start();
  }, 60_000);

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await etcd?.stop();
  });

  it('reports the config file service that names /dev/zero as a check result, not a crash', async () => {
    expect(await checkOutput(client, 'own')).toBe(notRegular);
    await expectHealthy();
  });

  it('refuses caFile /dev/zero on saving through services.upsert, naming the field', async () => {
    expect(await refusal(client.call('services.upsert', { service: serviceWith('zero', '/dev/zero') }))).toEqual({
      code: 'invalid_request',
      message: outside('/dev/zero'),
      issues: [{ path: 'checks.0.caFile', message: outside('/dev/zero') }],
    });
    expect((await client.call('services.list', {})).map((s) => s.definition.id).sort()).toEqual(['own', 'web']);
  });

  it('answers a path outside files.readDirs the same whether or not it exists', async () => {
    const messages = [];
    for (const path of ['/etc/passwd', '/etc/no-such-file.pem', join(certDir, '..', 'elsewhere.pem')]) {
      const error = await refusal(client.call('services.upsert', { service: serviceWith('probe', path) }));
      messages.push(error.message.replace(path, '<path>'));
    }
    expect(new Set(messages)).toEqual(new Set([outside('<path>')]));
  });

  /** The fleet values this node reports it could not apply, once there are `count` of them. */
  const configErrors = (count: number) =>
    waitFor(`${count} values reported as not applied`, async () => {
      const self = (await client.call('cluster.members', {})).find((m) => m.name === 'zero-node');
      const found = self?.summary?.configErrors ?? [];
      return found.length === count ? found : undefined;
    });
  const template = (id: string) => ({ id, serviceTags: ['web'], check: tlsCheck('/dev/zero') });

  // Each node checks a fleet value against its own files.readDirs where it applies it (the saving console's
  // directories say nothing of the fleet's), and reports the refusal fleet-wide.
  it('refuses /dev/zero saved for the fleet (fleet.services.put, a check template) where it is applied', async () => {
    await client.call('fleet.services.put', { service: serviceWith('zero', '/dev/zero') });
    await client.call('fleet.checkTemplates.put', { value: template('zero-tls') });
    const errors = await configErrors(2);
    expect(errors.map(({ kind, id }) => `${kind}/${id}`).sort()).toEqual(['check-templates/zero-tls', 'services/zero']);
    for (const { error } of errors) expect(error).toContain(outside('/dev/zero'));
    expect((await client.call('services.list', {})).map((s) => s.definition.id)).not.toContain('zero');
    await expectHealthy();
  });

  it('refuses /dev/zero written straight into etcd where it is applied, and stays up', async () => {
    const kv = `fleetdeck/${cluster}/kv/config/`;
    await etcd.etcdctl(['put', `${kv}services/zero-raw`, JSON.stringify(serviceWith('zero-raw', '/dev/zero'))]);
    await etcd.etcdctl(['put', `${kv}check-templates/zero-raw-tls`, JSON.stringify(template('zero-raw-tls'))]);
    const errors = await configErrors(4);
    expect(errors.map(({ kind, id }) => `${kind}/${id}`).sort()).toEqual([
      'check-templates/zero-raw-tls',
      'check-templates/zero-tls',
      'services/zero',
      'services/zero-raw',
    ]);
    for (const { error } of errors) expect(error).toContain(outside('/dev/zero'));
    expect((await client.call('services.list', {})).map((s) => s.definition.id)).not.toContain('zero-raw');
    await expectHealthy();
  });

  it('starts with a /dev/zero service an older version stored, reports it, and checks.runNow returns in time', async () => {
    await agent.stop();
    const db = new Database(join(dataDir, databaseFileName));
    db.prepare('INSERT INTO services (id, source, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
      'stored',
      'api',
      JSON.stringify(serviceWith('stored', '/dev/zero')),
      1,
      1,
    );
    db.close();
    await start();
    expect(await checkOutput(client, 'stored')).toBe(outside('/dev/zero'));
    const started = performance.now();
    expect(await client.call('checks.runNow', { serviceId: 'stored', check: 'tls' })).toMatchObject({
      status: 'unknown',
      output: outside('/dev/zero'),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    await expectHealthy();
  });
});
