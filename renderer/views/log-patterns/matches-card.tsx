import { useId } from 'react';
import { ErrorNotice } from '../../components/card.js';
import type { LogPatternState } from '../../../shared/log-patterns.js';
import { SelectField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import type { NodeLogs } from '../../stores/log-patterns-store.js';
import { MatchedLine } from './matched-line.js';

const allPatterns = '';

/** The lines that matched on the shown node, newest first, for every pattern or one; older ones page in. */
export function MatchesCard({
  nodeName,
  node,
  patterns,
  filter,
  live,
  onFilter,
  onOlder,
}: {
  nodeName: string;
  node: NodeLogs;
  patterns: readonly LogPatternState[];
  filter: string | null;
  /** Whether new lines arrive by event (this node) or by asking again (another member). */
  live: 'events' | 'polling';
  onFilter(patternId: string | null): void;
  onOlder(): void;
}) {
  const headingId = useId();
  const names = new Map(patterns.map(({ pattern }) => [pattern.id, pattern.name]));
  const options = [
    { value: allPatterns, label: 'All patterns' },
    ...[...patterns]
      .sort((a, b) => a.pattern.name.localeCompare(b.pattern.name))
      .map(({ pattern }) => ({ value: pattern.id, label: `${pattern.name} (${pattern.id})` })),
  ];
  if (filter !== null && !names.has(filter)) options.push({ value: filter, label: `${filter} (no longer in force)` });
  return (
    <section className="card" aria-labelledby={headingId} data-testid="matched-lines">
      <header className="card-header matches-header">
        <div>
          <h2 id={headingId}>Matched lines on {nodeName}</h2>
          <p className="muted">
            Newest first; {live === 'events' ? 'new lines show as they match.' : 'asked again every few seconds.'}
          </p>
        </div>
        <SelectField
          className="matches-filter"
          label="Pattern"
          value={filter ?? allPatterns}
          options={options}
          onChange={(value) => onFilter(value === allPatterns ? null : value)}
        />
      </header>
      <ErrorNotice lead="Could not load the matched lines" error={node.matchesError} />
      {!node.matchesLoaded ? (
        !node.matchesError && <p className="muted">Loading matched lines…</p>
      ) : node.matches.length === 0 ? (
        <p className="muted">
          {filter === null ? 'No line has matched yet.' : 'No line has matched this pattern yet.'}
        </p>
      ) : (
        <>
          <ol className="match-list" aria-labelledby={headingId}>
            {node.matches.map((match) => (
              <li key={match.id} className="match" data-testid="match" data-pattern-id={match.patternId}>
                <span className="match-meta">
                  <Timestamp epochMs={match.at} />
                  <span className="match-pattern" title={match.patternId}>
                    {names.get(match.patternId) ?? match.patternId}
                  </span>
                  <code className="chip">{match.source}</code>
                </span>
                <MatchedLine className="match-line" line={match.line} span={match.span} />
              </li>
            ))}
          </ol>
          <div className="matches-footer">
            <span className="muted">{node.matches.length === 1 ? '1 line' : `${node.matches.length} lines`} shown</span>
            {node.hasOlder && (
              <button type="button" className="button" disabled={node.loadingOlder} onClick={onOlder}>
                {node.loadingOlder ? 'Loading older lines…' : 'Older lines'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
