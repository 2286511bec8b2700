import type { LogPatternState } from '../../shared/log-patterns.js';
import type { LogSuggestion, LogSuggestions, LogSuggestionsRequest } from '../../shared/log-suggestions.js';
import { compilePattern, patternRefusal, type PatternRegex } from './compile-pattern.js';
import { batchesOf } from './log-scanner.js';
import { tokensOf } from './log-masking.js';
import { LogTemplates, WILDCARD, type LogTemplate } from './log-templates.js';
import type { LineMatching } from './match-worker.js';
import type { RecentLines } from './recent-lines.js';
import { templateRegex, templateText } from './template-regex.js';

export interface PatternSuggestionsOptions {
  recent: RecentLines;
  /** The sources the node scans now, by name. */
  sources: () => string[];
  /** The patterns in force: lines one of them matches are not suggested again. */
  patterns: () => LogPatternState[];
  /** Where recent lines are matched against the patterns (off the event loop, with a budget). */
  matcher: LineMatching;
}

const MAX_REGEX_CHARS = 1000;
const MAX_NAME_WORDS = 8;

/** The template's first words (letters only), for the pattern's name; the source's when it has none. */
function nameOf(template: LogTemplate, source: string): string {
  const words = template.tokens
    .flatMap((token) => (token === WILDCARD || token.pieces.length !== 1 ? [] : [token.pieces[0]!]))
    .flatMap((piece) => ('text' in piece ? tokensOf(piece.text.replace(/[^\p{L}]+/gu, ' ')) : []))
    .slice(0, MAX_NAME_WORDS);
  return (words.length > 0 ? words.join(' ') : `Lines from ${source}`).slice(0, 128);
}

/** The template's regex, when it compiles on this node and matches each of its examples. */
function verifiedRegex(template: LogTemplate): string | null {
  const regex = templateRegex(template.tokens);
  if (regex === null || regex.length > MAX_REGEX_CHARS) return null;
  const pattern = { regex, ignoreCase: false };
  if (patternRefusal(pattern) !== null) return null;
  const matches = compilePattern(pattern);
  return template.examples.every(matches) ? regex : null;
}

/**
 * Pattern suggestions: for each source, the recent lines that no pattern in force matches, clustered into templates
 * (Drain), each offered with a regex that was checked to compile and to match the template's example lines.
 */
export class PatternSuggestions {
  constructor(private readonly options: PatternSuggestionsOptions) {}

  async suggest(request: LogSuggestionsRequest): Promise<LogSuggestions> {
    const current = this.options.sources();
    this.options.recent.keepOnly(new Set(current));
    const sources = request.source === undefined ? current : current.filter((name) => name === request.source);
    const answer: LogSuggestions = { sources: [], suggestions: [] };
    for (const source of sources) {
      const recent = this.options.recent.lines(source);
      const unmatched = await this.unmatched(source, recent);
      answer.sources.push({ source, recentLines: recent.length, unmatchedLines: unmatched.length });
      answer.suggestions.push(...this.suggestFrom(source, unmatched, request.limit));
    }
    return answer;
  }

  private suggestFrom(source: string, lines: readonly string[], limit: number): LogSuggestion[] {
    const templates = new LogTemplates();
    for (const line of lines) templates.add(line);
    const suggestions: LogSuggestion[] = [];
    for (const template of templates.templates()) {
      if (suggestions.length >= limit) break;
      const regex = verifiedRegex(template);
      if (regex === null) continue;
      suggestions.push({
        source,
        template: templateText(template.tokens),
        regex,
        name: nameOf(template, source),
        count: template.count,
        examples: template.examples,
      });
    }
    return suggestions;
  }

  /**
   * The lines no pattern for this source matches. A pattern that runs over the matcher's budget is left out and the
   * batch matched again without it, so its lines may still be suggested.
   */
  private async unmatched(source: string, lines: readonly string[]): Promise<string[]> {
    // A fleet version the node refused may not compile: only those it could run count.
    let patterns: PatternRegex[] = this.options
      .patterns()
      .map((state) => state.pattern)
      .filter((pattern) => pattern.sources.length === 0 || pattern.sources.includes(source))
      .filter((pattern) => patternRefusal(pattern) === null)
      .map(({ regex, ignoreCase }) => ({ regex, ignoreCase }));
    const kept: string[] = [];
    for (const batch of batchesOf(lines)) {
      let matched = new Set<number>();
      while (patterns.length > 0) {
        const outcome = await this.options.matcher.match(patterns, batch);
        if (outcome.ok) {
          matched = new Set(outcome.hits.flat());
          break;
        }
        patterns = patterns.filter((_, index) => index !== outcome.slowPattern);
      }
      kept.push(...batch.filter((_, index) => !matched.has(index)));
    }
    return kept;
  }
}
