/**
 * The one origin the UI is served from. A standard, secure custom scheme gives the renderer a real origin
 * (unlike file://), so CSP 'self', the IPC sender check and navigation rules can all name it exactly.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fleetdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Parses a URL without throwing; null for anything unparsable. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for URLs on our app:// origin: exact scheme and host, no port, no credentials.
 * Compares parts rather than `URL.origin`, which Node reports as "null" for non-special schemes.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
