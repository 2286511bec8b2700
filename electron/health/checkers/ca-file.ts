import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

/** Node ignores a CA that is not PEM, which would surface as a TLS error on every run: name the mistake instead. */
export function assertPemCertificate(pem: string): void {
  try {
    new X509Certificate(pem);
  } catch {
    throw new Error('not a PEM certificate');
  }
}

/** A CA list replaces Node's trust store: the public roots come along so a `caFile` adds to them. */
export const publicRootsAnd = (pem: string): string[] => [...rootCertificates, pem];

/** The result of a check whose `caFile` cannot be read or is not a certificate (the same words for every checker). */
export const caFileProblem = (caFile: string | undefined, reason: string): string =>
  `cannot use caFile ${caFile}: ${reason}`;
