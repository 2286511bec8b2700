import { useState } from 'react';
import { useClient } from '../../client/client-context.js';
import type { Refusal } from '../../client/outcome.js';
import { TextAreaField } from '../../components/form-fields.js';
import { RefusalNotice } from '../../components/form-footer.js';
import { useServicesStore } from '../../stores/services-store.js';
import { ToolPanel } from './tool-panel.js';

const example = `- id: billing-api
  name: Billing API
  checks:
    - name: health
      type: http
      url: http://127.0.0.1:8080/health
      intervalMs: 10000`;

/** Adds or replaces every service in a pasted YAML list, all or nothing; a refusal names the field. */
export function ImportPanel({ onClose }: { onClose(): void }) {
  const client = useClient();
  const importYaml = useServicesStore((s) => s.importYaml);
  const [yaml, setYaml] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [imported, setImported] = useState<string[] | null>(null);

  const submit = async () => {
    setBusy(true);
    setRefusal(null);
    setImported(null);
    const outcome = await importYaml(client, yaml);
    setBusy(false);
    if (outcome.ok) setImported(outcome.value);
    else setRefusal(outcome);
  };

  return (
    <ToolPanel title="Import YAML" onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TextAreaField
          label="Services YAML"
          value={yaml}
          onChange={setYaml}
          rows={10}
          placeholder={example}
          hint="A list of services, as Export YAML writes them. Services with the same id are replaced; nothing changes if any of them is invalid."
          monospace
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || yaml.trim() === ''}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {refusal && <RefusalNotice refusal={refusal} lead="Nothing was imported" testId="import-refusal" />}
      {imported && (
        <p className="notice notice-success" role="status">
          Imported {imported.length === 1 ? '1 service' : `${imported.length} services`}
          {imported.length > 0 && `: ${imported.join(', ')}`}.
        </p>
      )}
    </ToolPanel>
  );
}
