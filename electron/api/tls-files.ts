import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { AgentConfig } from '../../shared/config.js';
import { ConfigError } from '../config/config-error.js';
import { errorMessage } from '../core/errors.js';
import { MAX_PEM_FILE_BYTES, readBoundedFileSync } from '../core/read-bounded-file.js';

export type ApiTlsConfig = NonNullable<AgentConfig['api']['tls']>;

/** PEM text for Node's TLS options: the API's certificate and key, and the CA its clients must be signed by. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** Present for mutual TLS. */
  ca?: string;
}

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * Reads the API's certificate, key and client CA once at start. A file that cannot be read, holds no PEM, or a key
 * that does not belong to the certificate stops start-up naming the setting and the file.
 */
export function readApiTls(tls: ApiTlsConfig): TlsMaterial {
  const cert = readCertificates('api.tls.certFile', tls.certFile);
  const keyText = readPem('api.tls.keyFile', tls.keyFile);
  const key = parseKey('api.tls.keyFile', tls.keyFile, keyText);
  if (!cert.first.checkPrivateKey(key)) {
    throw new ConfigError(
      `api.tls.keyFile: the key in ${tls.keyFile} does not match the certificate in ${tls.certFile} ` +
        `(api.tls.certFile, subject ${cert.first.subject.replace(/\n/g, ', ')})`,
    );
  }
  return {
    cert: cert.text,
    key: keyText,
    ...(tls.clientCaFile ? { ca: readCertificates('api.tls.clientCaFile', tls.clientCaFile).text } : {}),
  };
}

/** A PEM file of certificates (a chain or a CA bundle); refused unless each block parses as X.509. */
export function readCertificates(setting: string, path: string): { text: string; first: X509Certificate } {
  const text = readPem(setting, path);
  const certificates = [...text.matchAll(pemBlock)].filter((block) => block[1] === 'CERTIFICATE');
  if (certificates.length === 0) {
    throw new ConfigError(`${setting}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  try {
    const parsed = certificates.map((block) => new X509Certificate(block[0]));
    return { text, first: parsed[0]! };
  } catch (error) {
    throw new ConfigError(`${setting}: ${path} holds a certificate that cannot be parsed: ${errorMessage(error)}`);
  }
}

function readPem(setting: string, path: string): string {
  let text: string;
  try {
    text = readBoundedFileSync(path, { label: 'file', maxBytes: MAX_PEM_FILE_BYTES }).toString('utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: ${errorMessage(error)}`);
  }
  if (!text.match(pemBlock))
    throw new ConfigError(`${setting}: ${path} is not a PEM file (no -----BEGIN …----- block)`);
  return text;
}

function parseKey(setting: string, path: string, text: string): KeyObject {
  try {
    return createPrivateKey(text);
  } catch (error) {
    throw new ConfigError(`${setting}: ${path} holds no usable private key: ${errorMessage(error)}`);
  }
}
