import { useEffect, useId, useState } from 'react';
import type { PatternTestResult } from '../../../shared/log-patterns.js';
import { useClient } from '../../client/client-context.js';
import { TextAreaField } from '../../components/form-fields.js';
import { useLogPatternsStore } from '../../stores/log-patterns-store.js';
import { MatchedLine } from './matched-line.js';

const debounceMs = 300;
/** What `logs.patterns.test` accepts at most. */
const maxLines = 500;
const maxLineLength = 10_000;

/** The latest try of the regex: its answer, or why it could not be asked. */
export type TryState =
  | { state: 'idle' }
  | { state: 'trying' }
  | { state: 'done'; result: PatternTestResult }
  | { state: 'failed'; message: string };

/**
 * Tries the regex on the connected agent (the same RE2 engine every node runs) a moment after the last
 * keystroke; an answer about an older regex or sample is dropped.
 */
export function usePatternTry(regex: string, ignoreCase: boolean, sample: string): TryState {
  const client = useClient();
  const test = useLogPatternsStore((s) => s.test);
  const [answer, setAnswer] = useState<{ key: string; state: TryState } | null>(null);
  const key = JSON.stringify([regex, ignoreCase, sample]);

  useEffect(() => {
    if (regex === '') return;
    let current = true;
    const lines = sample === '' ? [] : sample.split(/\r?\n/).slice(0, maxLines);
    const timer = setTimeout(() => {
      void test(client, { regex, ignoreCase, lines: lines.map((line) => line.slice(0, maxLineLength)) }).then(
        (outcome) => {
          if (!current) return;
          setAnswer({
            key,
            state: outcome.ok
              ? { state: 'done', result: outcome.value }
              : { state: 'failed', message: outcome.message },
          });
        },
      );
    }, debounceMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, test, regex, ignoreCase, sample, key]);

  if (regex === '') return { state: 'idle' };
  return answer?.key === key ? answer.state : { state: 'trying' };
}

/** Sample lines to try the pattern on, each marked as matching or not, the matched part highlighted. */
export function TryIt({
  sample,
  onSampleChange,
  tried,
  regexEmpty,
}: {
  sample: string;
  onSampleChange(sample: string): void;
  tried: TryState;
  regexEmpty: boolean;
}) {
  const headingId = useId();
  const lines = sample === '' ? [] : sample.split(/\r?\n/);
  const matched =
    tried.state === 'done' && tried.result.ok
      ? new Map(tried.result.matches.map((match) => [match.index, match.span]))
      : null;
  const status = regexEmpty
    ? 'Type a regex to try it.'
    : tried.state === 'trying'
      ? 'Trying…'
      : tried.state === 'failed'
        ? `Could not try the pattern: ${tried.message}`
        : tried.state === 'done' && !tried.result.ok
          ? 'Nodes would refuse this regex (the reason is under the field).'
          : matched
            ? lines.length === 0
              ? 'The regex compiles. Paste sample lines to see which match.'
              : `${matched.size} of ${Math.min(lines.length, maxLines)} ${lines.length === 1 ? 'line matches' : 'lines match'}.`
            : '';

  return (
    <section className="try-it" aria-labelledby={headingId}>
      <h3 id={headingId}>Try it</h3>
      <TextAreaField
        label="Sample lines"
        value={sample}
        onChange={onSampleChange}
        rows={6}
        monospace
        placeholder={
          '2025-01-01T12:00:00Z ERROR upstream timeout after 3000 ms\n2025-01-01T12:00:01Z INFO  http: GET /healthz 200'
        }
        hint={`One line per row, at most ${maxLines}. Nothing is saved.`}
      />
      <p
        className={tried.state === 'failed' ? 'try-status field-error' : 'try-status muted'}
        role="status"
        data-testid="try-status"
      >
        {status}
      </p>
      {lines.length > 0 && (
        <ol className="try-results" aria-label="Sample lines tried">
          {lines.slice(0, maxLines).map((line, index) => {
            const state = matched === null ? 'unknown' : matched.has(index) ? 'match' : 'no-match';
            return (
              <li key={index} className={`try-line try-${state}`} data-testid="try-line" data-match={state}>
                <span className="try-mark">
                  {state === 'match' ? 'Match' : state === 'no-match' ? 'No match' : '…'}
                </span>
                <MatchedLine className="try-text" line={line} span={matched?.get(index)} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
