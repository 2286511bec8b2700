import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

// A config of our own so the result does not depend on the system's openssl.cnf.
const opensslConfig = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
`;

/** Generates a CA and three server certificates with the `openssl` CLI (EC keys: fast). */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-tls-'));
  const file = (name: string) => join(dir, name);
  const config = file('openssl.cnf');
  writeFileSync(config, opensslConfig);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('the TLS tests need the openssl CLI: apt-get install openssl', { cause: error });
      }
      throw error;
    }
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const selfSignedCert = (name: string, subject: string, extensions: string) =>
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-config',
      config,
      '-extensions',
      extensions,
      '-days',
      '365',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    );
  const signedByCa = (name: string, days: number) => {
    openssl(
      'req',
      '-new',
      ...newKey,
      '-config',
      config,
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(Date.now()),
      '-days',
      String(days),
      '-extfile',
      config,
      '-extensions',
      'leaf',
      '-out',
      `${name}.pem`,
    );
  };
  const pair = (name: string): KeyPair => ({
    key: readFileSync(file(`${name}.key`), 'utf8'),
    cert: readFileSync(file(`${name}.pem`), 'utf8'),
    certFile: file(`${name}.pem`),
  });

  selfSignedCert('ca', '/CN=Fleetdeck Test CA', 'ca');
  signedByCa('server', 365);
  signedByCa('expiring', 3);
  selfSignedCert('self-signed', '/CN=127.0.0.1', 'leaf');
  return {
    dir,
    caFile: file('ca.pem'),
    server: pair('server'),
    expiringSoon: pair('expiring'),
    selfSigned: pair('self-signed'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
