import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/card.js';
import { useClient } from '../../client/client-context.js';
import { useConfirmedDelete } from '../../components/confirm-delete.js';
import { ViewPage } from '../../components/view-page.js';
import { viewHref } from '../../shell/views.js';
import { servicesSelectors, useServicesStore } from '../../stores/services-store.js';
import { CheckTemplatesSection } from './check-templates-section.js';
import { ExportPanel } from './export-panel.js';
import { FleetServicesTable } from './fleet-services-table.js';
import { ImportPanel } from './import-panel.js';
import { ServiceDetails } from './service-details.js';
import { ServiceForm } from './service-form.js';
import { ServiceList } from './service-list.js';
import './services-view.css';

/** Check results are not pushed on every run, so the open view asks for them this often. */
const refreshMs = 5000;

type ToolPanel = 'import' | 'export' | null;
/** This node's services with their details, or every node's services in one table. */
type Scope = 'node' | 'fleet';
const scopeLabels: Record<Scope, string> = { node: 'This node', fleet: 'Whole fleet' };

function ScopeToggle({ scope, onChange }: { scope: Scope; onChange(scope: Scope): void }) {
  return (
    <div className="scope-toggle" role="group" aria-label="Show the services of">
      {(['node', 'fleet'] as const).map((option) => (
        <button
          key={option}
          type="button"
          className="button"
          aria-pressed={scope === option}
          onClick={() => onChange(option)}
        >
          {scopeLabels[option]}
        </button>
      ))}
    </div>
  );
}

/** Polls the list (and the selected service's new history) while the view is open. */
function useServicesRefresh() {
  const client = useClient();
  const load = useServicesStore((s) => s.load);
  const loadHistory = useServicesStore((s) => s.loadHistory);
  useEffect(() => {
    void load(client);
    const timer = setInterval(() => {
      void load(client);
      const selected = servicesSelectors.selected(useServicesStore.getState());
      for (const check of selected?.checks ?? []) void loadHistory(client, selected!.definition.id, check.name);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [client, load, loadHistory]);
}

function RemoveDemo({ count }: { count: number }) {
  const client = useClient();
  const removeDemo = useServicesStore((s) => s.removeDemo);
  const removal = useConfirmedDelete(() => removeDemo(client));
  return (
    <>
      {removal.confirming ? (
        <span className="confirm-inline" role="group" aria-label="Confirm removing demo data">
          <span>
            Remove the {count === 1 ? 'demo service' : `${count} demo services`}, and the demo’s alert rules and log
            patterns from the whole fleet? They will not come back.
          </span>
          <button type="button" className="button button-danger" onClick={() => void removal.confirm()}>
            Remove demo services
          </button>
          <button type="button" className="button" onClick={removal.cancel}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="button button-danger-quiet" onClick={removal.ask}>
          Remove demo data
        </button>
      )}
      <ErrorNotice lead="Could not remove the demo data" error={removal.refusal} />
    </>
  );
}

export function ServicesView() {
  useServicesRefresh();
  const services = useServicesStore(servicesSelectors.services);
  const receivedAt = useServicesStore(servicesSelectors.receivedAt);
  const error = useServicesStore(servicesSelectors.error);
  const selectedId = useServicesStore(servicesSelectors.selectedId);
  const selected = useServicesStore(servicesSelectors.selected);
  const editor = useServicesStore(servicesSelectors.editor);
  const awaitingFleetId = useServicesStore(servicesSelectors.awaitingFleetId);
  const select = useServicesStore((s) => s.select);
  const openEditor = useServicesStore((s) => s.openEditor);
  const [panel, setPanel] = useState<ToolPanel>(null);
  const [scope, setScope] = useState<Scope>('node');
  const demoCount = services.filter((s) => s.source === 'demo').length;
  const editing = editor?.mode === 'edit' ? services.find((s) => s.definition.id === editor.id) : undefined;

  return (
    <ViewPage title="Services" lead="Services and their health checks, refreshed every few seconds.">
      <ScopeToggle scope={scope} onChange={setScope} />
      <div className="toolbar" role="toolbar" aria-label="Service actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setScope('node'); // the form stands beside this node's list
            openEditor({ mode: 'add' });
          }}
        >
          Add service
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={panel === 'import'}
          onClick={() => setPanel(panel === 'import' ? null : 'import')}
        >
          Import YAML
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={panel === 'export'}
          onClick={() => setPanel(panel === 'export' ? null : 'export')}
        >
          Export YAML
        </button>
        {demoCount > 0 && <RemoveDemo count={demoCount} />}
      </div>

      <ErrorNotice lead="Could not load the services from the agent" error={error} />
      {panel === 'import' && <ImportPanel onClose={() => setPanel(null)} />}
      {panel === 'export' && <ExportPanel onClose={() => setPanel(null)} />}

      {scope === 'fleet' ? (
        <FleetServicesTable />
      ) : receivedAt === null && !error ? (
        <p className="card notice">Loading services…</p>
      ) : (
        <div className="services-layout">
          <ServiceList services={services} selectedId={editor ? null : selectedId} onSelect={select} />
          <div className="services-pane">
            {editor?.mode === 'add' && <ServiceForm key="add" editing={null} />}
            {editing && <ServiceForm key={`edit-${editing.definition.id}`} editing={editing} />}
            {!editor && selected && <ServiceDetails key={selected.definition.id} service={selected} />}
            {!editor && !selected && awaitingFleetId !== null && (
              <div className="card notice" role="status" data-testid="awaiting-fleet">
                <p>
                  <code>{awaitingFleetId}</code> was saved for the whole fleet; it shows here once this node has applied
                  it. If it does not appear, this node could not apply it: its config errors are shown in{' '}
                  <a href={viewHref('nodes')}>Nodes</a>.
                </p>
              </div>
            )}
            {!editor && !selected && awaitingFleetId === null && services.length > 0 && (
              <p className="card notice">Select a service.</p>
            )}
          </div>
        </div>
      )}
      <CheckTemplatesSection />
    </ViewPage>
  );
}
