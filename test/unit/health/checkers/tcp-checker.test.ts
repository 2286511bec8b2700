import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTcp } from '../../../../electron/health/checkers/tcp-checker.js';
import { TcpCheck } from '../../../../shared/services.js';
import { checkContext, close, listen, startTcpServer, type TcpServer } from './check-context.js';

let server: TcpServer;
let port: number;
let closedPort: number;

beforeAll(async () => {
  server = await startTcpServer();
  port = server.port;
  const closed = createServer();
  closedPort = await listen(closed);
  await close(closed);
});

afterAll(async () => {
  await server.close();
});

const check = (targetPort: number) => TcpCheck.parse({ name: 'db', type: 'tcp', host: '127.0.0.1', port: targetPort });

describe('tcp checker', () => {
  it('passes when the port accepts a connection', async () => {
    const result = await checkTcp(check(port), checkContext(2_000));
    expect(result.status).toBe('passing');
    expect(result.output).toMatch(new RegExp(`^TCP connect to 127\\.0\\.0\\.1:${port} in \\d+ ms$`));
  });

  it('is critical when the connection is refused', async () => {
    const result = await checkTcp(check(closedPort), checkContext(2_000));
    expect(result.status).toBe('critical');
    expect(result.output).toBe(
      `TCP connect to 127.0.0.1:${closedPort} failed: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    );
  });

  it('is critical when its time is already up', async () => {
    const definition = check(port);
    const expired = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    expect(await checkTcp(definition, { ...checkContext(2_000), signal: expired })).toEqual({
      status: 'critical',
      output: `timed out after ${definition.timeoutMs} ms`,
    });
  });
});
