import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedByConfig, type FileScope } from '../../../../electron/core/read-bounded-file.js';
import { checkHttp } from '../../../../electron/health/checkers/http-checker.js';
import { HttpCheck } from '../../../../shared/services.js';
import { createTestCertificates, type KeyPair, type TestCertificates } from '../../../support/tls-certs.js';
import { checkContext, close, listen } from './check-context.js';

const DAY_MS = 86_400_000;

let certs: TestCertificates;
const servers: Server[] = [];
/** Base URLs of servers presenting each certificate. */
let trusted: string;
let expiring: string;
let selfSigned: string;

async function serve(pair: KeyPair): Promise<string> {
  const server = createServer({ key: pair.key, cert: pair.cert }, (_request, response) => response.end('ok'));
  servers.push(server);
  return `https://127.0.0.1:${await listen(server)}/`;
}

beforeAll(async () => {
  certs = createTestCertificates();
  trusted = await serve(certs.server);
  expiring = await serve(certs.expiringSoon);
  selfSigned = await serve(certs.selfSigned);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => close(server)));
  certs.remove();
});

const run = (fields: Record<string, unknown>, now: () => number = Date.now, files: FileScope = namedByConfig) => {
  const check = HttpCheck.parse({ name: 'tls', type: 'http', ...fields });
  return checkHttp(check, checkContext(check.timeoutMs, { now, files }));
};

describe('http checker over TLS', () => {
  it('is critical with the TLS error for a self-signed certificate', async () => {
    expect(await run({ url: selfSigned })).toEqual({
      status: 'critical',
      output: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
  });

  it('is critical for a certificate from a CA it does not trust', async () => {
    const result = await run({ url: trusted });
    expect(result.status).toBe('critical');
    expect(result.output).toMatch(/^TLS error: unable to verify the first certificate/);
  });

  it('passes when caFile adds the issuing CA', async () => {
    const result = await run({ url: trusted, caFile: certs.caFile });
    expect(result.status).toBe('passing');
    expect(result.output).toMatch(/^HTTP 200 in \d+ ms$/);
  });

  it('trusts a pinned self-signed certificate given as caFile', async () => {
    expect((await run({ url: selfSigned, caFile: certs.selfSigned.certFile })).status).toBe('passing');
  });

  it('never serves a check from a connection verified against another caFile', async () => {
    expect((await run({ url: trusted, caFile: certs.caFile })).status).toBe('passing');
    expect((await run({ url: trusted })).status).toBe('critical');
    expect((await run({ url: trusted, caFile: certs.selfSigned.certFile })).status).toBe('critical');
    expect((await run({ url: trusted, caFile: certs.caFile })).status).toBe('passing');
  });

  it('warns when the certificate expires within tlsExpiryWarningDays', async () => {
    const result = await run({ url: expiring, caFile: certs.caFile });
    expect(result.status).toBe('warning');
    expect(result.output).toMatch(/^HTTP 200 in \d+ ms; TLS certificate expires in 3 days \(\d{4}-\d\d-\d\dT.*Z\)$/);
    expect((await run({ url: expiring, caFile: certs.caFile, tlsExpiryWarningDays: 2 })).status).toBe('passing');
  });

  it('measures expiry on the injected clock', async () => {
    const in360Days = () => Date.now() + 360 * DAY_MS;
    const soon = await run({ url: trusted, caFile: certs.caFile }, in360Days);
    expect(soon.status).toBe('warning');
    expect(soon.output).toContain('TLS certificate expires in 5 days');
    const later = await run({ url: trusted, caFile: certs.caFile }, () => Date.now() + 366 * DAY_MS);
    expect(later.status).toBe('critical');
    expect(later.output).toMatch(/TLS certificate expired at /);
  });

  it('does not warn about expiry when the status already fails', async () => {
    const result = await run({ url: expiring, caFile: certs.caFile, expectStatus: [204] });
    expect(result).toEqual({ status: 'critical', output: 'HTTP 200 (expected 204)' });
  });

  it('is unknown when caFile cannot be read or is not a certificate', async () => {
    const missing = await run({ url: trusted, caFile: join(certs.dir, 'missing.pem') });
    expect(missing.status).toBe('unknown');
    expect(missing.output).toMatch(/^cannot read caFile .*missing\.pem: ENOENT/);

    const garbage = join(certs.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const invalid = await run({ url: trusted, caFile: garbage });
    expect(invalid.status).toBe('unknown');
    expect(invalid.output).toBe(`caFile ${garbage} is not a PEM certificate`);
  });

  it('reads a caFile named from outside the config file only inside files.readDirs, and never /dev/zero', async () => {
    const fromApi: FileScope = { from: 'outside', readDirs: [certs.dir] };
    expect((await run({ url: trusted, caFile: certs.caFile }, Date.now, fromApi)).status).toBe('passing');
    const elsewhere = { from: 'outside', readDirs: ['/srv/nothing-here'] } as const;
    expect(await run({ url: trusted, caFile: certs.caFile }, Date.now, elsewhere)).toEqual({
      status: 'unknown',
      output: `caFile ${certs.caFile} is outside the directories this node allows (files.readDirs)`,
    });
    const started = performance.now();
    expect(await run({ url: trusted, caFile: '/dev/zero' })).toEqual({
      status: 'unknown',
      output: 'caFile /dev/zero is not a regular file (a character device)',
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
