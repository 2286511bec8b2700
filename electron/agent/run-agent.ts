import { rmSync } from 'node:fs';
import type { BackendUpdate, ConfigureResult } from '../../shared/cluster-settings.js';
import type { AgentConfig, BackendConfig } from '../../shared/config.js';
import type { AgentEvent } from '../../shared/events.js';
import type { CallerContext, RpcOutcome } from '../../shared/rpc.js';
import { startHttpServer } from '../api/http-server.js';
import { openApiAuth, type ApiAuth } from '../auth/api-auth.js';
import type { FailureLimits } from '../auth/failure-limiter.js';
import { checkBackendConfig } from '../cluster/check-backend-config.js';
import { redactBackend, withKeptPassword } from '../config/backend-settings.js';
import type { BackendOrigin } from '../config/load-config.js';
import { readSavedBackend, savedBackendFile, writeSavedBackend } from '../config/saved-backend.js';
import { systemClock, type Clock } from '../core/clock.js';
import { CodedError } from '../core/coded-error.js';
import { errorMessage } from '../core/errors.js';
import { componentLogger, type Logger } from '../core/logger.js';
import type { DesktopNotifierPort } from '../desktop-notifications/desktop-notifier-port.js';
import { headlessSecrets } from '../secrets/headless-secret-box.js';
import type { SecretBox, SecretsFor } from '../secrets/secret-box.js';
import { Agent } from './agent.js';
import { AgentHolder } from './agent-holder.js';
import type { BackendControl } from '../cluster/backend-control.js';

export interface RunningAgent {
  /** Base URL of the agent's HTTP API; it stays when the agent is replaced for a new backend. */
  readonly url: string;
  /** The current agent (a new one after `cluster.configure`). */
  readonly agent: Agent;
  call(method: string, params: unknown, caller: CallerContext): Promise<RpcOutcome>;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  /** Stops the API (closing event streams), then the agent: drains work, leaves the fleet, closes the DB. */
  stop(): Promise<void>;
}

export interface RunAgentOptions {
  logger: Logger;
  nativeBinding?: string;
  /** Built renderer served at `/`; null for API only. */
  rendererDir?: string | null;
  /** The repo's or the app's resources/ folder (demo assets). */
  resourcesDir?: string;
  clock?: Clock;
  /** Where the backend came from (loadAgentConfig); by default nothing pins it and Settings saves it in the data dir. */
  backendOrigin?: BackendOrigin;
  /** Seals the etcd password in the saved backend; headless by default (FLEETDECK_SECRET_KEY or the key file). */
  secrets?: SecretsFor;
  /** Where the first API token of a new data dir is shown once (not the log); stderr by default. */
  printSecret?: (text: string) => void;
  /** When failed authentications get an address refused (tests that fail on purpose many times). */
  authFailureLimits?: FailureLimits;
  /** Seconds between SSE keep-alives, which also end a stream whose token was revoked; 15 by default. */
  sseHeartbeatSeconds?: number;
  /** The desktop app's OS notifications; a headless agent has none. */
  desktopNotifier?: DesktopNotifierPort;
}

/**
 * Agent + HTTP API, as both the headless CLI and the Electron shell run them. `cluster.configure` saves a new
 * backend and replaces the agent in place (same process, same API URL, same event subscribers); configure
 * calls and stop() run one at a time.
 */
