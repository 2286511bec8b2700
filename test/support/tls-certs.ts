import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type CertificateFiles } from './openssl-ca.js';

/** PEM files for TLS tests, all for 127.0.0.1. */
export interface TestCertificates {
  dir: string;
  /** The test CA's certificate (the file a check's `caFile` points to). */
  caFile: string;
  /** Signed by the CA, valid 365 days. */
  server: KeyPair;
  /** Signed by the CA, valid 3 days. */
  expiringSoon: KeyPair;
  /** Signed by nobody: no client trusts it. */
  selfSigned: KeyPair;
  /** Removes the directory. */
  remove(): void;
}

/** PEM text, for a server's `key`/`cert` options, and the certificate's path, for a check's `caFile`. */
export interface KeyPair {
  key: string;
  cert: string;
  certFile: string;
}

/** Generates a CA and three server certificates with the `openssl` CLI. */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-tls-'));
  const ca = createTestCa(dir, {
    subject: '/CN=Fleetdeck Test CA',
    days: 365,
    extensions: {
      leaf: {
        basicConstraints: 'CA:FALSE',
        keyUsage: 'critical, digitalSignature',
        extendedKeyUsage: 'serverAuth',
        subjectAltName: 'IP:127.0.0.1',
      },
    },
  });
  const leaf = (days: number) => ({ subject: '/CN=127.0.0.1', days, extensions: 'leaf' as const });
  const pair = ({ keyFile, certFile }: CertificateFiles): KeyPair => ({
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
  });

  return {
    dir,
    caFile: ca.certFile,
    server: pair(ca.issue('server', leaf(365))),
    expiringSoon: pair(ca.issue('expiring', leaf(3))),
    selfSigned: pair(ca.selfSigned('self-signed', leaf(365))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
