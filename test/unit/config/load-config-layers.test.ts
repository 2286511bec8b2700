import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadAgentConfig, loadConfig } from '../../../electron/config/load-config.js';
import { savedBackendFile, writeSavedBackend } from '../../../electron/config/saved-backend.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'fleetdeck-layers-'));
const configFile = (dir: string, value: unknown) => {
  const file = join(dir, 'fleetdeck.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const fileEtcd = {
  kind: 'etcd',
  endpoints: ['http://file-etcd:2379'],
  tls: { caFile: '/file/ca.pem' },
  auth: { username: 'file-user', password: 'file-password' },
};
const savedEtcd = {
  kind: 'etcd' as const,
  endpoints: ['https://saved-etcd:2379'],
  tls: { caFile: '/saved/ca.pem' },
  dialTimeoutMs: 1500,
};

describe('loadAgentConfig: the backend saved from Settings', () => {
  it('sits above the config file and the caller base, and below FLEETDECK_* env and flags', () => {
    const dataDir = freshDir();
    const file = configFile(dataDir, { backend: fileEtcd });
    const base = { backend: { kind: 'local' as const } };

    expect(loadConfig({ argv: ['--data-dir', dataDir, '--config', file], env: {}, base }).backend).toMatchObject(
      fileEtcd,
    );

    writeSavedBackend(savedBackendFile(dataDir), savedEtcd);
    // The saved backend replaces the file's as a whole: no auth carried over from the file.
    const saved = loadAgentConfig({ argv: ['--data-dir', dataDir, '--config', file], env: {}, base });
    expect(saved.config.backend).toEqual(savedEtcd);
    expect(saved.backendOrigin).toEqual({ pinnedBy: null, savedFile: join(dataDir, 'backend.json'), saved: true });

    // Env and flags of the same kind refine it; flags win over env.
    const env = { FLEETDECK_ETCD_ENDPOINTS: 'http://env-etcd:2379' };
    const fromEnv = loadAgentConfig({ argv: ['--data-dir', dataDir], env });
    expect(fromEnv.config.backend).toEqual({ ...savedEtcd, endpoints: ['http://env-etcd:2379'] });
    expect(fromEnv.backendOrigin.pinnedBy).toBe('FLEETDECK_ETCD_ENDPOINTS');
    const fromFlags = loadAgentConfig({
      argv: ['--data-dir', dataDir, '--etcd-endpoints', 'http://flag-etcd:2379'],
      env,
    });
    expect(fromFlags.config.backend).toMatchObject({ endpoints: ['http://flag-etcd:2379'], tls: savedEtcd.tls });
    expect(fromFlags.backendOrigin.pinnedBy).toBe('--etcd-endpoints, FLEETDECK_ETCD_ENDPOINTS');

    // Another kind from a flag replaces the saved etcd settings rather than mixing them in.
    const local = loadAgentConfig({ argv: ['--data-dir', dataDir, '--backend', 'local'], env: {} });
    expect(local.config.backend).toEqual({ kind: 'local' });
    expect(local.backendOrigin.pinnedBy).toBe('--backend');
    expect(loadConfig({ argv: ['--data-dir', dataDir], env: { FLEETDECK_BACKEND: 'local' } }).backend).toEqual({
      kind: 'local',
    });
  });

  it('is read from the data dir the other layers resolve to: defaults, base, file, env or flag', () => {
    const [fromXdg, fromBase, fromFile, fromEnv, fromFlag] = [
      freshDir(),
      freshDir(),
      freshDir(),
      freshDir(),
      freshDir(),
    ];
    for (const dir of [fromBase, fromFile, fromEnv, fromFlag]) {
      writeSavedBackend(savedBackendFile(dir), { ...savedEtcd, endpoints: [`http://${dir.slice(-6)}:2379`] });
    }
    writeSavedBackend(savedBackendFile(join(fromXdg, 'fleetdeck')), { ...savedEtcd, endpoints: ['http://xdg:2379'] });
    const endpointOf = (argv: string[], env: Record<string, string>, base = {}) => {
      const config = loadConfig({ argv, env, base });
      return config.backend.kind === 'etcd' ? config.backend.endpoints[0] : config.backend.kind;
    };
    const file = configFile(fromFile, { dataDir: fromFile });

    expect(endpointOf([], { XDG_DATA_HOME: fromXdg })).toBe('http://xdg:2379');
    expect(endpointOf([], { XDG_DATA_HOME: fromXdg }, { dataDir: fromBase })).toContain(fromBase.slice(-6));
    expect(endpointOf(['--config', file], {}, { dataDir: fromBase })).toContain(fromFile.slice(-6));
    expect(endpointOf(['--config', file], { FLEETDECK_DATA_DIR: fromEnv })).toContain(fromEnv.slice(-6));
    expect(endpointOf(['--config', file, '--data-dir', fromFlag], { FLEETDECK_DATA_DIR: fromEnv })).toContain(
      fromFlag.slice(-6),
    );
  });

  it('reports where Settings saves and that nothing pins the backend when nothing was saved', () => {
    const dataDir = freshDir();
    const loaded = loadAgentConfig({ argv: ['--data-dir', dataDir], env: {} });
    expect(loaded.config.backend).toEqual({ kind: 'local' });
    expect(loaded.backendOrigin).toEqual({ pinnedBy: null, savedFile: join(dataDir, 'backend.json'), saved: false });
    const env = { FLEETDECK_BACKEND: 'etcd', FLEETDECK_ETCD_ENDPOINTS: '' };
    expect(
      loadAgentConfig({ argv: ['--data-dir', dataDir, '--etcd-endpoints', 'http://e:2379'], env }).backendOrigin,
    ).toMatchObject({ pinnedBy: '--etcd-endpoints, FLEETDECK_BACKEND' });
  });

  it('stops on a malformed saved file with the file and the field', () => {
    const dataDir = freshDir();
    writeFileSync(savedBackendFile(dataDir), JSON.stringify({ kind: 'etcd', endpoints: [], dialTimeoutMs: 5 }));
    let message = '';
    try {
      loadConfig({ argv: ['--data-dir', dataDir], env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(join(dataDir, 'backend.json'));
    expect(message).toMatch(/endpoints: .*>=1/);
    expect(message).toMatch(/dialTimeoutMs: .*>=100/);
  });

  it('names the saved file as the source of a value the whole config refuses', () => {
    const dataDir = freshDir();
    writeSavedBackend(savedBackendFile(dataDir), { kind: 'local' });
    // Endpoints from the environment without a backend kind from it: they land on the saved local backend.
    expect(() =>
      loadConfig({ argv: ['--data-dir', dataDir], env: { FLEETDECK_ETCD_ENDPOINTS: 'http://e:2379' } }),
    ).toThrow(/backend: Unrecognized key.*endpoints.*\(from environment\)/);
  });
});
