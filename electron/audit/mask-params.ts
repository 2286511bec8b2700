import { auditParamsMaxChars } from '../../shared/audit.js';

/** Field names whose values are never stored: matched anywhere in the name, in any case. */
const secretKey = /password|secret|token|key|authorization|credential/i;
export const maskedValue = '***';
/** Nesting beyond this is stored as a placeholder: params are JSON, and a hostile body can nest deeply. */
const maxDepth = 32;

/** The user info of a URL in a string (`https://user:password@host`); bounded, so a long string costs linear time. */
const urlUserInfo = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^/\s@]{1,512}@/gi;

/**
 * The params with every secret-like field's value replaced by "***", at any depth (arrays included), and the user
 * info of any URL in a string too.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(urlUserInfo, `$1${maskedValue}@`);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, secretKey.test(key) ? maskedValue : maskSecrets(item, depth + 1)]),
  );
}

export interface StoredParams {
  /** JSON text of the masked params, or its first `auditParamsMaxChars` characters. */
  json: string;
  truncated: boolean;
}

/** The params as the audit log keeps them: masked, as JSON, cut to a bounded size. */
export function storedParams(params: unknown): StoredParams {
  const json = JSON.stringify(maskSecrets(params)) ?? 'null';
  return json.length > auditParamsMaxChars
    ? { json: json.slice(0, auditParamsMaxChars), truncated: true }
    : { json, truncated: false };
}
