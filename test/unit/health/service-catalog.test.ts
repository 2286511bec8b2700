import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../electron/core/coded-error.js';
import { ServiceCatalog } from '../../../electron/health/service-catalog.js';
import { ServicesRepository } from '../../../electron/store/services-repository.js';
import { Store } from '../../../electron/store/store.js';
import { CheckTemplate, type CheckTemplateInput } from '../../../shared/check-templates.js';
import { ServiceDefinition, type ServiceDefinitionInput } from '../../../shared/services.js';
import { tempDir } from '../../support/agent-process.js';
import { memoryLogger } from '../../support/test-logger.js';

const service = (id: string, extra: Partial<ServiceDefinitionInput> = {}) =>
  ServiceDefinition.parse({
    id,
    name: `Service ${id}`,
    checks: [{ name: 'port', type: 'tcp', host: '127.0.0.1', port: 9 }],
    ...extra,
  });

const open = (dir = tempDir(), configServices = [service('from-config')], readDirs: string[] = []) => {
  const store = Store.open(dir, { now: 1 });
  const repository = store.repository((db) => new ServicesRepository(db));
  const { logger, lines } = memoryLogger();
  const catalog = new ServiceCatalog({
    configServices,
    commands: { 'disk-free': { argv: ['df'], env: {} } },
    readDirs,
    repository,
    logger,
    now: () => 2,
  });
  return { store, repository, catalog, lines, dir };
};

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    return error as CodedError;
  }
  throw new Error('expected a refusal');
};

const template = (id: string, extra: Partial<CheckTemplateInput> = {}) =>
  CheckTemplate.parse({
    id,
    serviceTags: ['batch'],
    check: { name: 'heartbeat', type: 'ttl', ttlMs: 60_000, intervalMs: 10_000 },
    ...extra,
  });

const checksOf = (catalog: ServiceCatalog, id: string) =>
  catalog.get(id)!.checks.map(({ check, template }) => `${check.name}${template ? `<${template}` : ''}`);

describe('ServiceCatalog check templates', () => {
  it('adds a template check to each service carrying one of its tags, and tells listeners', () => {
    const { catalog, store } = open(tempDir(), [
      service('nightly', { tags: ['batch'] }),
      service('web', { tags: ['http'] }),
    ]);
    const changed: string[][] = [];
    catalog.onChange((ids) => changed.push(ids));
    catalog.applyTemplate(template('heartbeats'));
    expect(checksOf(catalog, 'nightly')).toEqual(['port', 'heartbeat<heartbeats']);
    expect(checksOf(catalog, 'web')).toEqual(['port']);
    expect(changed).toEqual([['nightly']]);
    catalog.applyTemplate(template('heartbeats'));
    expect(changed).toHaveLength(1); // unchanged: nobody is told
    catalog.withdrawTemplate('heartbeats');
    expect(checksOf(catalog, 'nightly')).toEqual(['port']);
    expect(changed).toEqual([['nightly'], ['nightly']]);
    store.close();
  });

  it('refuses a template whose check name a tagged service already uses, or whose command is not defined', () => {
    const { catalog, store } = open(tempDir(), [service('nightly', { tags: ['batch'] })]);
    const clash = refusal(() =>
      catalog.applyTemplate(template('port-check', { check: { name: 'port', type: 'tcp', host: 'h', port: 1 } })),
    );
    expect(clash.code).toBe('conflict');
    expect(clash.message).toMatch(/check name "port" is already used on this node by service nightly/);
    const missing = refusal(() =>
      catalog.applyTemplate(template('probe', { check: { name: 'probe', type: 'script', command: 'nope' } })),
    );
    expect(missing.issues).toEqual([
      { path: 'check.command', message: `command "nope" is not defined in this node's config` },
    ]);
    catalog.applyTemplate(template('disk', { check: { name: 'disk', type: 'script', command: 'disk-free' } }));
    expect(checksOf(catalog, 'nightly')).toEqual(['port', 'disk<disk']);
    store.close();
  });

  it("lets a service added later keep its own check of a template's name", () => {
    const { catalog, store } = open(tempDir(), []);
    catalog.applyTemplate(template('heartbeats'));
    catalog.upsert([service('job', { tags: ['batch'] })], 'api');
    expect(checksOf(catalog, 'job')).toEqual(['port', 'heartbeat<heartbeats']);
    const own = { name: 'heartbeat', type: 'tcp' as const, host: '127.0.0.1', port: 7 };
    catalog.upsert([service('job', { tags: ['batch'], checks: [own] })], 'api');
    expect(checksOf(catalog, 'job')).toEqual(['heartbeat']);
    store.close();
  });
});

