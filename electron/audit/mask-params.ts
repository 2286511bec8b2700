import { auditParamsMaxChars } from '../../shared/audit.js';

/**
 * Field names whose values are never stored: matched anywhere in the name, in any case. A Slack incoming-webhook URL
 * is itself the credential.
 */
const secretKey = /password|secret|token|key|authorization|credential|webhookurl/i;
export const maskedValue = '***';
/** Nesting beyond this is stored as a placeholder: params are JSON, and a hostile body can nest deeply. */
const maxDepth = 32;

/*
 * Inside strings (a YAML import, a command's arguments): every quantifier is bounded and no two can match the same
 * text, so a hostile 1 MB string costs linear time.
 */
/** The user info of a URL: `https://user:password@host`. */
const urlUserInfo = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^/\s@]{1,512}@/gi;
/** A secret-like name and its value: `password: x`, `--api-key=x`, `"token":"x"`, `Authorization: Bearer x`. */
const namedSecret =
  /((?:password|secret|token|key|authorization|credential)[\w-]{0,20}["']?[ \t]{0,8}[:=][ \t]{0,8})("[^"\n]{0,4096}"|'[^'\n]{0,4096}'|[^\s,;&"'}\]]{1,4096}(?:[ \t]{1,8}[^\s,;&"'}\]]{1,4096})?)/gi;

const maskString = (text: string): string =>
  text.replace(urlUserInfo, `$1${maskedValue}@`).replace(namedSecret, `$1${maskedValue}`);

/**
 * The params with every secret-like field's value replaced by "***", at any depth (arrays included); in strings,
 * the user info of URLs and the values after secret-like names too.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value);
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
