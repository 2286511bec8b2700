/**
 * The UI's Content-Security-Policy, sent by the agent's HTTP server and by Electron's app:// protocol alike.
 * Everything comes from our own origin; the renderer reaches the agent through its own origin (HTTP) or IPC.
 * No 'unsafe-inline' / 'unsafe-eval': React sets styles through CSSOM, which CSP does not restrict.
 */
export const cspDirectives: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'none'"],
  'frame-src': ["'none'"],
  'child-src': ["'none'"],
  'object-src': ["'none'"],
  'media-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const contentSecurityPolicy = Object.entries(cspDirectives)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');
