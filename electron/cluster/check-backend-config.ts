import type { BackendConfig } from '../../shared/config.js';
import type { RpcIssue } from '../../shared/rpc.js';
import { errorMessage } from '../core/errors.js';
import { MAX_PEM_FILE_BYTES, readBoundedFileSync } from '../core/read-bounded-file.js';
import { createEtcdClient } from './etcd/etcd-client.js';

/**
 * What stops a schema-valid backend from being built on this machine (an unreadable PEM file, options the
 * client refuses), found before the running agent is stopped for it. Reachability is not checked: an agent
 * on an unreachable backend works locally and reconnects by itself.
 */
export function checkBackendConfig(backend: BackendConfig): RpcIssue[] {
  if (backend.kind === 'local') return [];
  const issues: RpcIssue[] = [];
  for (const field of ['caFile', 'certFile', 'keyFile'] as const) {
    const file = backend.tls?.[field];
    if (file === undefined) continue;
    try {
      readBoundedFileSync(file, { label: field, maxBytes: MAX_PEM_FILE_BYTES });
    } catch (error) {
      issues.push({ path: `backend.tls.${field}`, message: errorMessage(error) });
    }
  }
  if (issues.length > 0) return issues;
  try {
    createEtcdClient(backend).close();
  } catch (error) {
    issues.push({ path: 'backend', message: errorMessage(error) });
  }
  return issues;
}
