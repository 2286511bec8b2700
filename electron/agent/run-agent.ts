import type { AgentConfig } from '../../shared/config.js';
import type { AgentEvent } from '../../shared/events.js';
import type { RpcOutcome } from '../../shared/rpc.js';
import { startHttpServer } from '../api/http-server.js';
import { systemClock, type Clock } from '../core/clock.js';
import { componentLogger, type Logger } from '../core/logger.js';
import { Agent } from './agent.js';

export interface RunningAgent {
  /** Base URL of the agent's HTTP API. */
  readonly url: string;
  readonly agent: Agent;
  call(method: string, params: unknown): Promise<RpcOutcome>;
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
}

/** Agent + HTTP API, as both the headless CLI and the Electron shell run them. */
export async function runAgent(config: AgentConfig, options: RunAgentOptions): Promise<RunningAgent> {
  const { logger } = options;
  const agent = Agent.open(config, {
    clock: options.clock ?? systemClock,
    logger,
    nativeBinding: options.nativeBinding,
    resourcesDir: options.resourcesDir,
  });
  let server;
  try {
    server = await startHttpServer({
      agent,
      host: config.api.host,
      port: config.api.port,
      extraAllowedHosts: config.api.allowedHosts,
      rendererDir: options.rendererDir ?? null,
      logger: componentLogger(logger, 'http'),
    });
    await agent.start(server.url);
  } catch (error) {
    await server?.close();
    await agent.stop();
    throw error;
  }
  const http = server;
  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    agent,
    call: (method, params) => agent.dispatcher.call(method, params),
    subscribe: (listener) => agent.events.subscribe(listener),
    stop: () =>
      (stopping ??= (async () => {
        await http.close();
        await agent.stop();
      })()),
  };
}
