import type { LogPattern } from '../../shared/log-patterns.js';
import type { logsMethods } from '../../shared/rpc/logs.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { fleetConfigHandlers } from '../fleet-config/handlers.js';
import { compilePattern } from './compile-pattern.js';
import type { LogScanner } from './log-scanner.js';
import { withSpans } from './match-spans.js';
import type { LineMatching } from './match-worker.js';
import { tryPattern } from './try-pattern.js';

export function logsHandlers(
  scanner: LogScanner,
  fleetPatterns: FleetConfigSync<LogPattern>,
  trials: LineMatching,
): Handlers<keyof typeof logsMethods> {
  // Checked here first so the console hears at once about a regex no agent would take.
  const fleet = fleetConfigHandlers(fleetPatterns, (pattern) => void compilePattern(pattern));
  return {
    'fleet.logPatterns.list': fleet.list,
    'fleet.logPatterns.put': fleet.put,
    'fleet.logPatterns.remove': fleet.remove,
    'logs.patterns.list': () => scanner.patterns(),
    'logs.patterns.test': (request) => tryPattern(trials, request),
    'logs.sources': () => scanner.sourceStates(),
    'logs.matches': async (query) => ({
      matches: await withSpans(scanner.matchList(query), scanner.patterns(), trials),
    }),
  };
}
