import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGrpc, closeGrpcClients } from '../../../../electron/health/checkers/grpc-checker.js';
import { CheckDefinition, GrpcCheck } from '../../../../shared/services.js';
import { createTestCertificates, type TestCertificates } from '../../../support/tls-certs.js';
import { checkContext } from './check-context.js';

const health = new HealthImplementation({ '': 'SERVING', api: 'SERVING' });
let server: Server;
let address: string;

async function startServer(
  implementation: HealthImplementation,
  serverCredentials = ServerCredentials.createInsecure(),
): Promise<{ server: Server; address: string }> {
  const grpcServer = new Server();
  implementation.addToServer(grpcServer);
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', serverCredentials, (error, bound) => (error ? reject(error) : resolve(bound))),
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

describe('grpc checker over TLS', () => {
  let certs: TestCertificates;
  let tlsServer: Server;
  let tlsAddress: string;

  beforeAll(async () => {
    certs = createTestCertificates();
    const serverCredentials = ServerCredentials.createSsl(null, [
      { private_key: Buffer.from(certs.server.key), cert_chain: Buffer.from(certs.server.cert) },
    ]);
    ({ server: tlsServer, address: tlsAddress } = await startServer(
      new HealthImplementation({ '': 'SERVING' }),
      serverCredentials,
    ));
  });

  afterAll(async () => {
    closeGrpcClients();
    await shutdown(tlsServer);
    certs.remove();
  });

  const runTls = (fields: Record<string, unknown>) => run({ address: tlsAddress, tls: true, ...fields });

  it('passes when caFile adds the private CA that issued the server certificate', async () => {
    const result = await runTls({ caFile: certs.caFile });
    expect(result.status).toBe('passing');
    expect(result.output).toMatch(/^gRPC SERVING in \d+ ms$/);
  });

  it('is critical with the TLS reason without caFile', async () => {
    const result = await runTls({});
    expect(result.status).toBe('critical');
    expect(result.output).toMatch(/^gRPC health of the server: UNAVAILABLE: .*unable to verify the first certificate/);
  });

  it('never serves a check from a channel verified against another CA', async () => {
    const pinnedElsewhere = join(certs.dir, 'other-ca.pem');
    copyFileSync(certs.selfSigned.certFile, pinnedElsewhere);
    expect((await runTls({ caFile: certs.caFile })).status).toBe('passing');
    expect((await runTls({})).status).toBe('critical');
    expect((await runTls({ caFile: pinnedElsewhere })).status).toBe('critical');
    expect((await runTls({ caFile: certs.caFile })).status).toBe('passing');
  });

  it('follows a caFile whose content changes', async () => {
    const rotating = join(certs.dir, 'rotating-ca.pem');
    copyFileSync(certs.caFile, rotating);
    expect((await runTls({ caFile: rotating })).status).toBe('passing');
    copyFileSync(certs.selfSigned.certFile, rotating);
    expect((await runTls({ caFile: rotating })).status).toBe('critical');
    copyFileSync(certs.caFile, rotating);
    expect((await runTls({ caFile: rotating })).status).toBe('passing');
  });

  it('is unknown when caFile cannot be read or is not a certificate', async () => {
    const missing = await runTls({ caFile: join(certs.dir, 'missing.pem') });
    expect(missing.status).toBe('unknown');
    expect(missing.output).toMatch(/^cannot read caFile .*missing\.pem: ENOENT/);

    const garbage = join(certs.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(await runTls({ caFile: garbage })).toEqual({
      status: 'unknown',
      output: `caFile ${garbage} is not a PEM certificate`,
    });
  });

  it('refuses caFile without tls', () => {
    const input = { name: 'rpc', type: 'grpc', address: tlsAddress, caFile: certs.caFile };
    for (const schema of [GrpcCheck, CheckDefinition]) {
      const parsed = schema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues).toEqual([
        expect.objectContaining({
          path: ['caFile'],
          message: 'requires tls: true (the CA verifies the server certificate)',
        }),
      ]);
    }
    expect(GrpcCheck.safeParse({ ...input, tls: true }).success).toBe(true);
  });
});
