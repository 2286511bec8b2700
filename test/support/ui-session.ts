import type { Page, ViewportSize } from 'playwright-core';
import type { FleetdeckClient } from '../../shared/client.js';
import { startAgentProcess, type AgentProcess, type StartAgentOptions } from './agent-process.js';
import { openTestPage } from './browser.js';
import { clientFor } from './http-client.js';

/** One agent process and one browser page to drive its UI. */
export interface UiSession {
  readonly agent: AgentProcess;
  /** The agent's own HTTP API: what it says there is what the UI must show. */
  readonly client: FleetdeckClient;
  /** Not navigated yet: open `agent.url`. */
  readonly page: Page;
  /** Console errors, uncaught exceptions and CSP violations the page has reported so far. */
  readonly problems: string[];
  /** Closes the browser, then stops the agent. */
  stop(): Promise<void>;
}

export async function startUiSession(agentOptions: StartAgentOptions, viewport?: ViewportSize): Promise<UiSession> {
  const agent = await startAgentProcess(agentOptions);
  try {
    const { page, problems, close } = await openTestPage(viewport);
    return {
      agent,
      client: clientFor(agent.url),
      page,
      problems,
      async stop() {
        try {
          await close();
        } finally {
          await agent.stop();
        }
      },
    };
  } catch (error) {
    await agent.stop();
    throw error;
  }
}
