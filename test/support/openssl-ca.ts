import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An X.509 extension section of the openssl config: `{ keyUsage: 'critical, digitalSignature', … }`. */
export type ExtensionSection = Record<string, string>;

/** Paths of a PEM private key and its certificate. */
export interface CertificateFiles {
  keyFile: string;
  certFile: string;
}

/** What a certificate says; `extensions` names a section of the CA's config (`ca` is always there). */
export interface CertificateSpec<Section extends string> {
  /** Like `/CN=127.0.0.1`. */
  subject: string;
  days: number;
  extensions: Section | 'ca';
}

export interface TestCa<Section extends string> extends CertificateFiles {
  /** Makes `<name>.key` and `<name>.pem` in the CA's directory, signed by the CA. */
  issue(name: string, spec: CertificateSpec<Section>): CertificateFiles;
  /** Makes `<name>.key` and `<name>.pem` in the CA's directory, signed by its own key: trusted by nobody. */
  selfSigned(name: string, spec: CertificateSpec<Section>): CertificateFiles;
}

const caSection: ExtensionSection = {
  basicConstraints: 'critical, CA:TRUE',
  keyUsage: 'critical, keyCertSign, cRLSign',
};

// A config of our own so the result does not depend on the system's openssl.cnf.
function opensslConfig(sections: Record<string, ExtensionSection>): string {
  const lines = ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = placeholder'];
  for (const [name, section] of Object.entries(sections)) {
    lines.push(`[${name}]`, ...Object.entries(section).map(([key, value]) => `${key} = ${value}`));
  }
  return `${lines.join('\n')}\n`;
}

// EC keys: much faster to generate than RSA, which keeps test setup quick.
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Creates `dir` (if needed) with an openssl config holding `extensions` and a CA (`ca.key`, `ca.pem`) that
 * issues certificates into the same directory, all with the `openssl` CLI.
 */
export function createTestCa<Section extends string>(
  dir: string,
  ca: { subject: string; days: number; extensions: Record<Section, ExtensionSection> },
): TestCa<Section> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, opensslConfig({ ca: caSection, ...ca.extensions }));
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
  const files = (name: string): CertificateFiles => ({
    keyFile: join(dir, `${name}.key`),
    certFile: join(dir, `${name}.pem`),
  });
  const selfSigned = (name: string, spec: CertificateSpec<Section>) => {
    const out = files(name);
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-config',
      config,
      '-extensions',
      spec.extensions,
      '-days',
      String(spec.days),
      '-subj',
      spec.subject,
      '-keyout',
      out.keyFile,
      '-out',
      out.certFile,
    );
    return out;
  };
  const authority = selfSigned('ca', { subject: ca.subject, days: ca.days, extensions: 'ca' });
  const issue = (name: string, spec: CertificateSpec<Section>) => {
    const out = files(name);
    const request = join(dir, `${name}.csr`);
    openssl(
      'req',
      '-new',
      ...newKey,
      '-config',
      config,
      '-subj',
      spec.subject,
      '-keyout',
      out.keyFile,
      '-out',
      request,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      request,
      '-CA',
      authority.certFile,
      '-CAkey',
      authority.keyFile,
      // Random rather than a timestamp: two certificates issued in the same millisecond must not share a serial.
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      String(spec.days),
      '-extfile',
      config,
      '-extensions',
      spec.extensions,
      '-out',
      out.certFile,
    );
    return out;
  };
  return { ...authority, issue, selfSigned };
}
