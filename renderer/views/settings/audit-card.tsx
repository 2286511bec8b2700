import { useEffect, useState } from 'react';
import { auditParamsMaxChars, type AuditRecord } from '../../../shared/audit.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { formatMs } from '../../format/numbers.js';
import { auditSelectors, useAuditStore, type AuditFilterDraft, type AuditPeriod } from '../../stores/audit-store.js';
import './audit-card.css';

const fileName = 'fleetdeck-audit.jsonl';
const anyOutcome = '';

const periodOptions: { value: AuditPeriod; label: string }[] = [
  { value: 'all', label: 'Any time' },
  { value: 'hour', label: 'Last hour' },
  { value: 'day', label: 'Last 24 hours' },
  { value: 'week', label: 'Last 7 days' },
];

const outcomeOptions = [
  { value: anyOutcome, label: 'Any outcome' },
  { value: 'ok', label: 'Succeeded' },
  { value: 'error', label: 'Failed or refused' },
] as const;

function AuditFilters({
  filter,
  onChange,
}: {
  filter: AuditFilterDraft;
  onChange(change: Partial<AuditFilterDraft>): void;
}) {
  return (
    <div className="audit-filters" role="search" aria-label="Filter the audit log">
      <TextField
        label="Who"
        value={filter.principal}
        placeholder="token name, desktop, loopback"
        onChange={(principal) => onChange({ principal })}
        spellCheck={false}
      />
      <TextField
        label="Method"
        value={filter.methodPrefix}
        placeholder="prefix, e.g. services."
        onChange={(methodPrefix) => onChange({ methodPrefix })}
        spellCheck={false}
      />
      <SelectField
        label="Outcome"
        value={filter.outcome ?? anyOutcome}
        options={outcomeOptions}
        onChange={(outcome) => onChange({ outcome: outcome === anyOutcome ? null : outcome })}
      />
      <SelectField
        label="When"
        value={filter.period}
        options={periodOptions}
        onChange={(period) => onChange({ period })}
      />
    </div>
  );
}

function AuditRow({ record }: { record: AuditRecord }) {
  // Cut params are the text that was kept, no longer JSON.
  const params = typeof record.params === 'string' ? record.params : JSON.stringify(record.params);
  const pretty = record.paramsTruncated ? params : JSON.stringify(record.params, null, 2);
  return (
    <tr data-testid="audit-row" data-outcome={record.outcome}>
      <td>
        <Timestamp epochMs={record.at} />
      </td>
      <td>{record.principal}</td>
      <td className="muted">{record.remote ?? record.transport.toUpperCase()}</td>
      <td>
        <code>{record.method}</code>
        {record.target && (
          <div className="muted">
            → <code>{record.target.method}</code> on {record.target.memberId}
          </div>
        )}
      </td>
      <td className="audit-params">
        <details>
          <summary>
            <code>{params}</code>
          </summary>
          <pre>{pretty}</pre>
          {record.paramsTruncated && <p className="muted">Cut at {auditParamsMaxChars} characters.</p>}
        </details>
      </td>
      <td>
        {record.error ? (
          <span className="audit-error" title={record.error.message}>
            {record.error.code}: {record.error.message}
          </span>
        ) : (
          'OK'
        )}
      </td>
      <td className="numeric">{formatMs(record.durationMs)}</td>
    </tr>
  );
}

type ExportState =
  { state: 'idle' } | { state: 'exporting' } | { state: 'done'; count: number } | { state: 'failed'; message: string };

/** Settings → Audit: the node's record of mutating calls, filtered, updated as calls come, and exported. */
export function AuditCard() {
  const client = useClient();
  const filter = useAuditStore(auditSelectors.filter);
  const records = useAuditStore(auditSelectors.records);
  const loadedAt = useAuditStore(auditSelectors.loadedAt);
  const error = useAuditStore(auditSelectors.error);
  const olderLeft = useAuditStore(auditSelectors.olderLeft);
  const olderLoading = useAuditStore(auditSelectors.olderLoading);
  const { load, loadOlder, setFilter, exportLines } = useAuditStore.getState();
  const [exported, setExported] = useState<ExportState>({ state: 'idle' });
  useEffect(() => {
    void load(client);
  }, [client, load]);

  const download = async () => {
    setExported({ state: 'exporting' });
    const outcome = await exportLines(client);
    if (!outcome.ok) {
      setExported({ state: 'failed', message: outcome.message });
      return;
    }
    // A blob: URL made here, so nothing leaves the window; CSP governs fetches, not downloads.
    const href = URL.createObjectURL(new Blob([outcome.value.text], { type: 'application/x-ndjson' }));
    const link = document.createElement('a');
    link.href = href;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(href), 0);
    setExported({ state: 'done', count: outcome.value.count });
  };

  return (
    <Card
      title="Audit"
      description="Every call that changed something on this node, or tried to: who, from where, with what (secrets masked), and how it ended."
      count={loadedAt !== null ? `${records.length}${olderLeft ? '+' : ''} shown` : undefined}
      actions={
        <button
          type="button"
          className="button"
          disabled={exported.state === 'exporting'}
          onClick={() => void download()}
        >
          Export JSON lines
        </button>
      }
      errorLead="Could not read the audit log"
      error={error}
      className="audit-card"
      testId="audit-card"
    >
      <AuditFilters filter={filter} onChange={(change) => void setFilter(client, change)} />
      <p role="status" className="muted audit-export-status" data-testid="audit-export-status">
        {exported.state === 'exporting' && 'Exporting…'}
        {exported.state === 'done' && `Exported ${exported.count} records to ${fileName}.`}
        {exported.state === 'failed' && `Could not export: ${exported.message}`}
      </p>
      {loadedAt === null && !error ? (
        <p className="muted">Loading…</p>
      ) : (
        <DataTable
          columns={['Time', 'Who', 'From', 'Method', 'Params', 'Outcome', { header: 'Took', className: 'numeric' }]}
          className="audit-table"
          testId="audit-table"
          empty={records.length === 0 ? 'No audit records match.' : undefined}
        >
          {records.map((record) => (
            <AuditRow key={record.id} record={record} />
          ))}
        </DataTable>
      )}
      {olderLeft && (
        <button
          type="button"
          className="button button-quiet"
          disabled={olderLoading}
          onClick={() => void loadOlder(client)}
        >
          Load older
        </button>
      )}
    </Card>
  );
}
