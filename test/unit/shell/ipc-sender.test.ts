import { describe, expect, it } from 'vitest';
import type { CallerContext, RpcOutcome } from '../../../shared/rpc.js';
import { createCallHandler, isTrustedSender, type SenderFrame } from '../../../electron/shell/ipc-sender.js';

const top = (url: string): SenderFrame => ({ url, parent: null });

describe('isTrustedSender', () => {
  it('accepts the top frame of our app:// origin', () => {
    expect(isTrustedSender(top('app://fleetdeck/index.html'))).toBe(true);
    expect(isTrustedSender(top('app://fleetdeck/'))).toBe(true);
    expect(isTrustedSender(top('app://fleetdeck/index.html#/alerts?x=1'))).toBe(true);
  });

  it.each([
    ['file://', 'file:///home/user/dist/renderer/index.html'],
    ['http', 'http://127.0.0.1:7420/'],
    ['https', 'https://fleetdeck.example.com/'],
    ['another app:// host', 'app://evil/index.html'],
    ['a host with our name as prefix', 'app://fleetdeck.evil/index.html'],
    ['a port', 'app://fleetdeck:8080/index.html'],
    ['credentials', 'app://user:pw@fleetdeck/index.html'],
    ['another scheme', 'fleetdeck://fleetdeck/index.html'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['about:blank', 'about:blank'],
    ['data:', 'data:text/html,<script>1</script>'],
    ['an empty URL', ''],
  ])('rejects %s', (_name, url) => {
    expect(isTrustedSender(top(url))).toBe(false);
  });

  it('rejects a missing frame and subframes, even on our origin', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ url: 'app://fleetdeck/index.html', parent: { url: 'app://fleetdeck/' } })).toBe(false);
  });
});

describe('createCallHandler', () => {
  const outcome: RpcOutcome = { ok: true, result: { fine: true } };
  const setup = () => {
    const calls: Array<[string, unknown]> = [];
    const callers: CallerContext[] = [];
    const rejected: Array<string | null> = [];
    const handler = createCallHandler({
      agent: async () => ({
        call: async (method, params, caller) => {
          calls.push([method, params]);
          callers.push(caller);
          return outcome;
        },
      }),
      onRejectedSender: (url) => rejected.push(url),
    });
    return { handler, calls, callers, rejected };
  };

  it('passes a trusted call to the agent untouched, as the desktop over IPC', async () => {
    const { handler, calls, callers } = setup();
    await expect(handler({ senderFrame: top('app://fleetdeck/index.html') }, 'node.status', {})).resolves.toEqual(
      outcome,
    );
    expect(calls).toEqual([['node.status', {}]]);
    expect(callers).toEqual([{ transport: 'ipc', remote: null, principal: 'desktop', scope: 'admin' }]);
  });

  it('refuses an untrusted sender without reaching the agent', async () => {
    const { handler, calls, rejected } = setup();
    await expect(handler({ senderFrame: top('https://evil.example/') }, 'node.status', {})).rejects.toThrow(
      /untrusted/,
    );
    await expect(handler({ senderFrame: null }, 'node.status', {})).rejects.toThrow(/untrusted/);
    expect(calls).toEqual([]);
    expect(rejected).toEqual(['https://evil.example/', null]);
  });

  it('answers a non-string method with invalid_request', async () => {
    const { handler, calls } = setup();
    const result = await handler({ senderFrame: top('app://fleetdeck/') }, { toString: () => 'x' }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(calls).toEqual([]);
  });
});
