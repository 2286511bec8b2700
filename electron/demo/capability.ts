import type { Capability, CapabilityContext } from '../agent/capability.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import { DemoData } from './demo-data.js';

/** The demo's sample services and the servers they check, while the demo runs; `services.removeDemo` either way. */
export function createDemoCapability(context: CapabilityContext, catalog: ServiceCatalog) {
  const { config, clock, random, store } = context;
  // Demo services live only while the demo runs; a plain agent on the same data dir drops them.
  if (!config.demo) catalog.removeDemo();
  const demo = config.demo
    ? new DemoData({ catalog, settings: store.settings, clock, random, logger: context.logger('demo') })
    : null;
  return {
    name: 'demo',
    handlers: {
      'services.removeDemo': async () => ({ removed: demo ? await demo.remove() : catalog.removeDemo().length }),
    },
    start: () => demo?.start(),
    stop: () => demo?.stop(),
  } satisfies Capability<'services.removeDemo'>;
}
