import type { Etcd3 } from 'etcd3';
import type { ConnectionTestResult } from '../../../shared/node.js';
import { errorMessage } from '../../core/errors.js';
import { createEtcdClient, describeEtcdError, type EtcdConnectionOptions } from './etcd-client.js';

/**
 * Tries a connection without touching the running backend (the Settings page's "Test connection"): the
 * maintenance status of one member and the member list, each within the dial timeout. A failure names the
 * reason: unreachable, TLS (untrusted server certificate, client certificate refused) or auth.
 */
export async function testEtcdConnection(options: EtcdConnectionOptions): Promise<ConnectionTestResult> {
  let client: Etcd3;
  try {
    client = createEtcdClient(options);
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
  try {
    const status = await client.maintenance.status();
    const members = await client.cluster.memberList({});
    return {
      ok: true,
      // etcdctl shows cluster and member ids in hex.
      clusterId: BigInt(status.header.cluster_id).toString(16),
      memberCount: members.members.length,
      version: status.version,
      authenticated: options.auth !== undefined,
    };
  } catch (error) {
    return { ok: false, error: describeEtcdError(error, options.endpoints) };
  } finally {
    client.close();
  }
}
