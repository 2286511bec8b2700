import type { LogSourceState } from '../../../shared/log-patterns.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';

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
  const unreadable = sources?.filter((source) => source.problem !== null).length ?? 0;
  return (
    <Card
      title={`Log sources on ${nodeName}`}
      aside={
        sources && (
          <span className={unreadable > 0 ? 'badge source-problem-badge' : 'muted'}>
            {unreadable > 0
              ? `${unreadable} of ${sources.length} unreadable`
              : sources.length === 1
                ? '1 source'
                : `${sources.length} sources`}
          </span>
        )
      }
      testId="log-sources"
      errorLead="Could not load the log sources"
      error={error}
      loading={sources === null}
      loadingText="Loading log sources…"
    >
      <DataTable
        className="log-table"
        columns={['Name', 'Kind', 'Path', 'State']}
        empty={
          sources?.length === 0 && (
            <>
              No log sources: supervised services’ output is read, and files named under <code>logFiles</code> in the
              node’s config file.
            </>
          )
        }
      >
        {sources?.map((source) => (
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
      </DataTable>
    </Card>
  );
}
