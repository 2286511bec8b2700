import { isIP } from 'node:net';
import type { AgentConfig } from '../../shared/config.js';

/**
 * Whether the API at `host` needs a token on every request. `auto` needs one unless the API is bound to loopback
 * only: a wildcard (0.0.0.0, ::), a LAN address or a name other than localhost reaches beyond this machine.
 */
export function authRequired(api: Pick<AgentConfig['api'], 'host' | 'auth'>): boolean {
  return api.auth === 'required' || !isLoopbackHost(api.host);
}

function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}
