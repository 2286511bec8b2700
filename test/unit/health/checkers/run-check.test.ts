import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedByConfig } from '../../../../electron/core/read-bounded-file.js';
import type { CheckContext } from '../../../../electron/health/checkers/checker.js';
import { closeCheckConnections, runCheck } from '../../../../electron/health/checkers/run-check.js';
import { CheckDefinition, type CommandDefinition } from '../../../../shared/services.js';
import { startTcpServer, type TcpServer } from './check-context.js';

let server: TcpServer;
let port: number;

beforeAll(async () => {
  // Accepts connections and never answers: an HTTP check against it can only time out.
  server = await startTcpServer();
  port = server.port;
});

afterAll(async () => {
  closeCheckConnections();
  await server.close();
});

const agentStop = new AbortController();
const context = (overrides: Partial<CheckContext> = {}): CheckContext => ({
  signal: agentStop.signal,
  commands: {},
  files: namedByConfig,
  now: Date.now,
  ...overrides,
});

describe('runCheck', () => {
  it('runs the checker for the type and measures latency', async () => {
    const check = CheckDefinition.parse({ name: 'port', type: 'tcp', host: '127.0.0.1', port });
    const result = await runCheck(check, context());
    expect(result.status).toBe('passing');
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeLessThan(check.timeoutMs);
  });

  it('is critical at the timeout', async () => {
    const check = CheckDefinition.parse({
      name: 'web',
      type: 'http',
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 100,
    });
    const result = await runCheck(check, context());
    expect(result).toMatchObject({ status: 'critical', output: 'timed out after 100 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(95);
    expect(result.latencyMs).toBeLessThan(5_000);
  });

  it('is unknown when the agent stops mid-run', async () => {
    const stopping = new AbortController();
    const check = CheckDefinition.parse({ name: 'web', type: 'http', url: `http://127.0.0.1:${port}/` });
    const pending = runCheck(check, context({ signal: stopping.signal }));
    stopping.abort(new Error('agent stopping'));
    expect(await pending).toMatchObject({ status: 'unknown', output: 'cancelled: agent stopping' });
  });

  it('turns a checker that throws into unknown instead of rejecting', async () => {
    const exploding = new Proxy<Record<string, CommandDefinition>>(
      {},
      {
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    const check = CheckDefinition.parse({ name: 'script', type: 'script', command: 'probe' });
    const result = await runCheck(check, context({ commands: exploding }));
    expect(result).toMatchObject({ status: 'unknown', output: 'checker failed: boom' });
  });

  it('does not run TTL checks', async () => {
    const check = CheckDefinition.parse({ name: 'job', type: 'ttl', ttlMs: 60_000 });
    expect(await runCheck(check, context())).toMatchObject({
      status: 'unknown',
      output: 'TTL checks are reported, not run',
    });
  });

  it('leaves no listener on the agent signal after its runs', async () => {
    const check = CheckDefinition.parse({ name: 'port', type: 'tcp', host: '127.0.0.1', port });
    await Promise.all(Array.from({ length: 50 }, () => runCheck(check, context())));
    expect(getEventListeners(agentStop.signal, 'abort')).toHaveLength(0);
  });
});
