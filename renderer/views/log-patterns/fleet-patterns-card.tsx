import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { useConfirmedDelete } from '../../components/confirm-delete.js';
import { MemberConfigErrorList } from '../../components/member-config-errors.js';
import type { MemberConfigError } from '../../fleet/config-errors.js';
import { fleetPatterns, type FleetPatternEntry } from '../../stores/log-patterns-store.js';
import { PatternCells } from './node-patterns-card.js';

function Refusals({ refusals }: { refusals: readonly MemberConfigError[] }) {
  if (refusals.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="refusal-list">
      {refusals.map((refusal) => (
        <li key={refusal.memberId}>
          <strong title={refusal.memberId}>{refusal.memberName}</strong>: {refusal.error}
        </li>
      ))}
    </ul>
  );
}

/** Deleting is for every node at once, so it is asked for twice. */
function DeleteAction({ entry, label }: { entry: FleetPatternEntry; label: string }) {
  const client = useClient();
  const remove = fleetPatterns.useStore((s) => s.remove);
  const removal = useConfirmedDelete(() => remove(client, entry.id));
  return (
    <>
      {removal.confirming ? (
        <span className="confirm-inline confirm-delete" role="group" aria-label={`Confirm deleting ${label}`}>
          <span>Delete from every node?</span>
          <button
            type="button"
            className="button button-danger button-small"
            disabled={removal.busy}
            onClick={() => void removal.confirm()}
          >
            Delete
          </button>
          {/* Focus lands on the safe choice: Enter right after "Delete" must not delete. */}
          <button type="button" className="button button-small" autoFocus onClick={removal.cancel}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button button-danger-quiet button-small"
          aria-label={`Delete ${label}`}
          onClick={removal.ask}
        >
          Delete
        </button>
      )}
      {removal.refusal && (
        <p className="field-error" role="alert">
          Could not delete: {removal.refusal}
        </p>
      )}
    </>
  );
}

/**
 * The patterns saved for the whole fleet, as stored, with the nodes that could not apply each (from their
 * published summaries). A stored value that no longer parses is shown with its problem, and can be deleted.
 */
export function FleetPatternsCard({
  fleet,
  error,
  refusals,
  onAdd,
  onEdit,
}: {
  fleet: FleetPatternEntry[] | null;
  error: string | null;
  refusals: readonly MemberConfigError[];
  onAdd(): void;
  onEdit(id: string): void;
}) {
  const ids = new Set(fleet?.map((entry) => entry.id));
  const orphans = fleet ? refusals.filter((refusal) => !ids.has(refusal.id)) : [];
  const sorted = [...(fleet ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <Card
      title="Fleet patterns"
      description="Saved once, applied by every agent. Changed or deleted for all of them at once."
      actions={
        <button type="button" className="button" onClick={onAdd}>
          Add fleet pattern
        </button>
      }
      testId="fleet-patterns"
      errorLead="Could not load the fleet’s patterns"
      error={error}
      loading={fleet === null}
      loadingText="Loading the fleet’s patterns…"
      footer={
        orphans.length > 0 && (
          <div className="notice notice-error orphan-refusals" data-testid="orphan-refusals">
            <p>Nodes also report log patterns they could not apply that are not in this list:</p>
            <MemberConfigErrorList errors={orphans} />
          </div>
        )
      }
    >
      <DataTable
        className="log-table"
        columns={['Pattern', 'Severity', 'Sources', 'Refused by', { header: 'Actions', hiddenHeader: true }]}
        empty={fleet?.length === 0 && 'No patterns saved for the fleet yet.'}
      >
        {sorted.map((entry) => {
          const pattern = entry.value;
          const refusedBy = refusals.filter((refusal) => refusal.id === entry.id);
          const label = pattern?.name ?? entry.id;
          return (
            <tr
              key={entry.id}
              data-testid={`fleet-pattern-${entry.id}`}
              className={entry.problem !== null ? 'is-broken' : undefined}
            >
              {pattern === null || entry.problem !== null ? (
                <td colSpan={3} className="pattern-cell">
                  <code>{entry.id}</code>
                  <span className="source-problem">The stored value is unusable: {entry.problem ?? 'it is empty'}</span>
                </td>
              ) : (
                <PatternCells pattern={pattern} />
              )}
              <td className="refusals-cell" data-testid={`refusals-${entry.id}`}>
                <Refusals refusals={refusedBy} />
              </td>
              <td className="row-actions">
                {pattern !== null && entry.problem === null && (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Edit ${label}`}
                    onClick={() => onEdit(entry.id)}
                  >
                    Edit
                  </button>
                )}
                <DeleteAction entry={entry} label={label} />
              </td>
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
