import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretError, formatSealed, isBase64, payloadOf, type SecretBox } from './secret-box.js';

export const KEY_BYTES = 32;
const ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Which key sealed a value, so that a wrong key is told apart from an altered value. A hash of the key, not the key:
 * 8 bytes of SHA-256 say nothing usable about 32 random bytes.
 */
const keyId = (key: Buffer): Buffer =>
  createHash('sha256').update('fleetdeck secret key id\0').update(key).digest().subarray(0, ID_BYTES);

/** Parses a key given as base64 text (the key file's content, or FLEETDECK_SECRET_KEY). */
export function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!isBase64(trimmed) || key.length !== KEY_BYTES) {
    throw new SecretError(
      `${source} must hold ${KEY_BYTES} random bytes in base64 (44 characters), e.g. the output of ` +
        '`openssl rand -base64 32`',
    );
  }
  return key;
}

/** A fresh key as its base64 text. */
export const newKeyText = (): string => randomBytes(KEY_BYTES).toString('base64');

export interface KeySource {
  /** For messages: "the key file /x/secret.key", "the key in FLEETDECK_SECRET_KEY". */
  readonly name: string;
  /** The key to seal with; may create it. */
  forSeal(): Buffer;
  /** The key to open with; a missing key is a SecretError saying what to do. */
  forOpen(): Buffer;
}

/** AES-256-GCM: a random 96-bit IV per value; the tag authenticates the value and the key id. */
export function keyBox(source: KeySource): SecretBox {
  return {
    kind: 'key',
    seal(plain) {
      const key = source.forSeal();
      const id = keyId(key);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(id);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return formatSealed('key', Buffer.concat([id, iv, cipher.getAuthTag(), body]));
    },
    open(sealed) {
      const payload = payloadOf('key', sealed, source.name);
      if (payload.length < ID_BYTES + IV_BYTES + TAG_BYTES) throw new SecretError('the sealed value is truncated');
      const key = source.forOpen();
      const id = payload.subarray(0, ID_BYTES);
      if (!id.equals(keyId(key))) {
        throw new SecretError(
          `it was sealed with another key than ${source.name}: put back the key it was sealed with`,
        );
      }
      const iv = payload.subarray(ID_BYTES, ID_BYTES + IV_BYTES);
      const tag = payload.subarray(ID_BYTES + IV_BYTES, ID_BYTES + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(id);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([
          decipher.update(payload.subarray(ID_BYTES + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretError('the sealed value was altered or is corrupt (it fails authentication)');
      }
    },
  };
}
