import { describe, expect, it } from 'vitest';
import { acknowledgeAlert } from '../../../electron/desktop-notifications/acknowledge-alert.js';
import type { CallerContext, RpcOutcome } from '../../../shared/rpc.js';

/** Stands in for the node's dispatcher: records each call and answers as the cluster would. */
function recordingDispatcher(answers: { leader?: string | null; refuse?: string } = {}) {
  const calls: Array<{ method: string; params: unknown; caller: CallerContext }> = [];
  const call = (method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome> => {
    calls.push({ method, params, caller });
    if (method === 'cluster.leader') {
      const id = answers.leader ?? null;
      return Promise.resolve({
        ok: true,
        result: id && { id, leaseId: '7', revision: '12', since: Date.UTC(2026, 0, 1) },
      });
    }
    if (answers.refuse) return Promise.resolve({ ok: false, error: { code: 'conflict', message: answers.refuse } });
    return Promise.resolve({ ok: true, result: {} });
  };
  return { call, calls };
}

const desktop = { transport: 'ipc', remote: null, principal: 'desktop', scope: 'admin' };

describe('acknowledging from a notification', () => {
  it("acknowledges a node's alert on that node, as the desktop user", async () => {
    const { call, calls } = recordingDispatcher();
    await acknowledgeAlert(call, { node: 'web-2', localId: 7 });
    expect(calls).toEqual([
      {
        method: 'cluster.call',
        params: { memberId: 'web-2', method: 'alerts.acknowledge', params: { id: 7 } },
        caller: desktop,
      },
    ]);
  });

  it('acknowledges an alert of the fleet rules on the leader, and says so when there is none', async () => {
    const { call, calls } = recordingDispatcher({ leader: 'web-3' });
    await acknowledgeAlert(call, { node: 'fleet', localId: 4 });
    expect(calls.at(-1)).toEqual({
      method: 'cluster.call',
      params: { memberId: 'web-3', method: 'fleet.alerts.acknowledge', params: { id: 4 } },
      caller: desktop,
    });
    const leaderless = recordingDispatcher({ leader: null });
    await expect(acknowledgeAlert(leaderless.call, { node: 'fleet', localId: 4 })).rejects.toThrow(
      'the fleet has no leader to acknowledge a fleet alert on',
    );
  });

  it("fails with the node's refusal", async () => {
    const { call } = recordingDispatcher({ refuse: 'alert 7 is not open' });
    await expect(acknowledgeAlert(call, { node: 'web-2', localId: 7 })).rejects.toThrow('alert 7 is not open');
  });
});
