import type { LogMatch, LogPatternState } from '../../../shared/log-patterns.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { MatchedLine } from '../log-patterns/matched-line.js';
// The matched lines' look (match-list, match, match-meta…) is the Log patterns view's.
import '../log-patterns/log-patterns-view.css';

/** Scrolled further than this from the newest line, the operator is reading back: following pauses. */
const readingBackPx = 8;

/** The matched lines, newest first, each with its time, pattern (and its severity), source and matched span. */
export function LogLines({
  lines,
  patterns,
  labelledBy,
  onReadingBack,
}: {
  lines: readonly LogMatch[];
  patterns: readonly LogPatternState[] | null;
  labelledBy: string;
  onReadingBack(readingBack: boolean): void;
}) {
  const byId = new Map((patterns ?? []).map(({ pattern }) => [pattern.id, pattern]));
  return (
    <ol
      className="match-list"
      aria-labelledby={labelledBy}
      data-testid="log-lines"
      onScroll={(event) => onReadingBack(event.currentTarget.scrollTop > readingBackPx)}
    >
      {lines.map((line) => {
        const pattern = byId.get(line.patternId);
        return (
          <li key={line.id} className="match" data-testid="log-line" data-pattern-id={line.patternId}>
            <span className="match-meta">
              <Timestamp epochMs={line.at} />
              {pattern && <SeverityBadge severity={pattern.severity} />}
              <span className="match-pattern" title={line.patternId}>
                {pattern?.name ?? line.patternId}
              </span>
              <code className="chip">{line.source}</code>
            </span>
            <MatchedLine className="match-line" line={line.line} span={line.span} />
          </li>
        );
      })}
    </ol>
  );
}
