import { hostname, networkInterfaces } from 'node:os';

const wildcard = new Set(['0.0.0.0', '::', '']);

const withPort = (host: string, port: number) =>
  `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;

/**
 * The Host header values this server answers to: loopback names, its bind address and, when bound to all
 * interfaces, this machine's names and addresses. Anything else is refused (DNS rebinding).
 */
export function allowedHosts(bindHost: string, port: number, extra: readonly string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  if (wildcard.has(bindHost)) {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(address.address);
    }
  } else {
    names.add(bindHost.toLowerCase());
  }
  const allowed = new Set([...names].map((name) => withPort(name, port)));
  for (const entry of extra)
    allowed.add(/:\d+$/.test(entry) ? entry.toLowerCase() : withPort(entry.toLowerCase(), port));
  return allowed;
}

/** How the server is reached: plain HTTP, or HTTPS when the API has a certificate. */
export type ApiProtocol = 'http:' | 'https:';

/** Accepts requests without an Origin (curl, other agents) and same-origin browser requests; refuses cross-site ones. */
export function originAllowed(origin: string | undefined, allowed: Set<string>, protocol: ApiProtocol): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === protocol && allowed.has(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/** The URL a client on this machine uses to reach a server bound to `host`. */
export function localUrl(host: string, port: number, protocol: ApiProtocol): string {
  return `${protocol}//${withPort(wildcard.has(host) ? '127.0.0.1' : host, port)}`;
}
