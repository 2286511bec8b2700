import { serviceLogFile } from '../health/health-service.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import type { LogSource } from '../logs/log-scanner.js';

/**
 * The files this node scans for log patterns: those its config names under `logFiles`, and the output of each
 * supervised service (under the service id). Nothing else is ever read, whatever a fleet-wide pattern asks for.
 */
export function logSources(
  catalog: ServiceCatalog,
  files: Readonly<Record<string, string>>,
  logsDir: string,
): LogSource[] {
  const named: LogSource[] = Object.entries(files).map(([name, path]) => ({ name, kind: 'file', path }));
  const taken = new Set(named.map((source) => source.name));
  const supervised = catalog
    .list()
    .filter(({ definition }) => definition.supervise && !taken.has(definition.id))
    .map(({ definition }): LogSource => ({
      name: definition.id,
      kind: 'service',
      path: serviceLogFile(logsDir, definition.id),
    }));
  return [...named, ...supervised];
}
