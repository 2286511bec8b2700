import type { LogSuggestion, LogSuggestions } from '../../../shared/log-suggestions.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';

const lines = (count: number) => (count === 1 ? '1 line' : `${count} lines`);

/** One source's suggestions, the most lines first. */
function SourceSuggestions({
  source,
  recentLines,
  unmatchedLines,
  suggestions,
  onMake,
}: LogSuggestions['sources'][number] & {
  suggestions: readonly LogSuggestion[];
  onMake(suggestion: LogSuggestion): void;
}) {
  return (
    <section className="suggestion-source" data-testid={`suggestions-${source}`}>
      <h3>
        <code>{source}</code>{' '}
        <span className="muted">
          {unmatchedLines} of {lines(recentLines)} read lately matched no pattern
        </span>
      </h3>
      {suggestions.length === 0 ? (
        <p className="muted">
          {unmatchedLines === 0 ? 'Nothing to suggest: every recent line matched a pattern.' : 'Nothing to suggest.'}
        </p>
      ) : (
        <DataTable
          className="log-table suggestion-table"
          columns={[
            { header: 'Lines', className: 'numeric' },
            'Template and an example',
            'Suggested regex',
            { header: 'Actions', hiddenHeader: true },
          ]}
        >
          {suggestions.map((suggestion) => (
            <tr key={suggestion.regex} data-testid="suggestion">
              <td className="numeric">{suggestion.count}</td>
              <td className="suggestion-template">
                <code>{suggestion.template}</code>
                <span className="muted suggestion-example">{suggestion.examples[0]}</span>
              </td>
              <td>
                <span className="pattern-regex">
                  <code>{suggestion.regex}</code>
                </span>
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Make a pattern from this: ${suggestion.template}`}
                  onClick={() => onMake(suggestion)}
                >
                  Make a pattern from this
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/**
 * Patterns suggested from the lines the shown node read lately that no pattern matched: per source, the lines
 * clustered by shape, each shape with a regex the node checked against its lines.
 */
export function SuggestionsCard({
  nodeName,
  answer,
  error,
  onMake,
}: {
  nodeName: string;
  answer: LogSuggestions | null;
  error: string | null;
  onMake(suggestion: LogSuggestion): void;
}) {
  return (
    <Card
      title={`Pattern suggestions on ${nodeName}`}
      description="Recent lines no pattern matched, grouped by shape (numbers, addresses and ids masked). Make a pattern from one to catch such lines from now on."
      testId="suggested-patterns"
      errorLead="Could not load the suggestions"
      error={error}
      loading={answer === null}
      loadingText="Looking at recent lines…"
      empty={answer?.sources.length === 0 && 'No log sources on this node, so nothing to suggest.'}
    >
      {answer?.sources.map((state) => (
        <SourceSuggestions
          key={state.source}
          {...state}
          suggestions={answer.suggestions.filter((suggestion) => suggestion.source === state.source)}
          onMake={onMake}
        />
      ))}
    </Card>
  );
}
