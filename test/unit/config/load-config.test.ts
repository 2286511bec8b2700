import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../electron/config/load-config.js';
import { configFailure } from '../../support/config-failure.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const load = (argv: string[] = [], env: Record<string, string> = {}) => loadConfig({ argv, env });

describe('loadConfig', () => {
  it('needs no file: every field has a default', () => {
    const config = load([], { XDG_DATA_HOME: '/srv/data' });
    expect(config.role).toBe('agent');
    expect(config.api).toEqual({ host: '127.0.0.1', port: 7420, allowedHosts: [], auth: 'auto' });
    expect(config.backend).toEqual({ kind: 'local' });
    expect(config.dataDir).toBe('/srv/data/fleetdeck');
    expect(config.name.length).toBeGreaterThan(0);
    expect(config.nodeId).toBeUndefined();
  });

  it('reads YAML, then lets FLEETDECK_* env and flags override it in that order', () => {
    const path = file('layers.yaml', 'name: from-file\napi:\n  port: 8000\n  host: 127.0.0.2\nlabels:\n  zone: a\n');
    const fromFile = load(['--config', path]);
    expect(fromFile).toMatchObject({
      name: 'from-file',
      api: { port: 8000, host: '127.0.0.2' },
      labels: { zone: 'a' },
    });

    const fromEnv = load(['--config', path], { FLEETDECK_PORT: '9000', FLEETDECK_NAME: 'from-env' });
    expect(fromEnv).toMatchObject({ name: 'from-env', api: { port: 9000, host: '127.0.0.2' } });

    const fromFlags = load(['--config', path, '--port', '9100'], { FLEETDECK_PORT: '9000' });
    expect(fromFlags.api.port).toBe(9100);
  });

  it('finds the file through FLEETDECK_CONFIG and accepts JSON', () => {
    const path = file('c.json', JSON.stringify({ role: 'console', nodeId: 'desk-1' }));
    expect(load([], { FLEETDECK_CONFIG: path })).toMatchObject({ role: 'console', nodeId: 'desk-1' });
  });

  it('names the field, the reason and the source of a bad value', () => {
    expect(configFailure(() => load(['--port', '70000']))).toMatch(/api\.port: .*65535.*\(from flags\)/);
    expect(configFailure(() => load([], { FLEETDECK_ROLE: 'boss' }))).toMatch(
      /role: .*"agent".*"console".*\(from environment\)/,
    );
    const path = file('bad.yaml', 'nodeId: "Bad Id!"\n');
    expect(configFailure(() => load(['--config', path]))).toMatch(new RegExp(`nodeId: must be .*\\(from ${path}\\)`));
  });

  it('refuses text where a number belongs, unknown keys, unknown flags and unreadable files', () => {
    expect(configFailure(() => load(['--port', 'eighty']))).toMatch(/api\.port: expected an integer, got "eighty"/);
    expect(configFailure(() => load(['--config', file('k.yaml', 'colour: red\n')]))).toMatch(
      /Unrecognized key.*colour/,
    );
    expect(configFailure(() => load(['--colour', 'red']))).toMatch(/Unknown option '--colour'/);
    expect(configFailure(() => load(['--config', join(dir, 'missing.yaml')]))).toMatch(
      /cannot read config file .*missing\.yaml/,
    );
    expect(configFailure(() => load(['--config', file('broken.yaml', 'api: [unclosed\n')]))).toMatch(/not valid YAML/);
    expect(configFailure(() => load(['--config', file('list.yaml', '- a\n- b\n')]))).toMatch(/must contain a mapping/);
  });

  it('lets the caller set defaults that files, env and flags still override', () => {
    const base = { role: 'console' as const, dataDir: '/tmp/desk' };
    expect(loadConfig({ argv: [], env: {}, base })).toMatchObject(base);
    expect(loadConfig({ argv: ['--role', 'agent'], env: {}, base }).role).toBe('agent');
  });
});

describe('loadConfig: services and commands', () => {
  it('accepts services whose script checks and supervision use defined commands', () => {
    const path = file(
      'services.yaml',
      [
        'commands:',
        '  disk-free: { argv: [df, -h] }',
        '  worker: { argv: [node, worker.js], cwd: /srv/worker }',
        'services:',
        '  - id: disk',
        '    name: Disk',
        '    checks: [{ name: free, type: script, command: disk-free, intervalMs: 60000 }]',
        '  - id: worker',
        '    name: Worker',
        '    supervise: { command: worker }',
      ].join('\n'),
    );
    const config = load(['--config', path]);
    expect(config.services.map((s) => s.id)).toEqual(['disk', 'worker']);
    expect(config.services[0]!.checks[0]).toMatchObject({ timeoutMs: 5000, retries: 0, failuresBeforeCritical: 1 });
  });

  it('names the field of a command that is not defined, a duplicate id and a bad check', () => {
    const undefinedCommand = file(
      'u.yaml',
      'services: [{ id: a, name: A, checks: [{ name: c, type: script, command: nope }] }]\n',
    );
    expect(configFailure(() => load(['--config', undefinedCommand]))).toMatch(
      /services\.0\.checks\.0\.command: command "nope" is not defined in this node's config/,
    );
    const twice = file('d.yaml', 'services: [{ id: a, name: A }, { id: a, name: B }]\n');
    expect(configFailure(() => load(['--config', twice]))).toMatch(/services: id "a" is used twice/);
    const badUrl = file(
      'h.yaml',
      'services: [{ id: a, name: A, checks: [{ name: c, type: http, url: "ftp://x" }] }]\n',
    );
    expect(configFailure(() => load(['--config', badUrl]))).toMatch(/services\.0\.checks\.0\.url: must be an http/);
    const slowTimeout = file(
      't.yaml',
      'services: [{ id: a, name: A, checks: [{ name: c, type: tcp, host: h, port: 1, intervalMs: 1000, timeoutMs: 2000 }] }]\n',
    );
    expect(configFailure(() => load(['--config', slowTimeout]))).toMatch(
      /timeoutMs: timeoutMs must not exceed intervalMs/,
    );
  });
});
