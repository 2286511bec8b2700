import type { LogPattern, LogPatternState } from '../../../shared/log-patterns.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatAgo } from '../../format/time.js';
import { useNow } from '../../hooks/use-now.js';
import { SourceBadge } from '../../components/source-badge.js';

const byName = (a: LogPatternState, b: LogPatternState) =>
  a.pattern.name.localeCompare(b.pattern.name) || a.pattern.id.localeCompare(b.pattern.id);

/** A pattern's sources, or that it reads them all. */
function SourceNames({ sources }: { sources: readonly string[] }) {
  if (sources.length === 0) return <span className="muted all-sources">All sources</span>;
  return (
    <span className="chips">
      {sources.map((name) => (
        <code key={name} className="chip">
          {name}
        </code>
      ))}
    </span>
  );
}

/** The pattern's regex as the agent runs it, with its flag. */
function RegexText({ regex, ignoreCase }: { regex: string; ignoreCase: boolean }) {
  return (
    <span className="pattern-regex">
      <code>{regex}</code>
      {ignoreCase && <span className="muted"> (ignore case)</span>}
    </span>
  );
}

/** A pattern's name and id with its regex (and description, where asked), severity and sources: three cells. */
export function PatternCells({ pattern, description = false }: { pattern: LogPattern; description?: boolean }) {
  return (
    <>
      <td className="pattern-cell">
        <span className="pattern-name">{pattern.name}</span> <code className="muted">{pattern.id}</code>
        <RegexText regex={pattern.regex} ignoreCase={pattern.ignoreCase} />
        {description && pattern.description && <span className="pattern-description">{pattern.description}</span>}
      </td>
      <td>
        <SeverityBadge severity={pattern.severity} />
      </td>
      <td>
        <SourceNames sources={pattern.sources} />
      </td>
    </>
  );
}

/** Every pattern in force on the shown node, from its config file and from the fleet, with recent matches. */
export function NodePatternsCard({
  nodeName,
  patterns,
  error,
  filter,
  onShowLines,
  onEdit,
}: {
  nodeName: string;
  patterns: LogPatternState[] | null;
  error: string | null;
  filter: string | null;
  onShowLines(patternId: string): void;
  onEdit(patternId: string): void;
}) {
  const now = useNow(5000);
  return (
    <Card
      title={`Patterns on ${nodeName}`}
      count={patterns && (patterns.length === 1 ? '1 pattern' : `${patterns.length} patterns`)}
      testId="node-patterns"
      errorLead="Could not load the patterns"
      error={error}
      loading={patterns === null}
      loadingText="Loading patterns…"
    >
      <DataTable
        className="log-table"
        columns={[
          'Pattern',
          'Severity',
          'Sources',
          'From',
          { header: 'Last hour', className: 'numeric' },
          'Last match',
          { header: 'Actions', hiddenHeader: true },
        ]}
        empty={
          patterns?.length === 0 && (
            <>
              No patterns here yet. Add one for the whole fleet, or list them under <code>logPatterns</code> in the
              node’s config file.
            </>
          )
        }
      >
        {[...(patterns ?? [])].sort(byName).map(({ pattern, source, matchesLastHour, lastMatchAt, problem }) => (
          <tr
            key={pattern.id}
            data-testid={`node-pattern-${pattern.id}`}
            data-source={source}
            className={filter === pattern.id ? 'is-selected' : undefined}
          >
            <PatternCells pattern={pattern} description />
            <td>
              <SourceBadge source={source} />
              {/* Refused by this node, or taken out of matching for running over its time budget. */}
              {problem && (
                <span className="field-error" data-testid={`pattern-problem-${pattern.id}`}>
                  {problem}
                </span>
              )}
            </td>
            <td className="numeric" data-testid={`matches-${pattern.id}`}>
              {matchesLastHour}
            </td>
            <td>
              {lastMatchAt === null ? (
                <span className="muted">Never</span>
              ) : (
                <>
                  <Timestamp epochMs={lastMatchAt} />
                  <span className="muted last-match-ago">{formatAgo(lastMatchAt, now)}</span>
                </>
              )}
            </td>
            <td className="row-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={`Show lines matching ${pattern.name}`}
                aria-pressed={filter === pattern.id}
                onClick={() => onShowLines(pattern.id)}
              >
                Lines
              </button>
              {source === 'fleet' ? (
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Edit ${pattern.name}`}
                  onClick={() => onEdit(pattern.id)}
                >
                  Edit
                </button>
              ) : (
                <span className="read-only-note" title="Defined in this node’s config file: change it there">
                  Read-only
                </span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
