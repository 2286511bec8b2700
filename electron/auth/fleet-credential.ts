import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { errorMessage } from '../core/errors.js';

/** A fleet credential is a short secret; anything larger is not one. */
const maxBytes = 4096;
/** Shorter than this is guessable. */
const minLength = 16;

/** The fleet credential file is missing, unreadable or not a credential; the message names the file and why. */
export class FleetCredentialError extends Error {
  override name = 'FleetCredentialError';
}

/**
 * Reads the fleet credential (`fleetLink.tokenFile`, the same on every member): a regular file of at most 4 KiB,
 * trimmed, at least 16 characters. Read once at start; members send it, the authenticator accepts it as `fleet`.
 */
export function readFleetCredential(path: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO must not block start-up; it is refused below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FleetCredentialError(`cannot read the fleet credential ${path}: ${errorMessage(error)}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new FleetCredentialError(`fleet credential ${path} is not a regular file`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= maxBytes; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > maxBytes) throw new FleetCredentialError(`fleet credential ${path} is larger than ${maxBytes} bytes`);
    const credential = buffer.subarray(0, length).toString('utf8').trim();
    if (credential.length < minLength) {
      throw new FleetCredentialError(
        `fleet credential ${path} holds ${credential.length} characters; it needs at least ${minLength} ` +
          '(e.g. `openssl rand -base64 32`)',
      );
    }
    return credential;
  } finally {
    closeSync(fd);
  }
}

/** The credential `fleetLink.tokenFile` names, read at start: one that cannot be used stops start-up naming the setting. */
export function readFleetCredentialSetting(file: string): string {
  try {
    return readFleetCredential(file);
  } catch (error) {
    if (error instanceof FleetCredentialError) throw new ConfigError(`fleetLink.tokenFile: ${error.message}`);
    throw error;
  }
}
