import type { BackendConfig } from '../../shared/config.js';
import type { ConnectionTestResult } from '../../shared/node.js';
import { testEtcdConnection } from './etcd/etcd-backend.js';

/** Tries a backend configuration without touching the running one (the Settings page's "Test connection"). */
export async function testConnection(config: BackendConfig): Promise<ConnectionTestResult> {
  switch (config.kind) {
    case 'local':
      return { ok: true, clusterId: 'local', memberCount: 1, version: 'embedded', authenticated: false };
    case 'etcd':
      return testEtcdConnection({
        endpoints: config.endpoints,
        tls: config.tls,
        auth: config.auth,
        dialTimeoutMs: config.dialTimeoutMs,
      });
  }
}
