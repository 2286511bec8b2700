/**
 * Serves the built renderer (dist/renderer) on app://fleetdeck/. Only files under the root are ever
 * read: every path segment is decoded and checked, so encoded `..`, separators and drive letters
 * cannot escape it. Every response carries the CSP.
 */
import nodePath from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_SCHEME, isAppUrl, parseUrl } from './app-origin.js';
import { contentSecurityPolicy } from '../../shared/csp.js';

/** Registered before `ready`: standard (real origin, relative URLs), secure (a secure context), fetch/CORS for module scripts. */
export const appSchemePrivileges: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

export type ResolvedAppPath = { ok: true; file: string } | { ok: false; status: 400 | 403; reason: string };

/** Maps an app:// request URL onto a file under `rootDir`, or says why it may not. */
export function resolveAppPath(
  rootDir: string,
  requestUrl: string,
  path: nodePath.PlatformPath = nodePath,
): ResolvedAppPath {
  const url = parseUrl(requestUrl);
  if (!url || !isAppUrl(requestUrl)) return { ok: false, status: 403, reason: 'not an app:// URL of this app' };

  const segments: string[] = [];
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    // After decoding, a segment must be a plain file name: no dot segments, separators, NUL or drive/stream colons.
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) {
      return { ok: false, status: 403, reason: `forbidden path segment ${JSON.stringify(segment)}` };
    }
    segments.push(segment);
  }
  if (segments.length === 0 || url.pathname.endsWith('/')) segments.push('index.html');

  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { ok: false, status: 403, reason: 'path escapes the renderer directory' };
  }
  return { ok: true, file };
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const contentTypeFor = (file: string): string =>
  contentTypes[nodePath.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Headers on every app:// response, errors included. */
export const securityHeaders = (): Record<string, string> => ({
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

export interface AppRequestDeps {
  rootDir: string;
  readFile: (file: string) => Promise<Uint8Array>;
}

const errorResponse = (status: number, message: string, extra: Record<string, string> = {}): Response =>
  new Response(message, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });

const notFoundCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** The protocol.handle handler for app://, with file access injected so it runs under plain Node in tests. */
export async function handleAppRequest(request: Request, deps: AppRequestDeps): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorResponse(405, 'method not allowed', { Allow: 'GET, HEAD' });
  }
  const resolved = resolveAppPath(deps.rootDir, request.url);
  if (!resolved.ok) return errorResponse(resolved.status, resolved.reason);

  let body: Uint8Array;
  try {
    body = await deps.readFile(resolved.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return code && notFoundCodes.has(code) ? errorResponse(404, 'not found') : errorResponse(500, 'cannot read file');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': contentTypeFor(resolved.file),
      'Content-Length': String(body.byteLength),
    },
  });
}
