import { join } from 'node:path';
import type { AgentConfig } from '../../shared/config.js';
import { demoAlertRules, demoLogPatterns } from './demo-rules.js';
import { demoCommand, demoCommandName } from './demo-services.js';

/**
 * The config as the capabilities see it while the demo runs: plus the demo's log-writer command, log patterns and
 * alert rules, which then count as the node's own. Without the demo, the config as it is.
 */
export function withDemo(config: AgentConfig, resourcesDir: string | undefined): AgentConfig {
  if (!config.demo) return config;
  if (!resourcesDir) throw new Error('the demo needs resourcesDir (where resources/demo lives)');
  return {
    ...config,
    commands: { ...config.commands, [demoCommandName]: demoCommand(join(resourcesDir, 'demo', 'log-writer.mjs')) },
    logPatterns: [...config.logPatterns, ...demoLogPatterns()],
    alertRules: [...config.alertRules, ...demoAlertRules()],
  };
}
