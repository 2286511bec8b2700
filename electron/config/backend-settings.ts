import type { BackendUpdate, RedactedBackend } from '../../shared/cluster-settings.js';
import type { BackendConfig } from '../../shared/config.js';
import { CodedError } from '../core/coded-error.js';

/** The backend as a UI may see it: the etcd password is only said to be there. */
export function redactBackend(backend: BackendConfig): RedactedBackend {
  if (backend.kind === 'local') return backend;
  const { auth, ...rest } = backend;
  return auth ? { ...rest, auth: { username: auth.username, passwordSaved: true } } : rest;
}

/**
 * The backend a UI sent, with the password this node already uses where the UI left it out (it never has it).
 * Kept only for the same user and no new endpoint: otherwise anyone with the UI could send the saved password
 * to a server of their choosing.
 */
export function withKeptPassword(update: BackendUpdate, current: BackendConfig): BackendConfig {
  if (update.kind === 'local') return update;
  const { auth, ...rest } = update;
  if (!auth) return rest;
  if (auth.password !== undefined) return { ...rest, auth: { username: auth.username, password: auth.password } };
  const keep =
    current.kind === 'etcd' &&
    current.auth !== undefined &&
    current.auth.username === auth.username &&
    update.endpoints.every((endpoint) => current.endpoints.includes(endpoint));
  if (!keep) {
    const message =
      current.kind === 'etcd' && current.auth
        ? 'enter the password: the saved one is kept only for the same user name and endpoints'
        : 'enter the password: none is saved';
    throw new CodedError('invalid_request', `invalid backend: ${message}`, [
      { path: 'backend.auth.password', message },
    ]);
  }
  return { ...rest, auth: { username: auth.username, password: current.auth!.password } };
}
