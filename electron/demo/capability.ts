import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { ServicesCapability } from '../services/capability.js';
import { DemoData } from './demo-data.js';
import { removeDemoFleetValues } from './demo-fleet-values.js';
import { demoNodeProfile, inDemoFleet } from './demo-nodes.js';

/**
 * The demo's sample services and the servers they check, while the demo runs, and its fleet rules and log patterns;
 * `services.removeDemo` either way: the demo's rules and patterns go from the fleet first (their alerts end with
 * them), then this node's demo services.
 */
export function createDemoCapability(
  context: CapabilityContext,
  { catalog, report }: Pick<ServicesCapability, 'catalog' | 'report'>,
) {
  const { config, clock, random, store, backend } = context;
  // Demo services live only while the demo runs; a plain agent on the same data dir drops them.
  if (!config.demo) catalog.removeDemo();
  const demo = config.demo
    ? new DemoData({
        catalog,
        report,
        settings: store.settings,
        backend,
        profile: demoNodeProfile(config.nodeId),
        seedFleet: inDemoFleet(config.backend.kind, config.cluster),
        clock,
        random,
        logger: context.logger('demo'),
      })
    : null;
  return {
    name: 'demo',
    handlers: {
      'services.removeDemo': async () => {
        await removeDemoFleetValues(backend);
        return { removed: demo ? await demo.remove() : catalog.removeDemo().length };
      },
    },
    start: () => demo?.start(),
    stop: () => demo?.stop(),
  } satisfies Capability<'services.removeDemo'>;
}
