import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGrpc, closeGrpcClients } from '../../../../electron/health/checkers/grpc-checker.js';
import { GrpcCheck } from '../../../../shared/services.js';
import { checkContext } from './check-context.js';

const health = new HealthImplementation({ '': 'SERVING', api: 'SERVING' });
let server: Server;
let address: string;

async function startServer(implementation: HealthImplementation): Promise<{ server: Server; address: string }> {
  const grpcServer = new Server();
  implementation.addToServer(grpcServer);
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { server: grpcServer, address: `127.0.0.1:${port}` };
}

const shutdown = (grpcServer: Server) => new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve()));

beforeAll(async () => {
  ({ server, address } = await startServer(health));
});

afterAll(async () => {
  closeGrpcClients();
  await shutdown(server);
});

const run = (fields: Record<string, unknown>) => {
  const check = GrpcCheck.parse({ name: 'rpc', type: 'grpc', address, ...fields });
  return checkGrpc(check, checkContext(check.timeoutMs));
};

describe('grpc checker', () => {
  it('passes when the whole server is SERVING', async () => {
    const result = await run({});
    expect(result.status).toBe('passing');
    expect(result.output).toMatch(/^gRPC SERVING in \d+ ms$/);
  });

  it('follows a service between SERVING and NOT_SERVING', async () => {
    expect((await run({ service: 'api' })).status).toBe('passing');
    health.setStatus('api', 'NOT_SERVING');
    expect(await run({ service: 'api' })).toEqual({
      status: 'critical',
      output: 'gRPC health of service "api": NOT_SERVING',
    });
    health.setStatus('api', 'SERVING');
    expect((await run({ service: 'api' })).status).toBe('passing');
  });

  it('is critical for a service the server does not know', async () => {
    expect(await run({ service: 'nope' })).toEqual({
      status: 'critical',
      output: 'gRPC health of service "nope": NOT_FOUND: Health status unknown for service nope',
    });
  });

  it('is critical when TLS is asked of a plaintext server', async () => {
    const result = await run({ tls: true });
    expect(result.status).toBe('critical');
    expect(result.output).toMatch(/^gRPC health of the server: UNAVAILABLE: /);
  });

  it('is critical once the server is down', async () => {
    const other = await startServer(new HealthImplementation({ '': 'SERVING' }));
    const check = GrpcCheck.parse({ name: 'rpc', type: 'grpc', address: other.address });
    expect((await checkGrpc(check, checkContext(check.timeoutMs))).status).toBe('passing');
    other.server.forceShutdown();
    const result = await checkGrpc(check, checkContext(check.timeoutMs));
    expect(result.status).toBe('critical');
    expect(result.output).toMatch(/^gRPC health of the server: UNAVAILABLE: /);
  });
});
