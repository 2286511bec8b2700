import { describe, expect, it } from 'vitest';
import { describeEtcdError } from '../../../electron/cluster/etcd/etcd-client.js';

const endpoints = ['http://127.0.0.1:2379'];

describe('describeEtcdError', () => {
  it("names grpc-js's last error when there is one", () => {
    const error = new Error(
      '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379 (2026-11-23T09:00:00.000Z)',
    );
    expect(describeEtcdError(error, endpoints)).toBe(
      'etcd unreachable at http://127.0.0.1:2379: connect ECONNREFUSED 127.0.0.1:2379 (2026-11-23T09:00:00.000Z)',
    );
  });

  it('keeps what grpc-js said before "Last error: null" rather than printing null', () => {
    const error = new Error('14 UNAVAILABLE: No connection established. Last error: null. Resolution note: ');
    expect(describeEtcdError(error, endpoints)).toBe(
      'etcd unreachable at http://127.0.0.1:2379: 14 UNAVAILABLE: No connection established',
    );
  });
});
