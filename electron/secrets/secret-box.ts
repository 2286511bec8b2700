/**
 * A secret the console stores (the etcd password today) is sealed before it is written and opened when it is read.
 * Sealed values are tagged `enc:v1:<kind>:<base64>`, so a value saved in plain text by an older version is told
 * apart (and sealed in place), and a value sealed by another kind of box is refused by name.
 */

/** `key`: AES-256-GCM with a key file or FLEETDECK_SECRET_KEY; `safe-storage`: Electron's OS keychain encryption. */
export type SecretKind = 'key' | 'safe-storage';

export interface SecretBox {
  /** What new values are sealed with. */
  readonly kind: SecretKind;
  seal(plain: string): string;
  /** The plain value of a sealed one; a SecretError says why it cannot be opened. */
  open(sealed: string): string;
}

/** The box for the secrets of a data dir (headless or desktop); chosen by whoever runs the agent. */
export type SecretsFor = (dataDir: string) => SecretBox;

/** A sealed value that cannot be opened, or a key that cannot be used; the message says what to do. */
export class SecretError extends Error {
  override name = 'SecretError';
}

const PREFIX = 'enc:v1:';
const kindNames: Record<SecretKind, string> = {
  key: 'a secret key (key file or FLEETDECK_SECRET_KEY)',
  'safe-storage': "the desktop app's OS keychain (Electron safeStorage)",
};

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

/** Standard base64 with its padding, nothing else (Buffer.from would skip what is not). */
export const isBase64 = (text: string): boolean => /^[A-Za-z0-9+/]+={0,2}$/.test(text);

export const formatSealed = (kind: SecretKind, payload: Buffer): string =>
  `${PREFIX}${kind}:${payload.toString('base64')}`;

const isKind = (value: string): value is SecretKind => Object.hasOwn(kindNames, value);

/** The kind and payload of a sealed value; a value that is malformed says so. */
export function parseSealed(sealed: string): { kind: SecretKind; payload: Buffer } {
  if (!isSealed(sealed)) throw new SecretError('the value is not sealed (expected enc:v1:<kind>:<data>)');
  const rest = sealed.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  const kind = colon < 0 ? rest : rest.slice(0, colon);
  if (!isKind(kind)) throw new SecretError(`the value was sealed by an unknown kind "${kind}"`);
  const data = rest.slice(colon + 1);
  if (colon < 0 || !isBase64(data)) throw new SecretError('the sealed value is malformed');
  return { kind, payload: Buffer.from(data, 'base64') };
}

/**
 * Seals with `sealer`, opens a value of any kind one of `openers` holds. A value sealed by a kind none of them
 * holds is refused naming what sealed it.
 */
export function combinedBox(sealer: SecretBox, openers: readonly SecretBox[]): SecretBox {
  return {
    kind: sealer.kind,
    seal: (plain) => sealer.seal(plain),
    open: (sealed) => {
      const { kind } = parseSealed(sealed);
      const opener = openers.find((box) => box.kind === kind);
      if (!opener) {
        throw new SecretError(`it was sealed with ${kindNames[kind]}, which this process does not have`);
      }
      return opener.open(sealed);
    },
  };
}

/** Refuses a value sealed by another kind than `kind`, naming both. */
export function payloadOf(kind: SecretKind, sealed: string, keySource: string): Buffer {
  const parsed = parseSealed(sealed);
  if (parsed.kind !== kind) {
    throw new SecretError(`it was sealed with ${kindNames[parsed.kind]}, not with ${keySource}`);
  }
  return parsed.payload;
}
