import type { LogPattern, LogPatternState } from '../../shared/log-patterns.js';
import type { RpcRequest } from '../../shared/rpc.js';
import type { logsMethods } from '../../shared/rpc/logs.js';
import type { Handlers } from '../api/handler-table.js';
import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { fleetConfigHandlers } from '../fleet-config/handlers.js';
import type { LogMatchQuery } from '../store/log-matches-repository.js';
import { compilePattern } from './compile-pattern.js';
import type { LogScanner } from './log-scanner.js';
import { withSpans } from './match-spans.js';
import type { LineMatching } from './match-worker.js';
import type { PatternSuggestions } from './pattern-suggestions.js';
import { tryPattern } from './try-pattern.js';

type MatchesRequest = RpcRequest<'logs.matches'>;

/**
 * The stored matches a request asks for. A severity is the one its pattern has now (matches do not store it), so
 * it names the patterns in force with that severity, narrowed to `patternId` when both are given.
 */
export function matchQuery(request: MatchesRequest, inForce: readonly LogPatternState[]): LogMatchQuery {
  const { patternId, severity, ...rest } = request;
  const ids =
    severity === undefined
      ? patternId === undefined
        ? undefined
        : [patternId]
      : inForce
          .filter(
            ({ pattern }) => pattern.severity === severity && (patternId === undefined || pattern.id === patternId),
          )
          .map(({ pattern }) => pattern.id);
  return { ...rest, patternIds: ids };
}

export function logsHandlers(
  scanner: LogScanner,
  fleetPatterns: FleetConfigSync<LogPattern>,
  trials: LineMatching,
  suggestions: PatternSuggestions,
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
    'logs.matches': async (request) => {
      const inForce = scanner.patterns();
      return { matches: await withSpans(scanner.matchList(matchQuery(request, inForce)), inForce, trials) };
    },
    'logs.suggestions': (request) => suggestions.suggest(request),
  };
}