describe('ServiceCatalog', () => {
  it('keeps API services across a restart, beside the config-file ones', () => {
    const first = open();
    first.catalog.upsert([service('web')], 'api');
    first.store.close();
    const second = open(first.dir);
    expect(second.catalog.list().map((e) => [e.definition.id, e.source])).toEqual([
      ['from-config', 'config'],
      ['web', 'api'],
    ]);
    second.store.close();
  });

  it('refuses to change or remove a config-file service', () => {
    const { catalog, store } = open();
    expect(refusal(() => catalog.upsert([service('from-config')], 'api')).code).toBe('conflict');
    expect(refusal(() => catalog.remove('from-config')).message).toMatch(/defined in the config file/);
    store.close();
  });

  it('refuses a service that refers to a command the node does not define, naming the field', () => {
    const { catalog, store } = open();
    const script = service('cron', { checks: [{ name: 'disk', type: 'script', command: 'rm-rf' }] });
    const error = refusal(() => catalog.upsert([script], 'api'));
    expect(error.issues).toEqual([
      { path: 'checks.0.command', message: `command "rm-rf" is not defined in this node's config` },
    ]);
    expect(catalog.get('cron')).toBeUndefined();
    catalog.upsert([service('cron', { checks: [{ name: 'disk', type: 'script', command: 'disk-free' }] })], 'api');
    expect(catalog.get('cron')?.source).toBe('api');
    store.close();
  });

  it('exports API services as YAML that imports back, all or nothing', () => {
    const a = open();
    a.catalog.upsert([service('web'), service('db')], 'api');
    const yaml = a.catalog.exportYaml();
    expect(yaml).toContain('id: web');
    expect(yaml).not.toContain('from-config');
    const b = open();
    expect(b.catalog.importYaml(yaml)).toEqual(['db', 'web']);
    expect(b.catalog.get('web')?.definition).toEqual(service('web'));

    const bad = `services:\n  - id: ok-one\n    name: Fine\n  - id: Bad Id\n    name: x\n`;
    const error = refusal(() => b.catalog.importYaml(bad));
    expect(error.message).toBe('service 2 is invalid');
    expect(error.issues?.[0]?.path).toBe('services.1.id');
    expect(b.catalog.get('ok-one')).toBeUndefined();
    expect(refusal(() => b.catalog.importYaml('services: [unclosed')).message).toMatch(/not valid YAML/);
    expect(refusal(() => b.catalog.importYaml('just text')).message).toMatch(/expected a list of services/);
    a.store.close();
    b.store.close();
  });

  it('removes every demo service in one action and tells listeners', () => {
    const { catalog, store } = open();
    catalog.upsert([service('demo-a'), service('demo-b')], 'demo');
    catalog.upsert([service('mine')], 'api');
    const changes: string[][] = [];
    catalog.onChange((ids) => changes.push(ids));
    expect(catalog.removeDemo().sort()).toEqual(['demo-a', 'demo-b']);
    expect(catalog.list().map((e) => e.definition.id)).toEqual(['from-config', 'mine']);
    expect(changes).toEqual([['demo-a', 'demo-b']]);
    store.close();
  });

  it('skips a stored definition it cannot read, with a log line', () => {
    const first = open();
    first.repository.upsertAll([{ id: 'broken', source: 'api', definition: '{"id":"broken"}' }], 1);
    first.store.close();
    const second = open(first.dir);
    expect(second.catalog.get('broken')).toBeUndefined();
    expect(second.lines.some((l) => l.msg === 'skipping a stored service' && l.id === 'broken')).toBe(true);
    second.store.close();
  });
});

describe('ServiceCatalog files a check names', () => {
  const caCheck = (caFile: string) => ({ name: 'tls', type: 'http' as const, url: 'https://127.0.0.1:1/', caFile });

  it('refuses, on saving, a caFile outside files.readDirs from the API, the fleet or a template, naming the field', () => {
    const allowed = tempDir();
    const { catalog, store } = open(tempDir(), [service('nightly', { tags: ['batch'] })], [allowed]);
    const outside = 'caFile /dev/zero is outside the directories this node allows (files.readDirs)';
    const api = refusal(() => catalog.upsert([service('web', { checks: [caCheck('/dev/zero')] })], 'api'));
    expect(api).toMatchObject({ code: 'invalid_request', message: outside });
    expect(api.issues).toEqual([{ path: 'checks.0.caFile', message: outside }]);
    expect(refusal(() => catalog.applyFleet(service('web', { checks: [caCheck('/dev/zero')] })))).toMatchObject({
      message: outside,
    });
    const fromTemplate = refusal(() => catalog.applyTemplate(template('tls', { check: caCheck('/dev/zero') })));
    expect(fromTemplate.issues).toEqual([{ path: 'check.caFile', message: outside }]);
    expect(catalog.get('web')).toBeUndefined();
    expect(checksOf(catalog, 'nightly')).toEqual(['port']);

    const inside = join(allowed, 'ca.pem');
    catalog.upsert([service('web', { checks: [caCheck(inside)] })], 'api');
    expect(catalog.fileScope('web', 'tls')).toEqual({ from: 'outside', readDirs: [allowed] });
    store.close();
  });

  it("lets the config file's own checks name any file, but not a template's check joining them", () => {
    const { catalog, store } = open(tempDir(), [
      service('from-config', { tags: ['batch'], checks: [caCheck('/etc/ssl/ca.pem')] }),
    ]);
    catalog.applyTemplate(template('heartbeats'));
    expect(catalog.fileScope('from-config', 'tls')).toEqual({ from: 'config' });
    expect(catalog.fileScope('from-config', 'heartbeat')).toEqual({ from: 'outside', readDirs: [] });
    store.close();
  });
});
