import { useId } from 'react';
import type { LogSourceState } from '../../../shared/log-patterns.js';

const kindLabels: Record<LogSourceState['kind'], string> = {
  service: 'Service output',
  file: 'File',
};

/** What the shown node reads for its patterns, and any source it cannot read. */
export function LogSourcesCard({
  nodeName,
  sources,
  error,
}: {
  nodeName: string;
  sources: LogSourceState[] | null;
  error: string | null;
}) {
  const headingId = useId();
  const unreadable = sources?.filter((source) => source.problem !== null).length ?? 0;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="log-sources">
      <header className="card-header">
        <h2 id={headingId}>Log sources on {nodeName}</h2>
        {sources && (
          <span className={unreadable > 0 ? 'badge source-problem-badge' : 'muted'}>
            {unreadable > 0
              ? `${unreadable} of ${sources.length} unreadable`
              : sources.length === 1
                ? '1 source'
                : `${sources.length} sources`}
          </span>
        )}
      </header>
      {error && (
        <p className="notice notice-error" role="alert">
          Could not load the log sources: {error}
        </p>
      )}
      {sources === null ? (
        !error && <p className="muted">Loading log sources…</p>
      ) : sources.length === 0 ? (
        <p className="muted">
          No log sources: supervised services’ output is read, and files named under <code>logFiles</code> in the node’s
          config file.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="log-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Path</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((source) => (
                <tr key={source.name} data-testid={`log-source-${source.name}`}>
                  <td>
                    <code>{source.name}</code>
                  </td>
                  <td>{kindLabels[source.kind]}</td>
                  <td className="path-cell">
                    <code>{source.path}</code>
                  </td>
                  <td>
                    {source.problem === null ? (
                      <span className="source-ok">Reading</span>
                    ) : (
                      <span className="source-problem">{source.problem}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
