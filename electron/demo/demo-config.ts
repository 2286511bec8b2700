import { join } from 'node:path';
import type { AgentConfig } from '../../shared/config.js';
import { demoNodeLabels } from './demo-nodes.js';
import { demoCommand, demoCommandName } from './demo-services.js';

/**
 * The config as the capabilities see it while the demo runs: plus the log worker's command, and the demo node's
 * labels (zone, tier) under the ones the config gives. Without the demo, the config as it is. (The demo's
 * rules and log patterns are fleet values: see demo-fleet-values.ts.)
 */
export function withDemo(config: AgentConfig, resourcesDir: string | undefined): AgentConfig {
  if (!config.demo) return config;
  if (!resourcesDir) throw new Error('the demo needs resourcesDir (where resources/demo lives)');
  return {
    ...config,
    labels: { ...demoNodeLabels(config.nodeId), ...config.labels },
    commands: { ...config.commands, [demoCommandName]: demoCommand(join(resourcesDir, 'demo', 'log-writer.mjs')) },
  };
}
