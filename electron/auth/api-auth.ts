import type { AgentConfig } from '../../shared/config.js';
import { ConfigError } from '../config/config-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { Store } from '../store/store.js';
import { authRequired } from './auth-mode.js';
import { createAuthenticator } from './authenticator.js';
import { FailureLimiter, type FailureLimits } from './failure-limiter.js';
import { readFleetCredentialSetting } from './fleet-credential.js';
import { createHttpAuth, type HttpAuth } from './http-auth.js';
import { SessionStore } from './sessions.js';
import { TokenRepository } from './token-repository.js';

export interface ApiAuth {
  readonly http: HttpAuth;
  close(): void;
}

export interface ApiAuthDeps {
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  /** Where the first token is shown, once: stderr, not the log. */
  print: (text: string) => void;
  /** When failed attempts get an address refused; 10 a minute by default. */
  failureLimits?: FailureLimits;
}

/** The name of the admin token created on a data dir's first start. */
export const initialTokenName = 'initial-admin';

/**
 * The API's authentication, opened once per process on its own connection to the node's database (so it outlives
 * an agent replaced for a new backend, and sees tokens the CLI writes). On a data dir's first start it creates an
 * admin token and prints it once; an API that needs tokens with none active refuses to start, naming the fix.
 */
export function openApiAuth(config: AgentConfig, deps: ApiAuthDeps): ApiAuth {
  const required = authRequired(config.api);
  const fleetCredential = config.fleetLink.tokenFile ? readFleetCredentialSetting(config.fleetLink.tokenFile) : null;
  const store = Store.open(config.dataDir, { now: deps.clock.now(), nativeBinding: deps.nativeBinding });
  try {
    const tokens = store.repository((db) => new TokenRepository(db));
    if (tokens.counts().total === 0) {
      const { secret } = tokens.create(initialTokenName, 'admin', deps.clock.now());
      deps.print(
        `Fleetdeck created the first API token, "${initialTokenName}" (scope admin). It is shown only this once:\n` +
          `  ${secret}\n` +
          'Send it as "Authorization: Bearer <token>"; create others in Settings → Tokens or with `fleetdeck token create`.\n',
      );
    }
    if (required && tokens.counts().active === 0) {
      const [why, orElse] =
        config.api.auth === 'required'
          ? ['api.auth is "required"', 'set api.auth to "auto"']
          : ['it listens beyond loopback', 'bind the API to 127.0.0.1'];
      throw new ConfigError(
        `the API on ${config.api.host} needs a token on every request (${why}), but ${config.dataDir} has no ` +
          `active token; create one with \`fleetdeck token create --scope admin --name <name> --data-dir ` +
          `${config.dataDir}\`, or ${orElse}`,
      );
    }
    const http = createHttpAuth({
      required,
      authenticator: createAuthenticator({ tokens, fleetCredential, clock: deps.clock }),
      sessions: new SessionStore(deps.clock),
      limiter: new FailureLimiter(deps.clock, deps.failureLimits),
      logger: deps.logger,
    });
    return { http, close: () => store.close() };
  } catch (error) {
    store.close();
    throw error;
  }
}
