import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { MAX_PEM_FILE_BYTES, readBoundedFile, type FileScope } from '../../core/read-bounded-file.js';

/**
 * Reads a check's `caFile` through the bounded reader (regular file, capped, inside `files.readDirs` unless this
 * node's config file named it). Read on every run so a rotated CA is picked up.
 */
export async function readCaFile(caFile: string, scope: FileScope, signal: AbortSignal): Promise<string> {
  const bytes = await readBoundedFile(caFile, scope, { label: 'caFile', maxBytes: MAX_PEM_FILE_BYTES }, signal);
  return bytes.toString('utf8');
}

/** Node ignores a CA that is not PEM, which would surface as a TLS error on every run: name the mistake instead. */
export function assertPemCertificate(pem: string, caFile: string): void {
  try {
    new X509Certificate(pem);
  } catch {
    throw new Error(`caFile ${caFile} is not a PEM certificate`);
  }
}

/** A CA list replaces Node's trust store: the public roots come along so a `caFile` adds to them. */
export const publicRootsAnd = (pem: string): string[] => [...rootCertificates, pem];
