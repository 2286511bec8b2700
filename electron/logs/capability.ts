import { LogPattern } from '../../shared/log-patterns.js';
import { countBySeverity } from '../../shared/log-severity-counts.js';
import type { logsMethods } from '../../shared/rpc/logs.js';
import type { Capability, CapabilityContext } from '../agent/capability.js';
import { historyRetention, PRUNE_INTERVAL_MS } from '../config/history-retention.js';
import { repeat } from '../core/clock.js';
import { serviceLogsDir } from '../health/health-service.js';
import type { ServiceCatalog } from '../health/service-catalog.js';
import { LogMatchesRepository } from '../store/log-matches-repository.js';
import { LogOffsetsRepository } from '../store/log-offsets-repository.js';
import { logsHandlers } from './handlers.js';
import { LogScanner } from './log-scanner.js';
import { logSources } from './log-sources.js';
import { MatchWorker } from './match-worker.js';
import { PatternSuggestions } from './pattern-suggestions.js';
import { RecentLines } from './recent-lines.js';

export interface LogsCapability extends Capability<keyof typeof logsMethods> {
  /** Matches of a pattern since a time (alert conditions read it). */
  countSince(patternId: string, sinceMs: number): number;
}

/** Log patterns (the config file's and the fleet's) matched against the node's log files and services' output. */
export function createLogsCapability(context: CapabilityContext, catalog: ServiceCatalog): LogsCapability {
  const { config, clock, store, events, metrics, fleet } = context;
  const logsDir = serviceLogsDir(config.dataDir);
  const logger = context.logger('logs');
  // Two threads: a slow "try it" in the editor does not hold up scanning, nor scanning a "try it".
  const budgetMs = config.logMatchBudgetMs;
  const scanMatcher = new MatchWorker({ clock, logger, budgetMs });
  const trialMatcher = new MatchWorker({ clock, logger, budgetMs });
  const recentLines = new RecentLines();
  const scanner = new LogScanner({
    sources: () => logSources(catalog, config.logFiles, logsDir),
    matches: store.repository((db) => new LogMatchesRepository(db)),
    offsets: store.repository((db) => new LogOffsetsRepository(db)),
    clock,
    logger,
    metrics: { matches: metrics.logMatches },
    events,
    matcher: scanMatcher,
    onLines: (source, lines) => recentLines.add(source, lines),
  });
  scanner.setConfigPatterns(config.logPatterns);
  const fleetPatterns = fleet.register('log-patterns', LogPattern, scanner);
  const suggestions = new PatternSuggestions({
    recent: recentLines,
    sources: () => scanner.sourceStates().map((source) => source.name),
    patterns: () => scanner.patterns(),
    matcher: trialMatcher,
  });
  const keepMs = historyRetention(config.history).rawMs;
  const stops: Array<() => void> = [];

  return {
    name: 'logs',
    handlers: logsHandlers(scanner, fleetPatterns, trialMatcher, suggestions),
    countSince: (patternId, sinceMs) => scanner.countSince(patternId, sinceMs),
    summary: () => ({ logMatches: countBySeverity(scanner.patterns()) }),
    start() {
      stops.push(
        events.subscribe((event) => {
          if (event.type === 'logs.matched') context.summary.changed();
        }),
        catalog.onChange(() => scanner.refreshSources()),
        repeat(clock, PRUNE_INTERVAL_MS, () => scanner.prune(clock.now(), keepMs)),
      );
      scanner.prune(clock.now(), keepMs);
      scanner.start();
    },
    async stop() {
      for (const stop of stops.splice(0)) stop();
      await scanner.stop();
      await Promise.all([scanMatcher.close(), trialMatcher.close()]);
    },
  };
}