export async function runAgent(initialConfig: AgentConfig, options: RunAgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const log = componentLogger(logger, 'backend-settings');
  let config = initialConfig;
  let origin: BackendOrigin = options.backendOrigin ?? {
    pinnedBy: null,
    savedFile: savedBackendFile(config.dataDir),
    saved: false,
  };
  const secrets = (options.secrets ?? headlessSecrets(process.env))(config.dataDir);
  let stopped = false;
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const control: BackendControl = {
    settings: () => ({
      backend: redactBackend(config.backend),
      pinnedBy: origin.pinnedBy,
      savedFile: origin.savedFile,
      saved: origin.saved,
    }),
    configure: (update) => serially(() => reconfigure(update)),
  };
  const open = (next: AgentConfig) =>
    Agent.open(next, {
      clock: options.clock ?? systemClock,
      logger,
      nativeBinding: options.nativeBinding,
      resourcesDir: options.resourcesDir,
      backendControl: control,
      desktopNotifier: options.desktopNotifier,
    });

  const holder = new AgentHolder(open(config), componentLogger(logger, 'events'));
  let server;
  let apiAuth: ApiAuth | undefined;
  try {
    apiAuth = openApiAuth(config, {
      clock: options.clock ?? systemClock,
      logger: componentLogger(logger, 'auth'),
      nativeBinding: options.nativeBinding,
      print: options.printSecret ?? ((text) => process.stderr.write(text)),
      failureLimits: options.authFailureLimits,
    });
    server = await startHttpServer({
      agent: holder,
      host: config.api.host,
      port: config.api.port,
      extraAllowedHosts: config.api.allowedHosts,
      tls: config.api.tls,
      rendererDir: options.rendererDir ?? null,
      logger: componentLogger(logger, 'http'),
      auth: apiAuth.http,
      sseHeartbeatSeconds: options.sseHeartbeatSeconds,
    });
    await holder.current.start(server.url);
  } catch (error) {
    await server?.close();
    await holder.current.stop();
    apiAuth?.close();
    throw error;
  }
  const http = server;
  const authStore = apiAuth;
  const restart = (next: AgentConfig) =>
    holder.swap(
      () => open(next),
      (agent) => agent.start(http.url),
    );

  async function reconfigure(update: BackendUpdate): Promise<ConfigureResult> {
    if (stopped) throw new CodedError('unavailable', 'the agent is stopping');
    if (origin.pinnedBy) {
      throw new CodedError(
        'conflict',
        `the coordination backend is set by ${origin.pinnedBy} on this node, which overrides Settings; ` +
          'remove it there (and restart) to choose the backend here',
      );
    }
    const backend = withKeptPassword(update, config.backend);
    const issues = checkBackendConfig(backend);
    if (issues.length > 0) {
      throw new CodedError('invalid_request', `invalid backend: ${issues.map((i) => i.message).join('; ')}`, issues);
    }
    const previous = savedBefore(origin.savedFile, secrets);
    try {
      writeSavedBackend(origin.savedFile, backend, secrets);
    } catch (error) {
      throw new CodedError('unavailable', `could not save the backend to ${origin.savedFile}: ${errorMessage(error)}`);
    }
    log.info({ backend: backend.kind, file: origin.savedFile }, 'backend saved from Settings; restarting the agent');
    const next = { ...config, backend };
    try {
      await restart(next);
    } catch (error) {
      log.error({ err: error }, 'the agent did not start on the new backend; going back to the previous one');
      try {
        restoreSaved(origin.savedFile, previous, secrets);
      } catch (restoreError) {
        log.error({ err: restoreError, file: origin.savedFile }, 'could not put back the previously saved backend');
      }
      try {
        await restart(config);
      } catch (again) {
        log.fatal({ err: again }, 'the agent did not start on the previous backend either');
      }
      throw new CodedError('unavailable', `the agent could not start on the new backend: ${errorMessage(error)}`);
    }
    config = next;
    origin = { ...origin, saved: true };
    return { applied: true, backend: backend.kind, savedFile: origin.savedFile };
  }

  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    get agent() {
      return holder.current;
    },
    call: (method, params, caller) => holder.dispatcher.call(method, params, caller),
    subscribe: (listener) => holder.events.subscribe(listener),
    stop: () =>
      (stopping ??= serially(async () => {
        stopped = true;
        await http.close();
        await holder.current.stop();
        authStore.close();
      })),
  };
}

/** What the saved file holds before a switch; a file that is no longer valid counts as none. */
function savedBefore(file: string, secrets: SecretBox): BackendConfig | null {
  try {
    return readSavedBackend(file, secrets);
  } catch {
    return null;
  }
}

/** Puts back what the saved file held before a switch that failed (or removes it if there was none). */
function restoreSaved(file: string, previous: BackendConfig | null, secrets: SecretBox): void {
  if (previous) writeSavedBackend(file, previous, secrets);
  else rmSync(file, { force: true });
}
