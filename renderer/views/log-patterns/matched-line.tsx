import type { MatchSpan } from '../../../shared/log-patterns.js';

/** A log line with the part the regex matched marked; the whole line plain when there is no span (or it is empty). */
export function MatchedLine({ line, span, className }: { line: string; span?: MatchSpan | null; className: string }) {
  if (!span || span.end <= span.start || span.end > line.length) {
    return <code className={className}>{line === '' ? ' ' : line}</code>;
  }
  return (
    <code className={className}>
      {line.slice(0, span.start)}
      <mark className="match-span">{line.slice(span.start, span.end)}</mark>
      {line.slice(span.end)}
    </code>
  );
}
