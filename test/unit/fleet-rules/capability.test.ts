import { describe, expect, it } from 'vitest';
import { Agent } from '../../../electron/agent/agent.js';
import { systemClock } from '../../../electron/core/clock.js';
import { AgentConfig } from '../../../shared/config.js';
import { FLEET_NODE } from '../../../shared/fleet-rules.js';
import { tempDir } from '../../support/agent-process.js';
import { memoryLogger } from '../../support/test-logger.js';

describe('the fleet-rules capability', () => {
  it('refuses to run on a node that takes the id fleet alerts are published under', () => {
    const config = AgentConfig.parse({ dataDir: tempDir(), name: 'imposter', nodeId: FLEET_NODE });
    expect(() => Agent.open(config, { clock: systemClock, logger: memoryLogger().logger })).toThrow(
      'node id "fleet" is reserved for alerts of the whole fleet',
    );
  });
});
