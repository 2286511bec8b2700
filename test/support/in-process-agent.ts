import { Agent, type AgentDeps } from '../../electron/agent/agent.js';
import { startHttpServer, type HttpServer } from '../../electron/api/http-server.js';
import { systemClock } from '../../electron/core/clock.js';
import { AgentConfig, type AgentConfigInput } from '../../shared/config.js';
import { tempDir } from './agent-process.js';

export interface InProcessAgent {
  readonly agent: Agent;
  readonly server: HttpServer;
}

/**
 * Opens an agent in this process, on a fresh data dir and the system clock, and serves its HTTP API (no UI) on a
 * free loopback port. The agent is not started, so a test can see it before `agent.start(server.url)`; stopping
 * it and closing the server are the caller's.
 */
export async function openInProcessAgent(
  config: Omit<AgentConfigInput, 'dataDir'>,
  deps: Omit<AgentDeps, 'clock'>,
): Promise<InProcessAgent> {
  const agent = Agent.open(AgentConfig.parse({ dataDir: tempDir(), api: { port: 0 }, ...config }), {
    clock: systemClock,
    ...deps,
  });
  const server = await startHttpServer({
    agent,
    host: '127.0.0.1',
    port: 0,
    extraAllowedHosts: [],
    rendererDir: null,
    logger: deps.logger,
  });
  return { agent, server };
}
