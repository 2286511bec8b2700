import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { PatternSuggestions } from '../../../electron/logs/pattern-suggestions.js';
import { RecentLines } from '../../../electron/logs/recent-lines.js';
import { LogPattern, type LogPatternInput, type LogPatternState } from '../../../shared/log-patterns.js';
import { LogSuggestions } from '../../../shared/log-suggestions.js';
import { SLOW_REGEX, abLines } from '../../support/slow-pattern.js';
import { matchWorkers } from './match-worker-support.js';

const newWorker = matchWorkers();

const inForce = (input: LogPatternInput, problem: string | null = null): LogPatternState => ({
  pattern: LogPattern.parse(input),
  source: 'fleet',
  matchesLastHour: 0,
  lastMatchAt: null,
  problem,
});

const timeouts = [
  '2025-01-01T12:00:01.000Z ERROR upstream timeout after 3000 ms',
  '2025-01-01T12:00:04.250Z ERROR upstream timeout after 2500 ms',
  '2025-01-01T12:00:09.125Z ERROR upstream timeout after 120 ms',
];
const gets = [
  '2025-01-01T12:00:00.000Z INFO  http: GET /api/cart 200 in 12 ms',
  '2025-01-01T12:00:02.000Z INFO  http: GET /healthz 200 in 1 ms',
];
// Drain branches on the first two tokens: the names come after them.
const logins = ['sshd: user alice logged in from 10.0.0.7', 'sshd: user bob logged in from 10.0.0.9'];

async function suggester(patterns: LogPatternState[] = [], sources = ['api', 'auth'], budgetMs?: number) {
  const recent = new RecentLines();
  const { worker } = await newWorker(budgetMs);
  return {
    recent,
    suggestions: new PatternSuggestions({ recent, sources: () => sources, patterns: () => patterns, matcher: worker }),
  };
}

describe('PatternSuggestions', () => {
  it('clusters each source’s recent lines into templates, the most lines first, each with a regex and examples', async () => {
    const { recent, suggestions } = await suggester();
    recent.add('api', [...gets, ...timeouts]);
    recent.add('auth', logins);
    const answer = LogSuggestions.parse(await suggestions.suggest({ limit: 10 }));
    expect(answer.sources).toEqual([
      { source: 'api', recentLines: 5, unmatchedLines: 5 },
      { source: 'auth', recentLines: 2, unmatchedLines: 2 },
    ]);
    expect(answer.suggestions).toEqual([
      {
        source: 'api',
        template: '<NUM>-<NUM>-<NUM>T<NUM>:<NUM>:<NUM>Z ERROR upstream timeout after <NUM> ms',
        regex: 'ERROR\\s+upstream\\s+timeout\\s+after\\s+\\d+(?:\\.\\d+)?\\s+ms',
        name: 'ERROR upstream timeout after ms',
        count: 3,
        examples: timeouts,
      },
      {
        source: 'api',
        template: '<NUM>-<NUM>-<NUM>T<NUM>:<NUM>:<NUM>Z INFO http: GET <*> <NUM> in <NUM> ms',
        regex: 'INFO\\s+http:\\s+GET\\s+\\S+\\s+\\d+(?:\\.\\d+)?\\s+in\\s+\\d+(?:\\.\\d+)?\\s+ms',
        name: 'INFO http GET in ms',
        count: 2,
        examples: gets,
      },
      {
        source: 'auth',
        template: 'sshd: user <*> logged in from <IP>',
        // The address at the end has no word: it is left out.
        regex: 'sshd:\\s+user\\s+\\S+\\s+logged\\s+in\\s+from',
        name: 'sshd user logged in from',
        count: 2,
        examples: logins,
      },
    ]);
    for (const suggestion of answer.suggestions) {
      const compiled = RE2JS.compile(suggestion.regex);
      expect(suggestion.examples.every((line) => compiled.test(line))).toBe(true);
    }
  });

  it('leaves out lines a pattern in force for the source matches, and honours source and limit', async () => {
    const { recent, suggestions } = await suggester([
      inForce({ id: 'timeouts', name: 'Timeouts', regex: 'TIMEOUT', ignoreCase: true, sources: ['api'] }),
      // For another source only: the auth lines stay.
      inForce({ id: 'logins', name: 'Logins', regex: 'logged in', sources: ['worker'] }),
    ]);
    recent.add('api', [...gets, ...timeouts]);
    recent.add('auth', logins);
    const api = await suggestions.suggest({ source: 'api', limit: 10 });
    expect(api.sources).toEqual([{ source: 'api', recentLines: 5, unmatchedLines: 2 }]);
    expect(api.suggestions.map((suggestion) => suggestion.examples)).toEqual([gets]);
    const auth = await suggestions.suggest({ source: 'auth', limit: 1 });
    expect(auth.suggestions.map((suggestion) => suggestion.count)).toEqual([2]);
    expect(await suggestions.suggest({ source: 'unknown', limit: 1 })).toEqual({ sources: [], suggestions: [] });
  });

  it('still suggests when a pattern runs over the matching budget, or a refused one does not compile', async () => {
    const { recent, suggestions } = await suggester(
      [
        inForce({ id: 'costly', name: 'Costly', regex: SLOW_REGEX }),
        inForce({ id: 'broken', name: 'Broken', regex: '(a' }, 'refused: missing closing )'),
      ],
      ['api'],
      200,
    );
    recent.add('api', [...abLines(6), ...timeouts]);
    const answer = await suggestions.suggest({ limit: 10 });
    expect(answer.suggestions.some((suggestion) => suggestion.count === 3 && /timeout/.test(suggestion.regex))).toBe(
      true,
    );
  });

  it('forgets the lines of a source the node no longer scans', async () => {
    const sources = ['api', 'auth'];
    const { recent, suggestions } = await suggester([], sources);
    recent.add('auth', logins);
    sources.splice(1, 1);
    expect((await suggestions.suggest({ limit: 10 })).sources).toEqual([
      { source: 'api', recentLines: 0, unmatchedLines: 0 },
    ]);
    expect(recent.sources()).toEqual([]);
  });
});
