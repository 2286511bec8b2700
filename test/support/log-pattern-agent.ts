import { join } from 'node:path';
import type { PatternRegex } from '../../electron/logs/compile-pattern.js';
import { startAgentProcess, tempDir, type AgentProcess } from './agent-process.js';
import { clientFor } from './http-client.js';
import { waitFor } from './poll.js';

/** The id a pattern has in the agent: its index in the list. */
export const patternId = (index: number) => `p${String(index).padStart(2, '0')}`;

export interface PatternAgent {
  agent: AgentProcess;
  /** The tailed file: not created yet, so that all it will hold is new to the agent. */
  logFile: string;
  /** `fleetdeck_log_pattern_matches_total` by pattern, in the order of the patterns given (0 when absent). */
  counts(): Promise<number[]>;
}

/**
 * A headless agent process (built from dist/) with `patterns` in its config, tailing one file under `logFiles`, once
 * it has looked for that file (and found it missing) at least once.
 */
export async function startPatternAgent(patterns: readonly PatternRegex[]): Promise<PatternAgent> {
  const dataDir = tempDir('fleetdeck-log-load-');
  const logFile = join(dataDir, 'busy.log');
  const agent = await startAgentProcess({
    dataDir,
    config: {
      logFiles: { busy: logFile },
      logPatterns: patterns.map((pattern, index) => ({ id: patternId(index), name: patternId(index), ...pattern })),
    },
  });
  const client = clientFor(agent.url);
  await waitFor('the agent to look for the log file', async () => {
    const sources = await client.call('logs.sources', {});
    return sources.some((source) => source.name === 'busy' && source.problem === 'missing');
  });
  const counts = async () => {
    const text = await (await fetch(`${agent.url}/metrics`)).text();
    const byId = new Map<string, number>();
    for (const found of text.matchAll(/^fleetdeck_log_pattern_matches_total\{pattern="([^"]+)"\} (\d+)$/gm)) {
      byId.set(found[1]!, Number(found[2]));
    }
    return patterns.map((_, index) => byId.get(patternId(index)) ?? 0);
  };
  return { agent, logFile, counts };
}
