import { useEffect } from 'react';
import type { CheckTemplate } from '../../../shared/check-templates.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { DeleteEverywhere } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { MemberConfigErrorList } from '../../components/member-config-errors.js';
import { formatMs } from '../../format/numbers.js';
import {
  checkTemplatesSelectors,
  fleetTemplates,
  useCheckTemplatesStore,
  type TemplateEntry,
} from '../../stores/check-templates-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { servicesSelectors, useServicesStore } from '../../stores/services-store.js';
import { checkTarget } from './check-card.js';
import { CheckTemplateForm } from './check-templates-form.js';
import { checkTypeLabels } from './service-draft.js';
import './check-templates-section.css';

/** Loads the templates once the section shows; the event router keeps them fresh after that. */
function useTemplates() {
  const client = useClient();
  useEffect(() => void useCheckTemplatesStore.getState().load(client), [client]);
}

function TemplateRow({ entry, servicesHere }: { entry: TemplateEntry; servicesHere: string[] }) {
  const client = useClient();
  const openEditor = useCheckTemplatesStore((s) => s.openEditor);
  const remove = useCheckTemplatesStore((s) => s.remove);
  const template = entry.value;
  return (
    <tr data-testid={`template-${entry.id}`}>
      <td>
        <div className="template-id-cell">
          <code>{entry.id}</code>
          {template?.description && <span className="muted">{template.description}</span>}
        </div>
      </td>
      {template ? (
        <>
          <td>
            <span className="chips" aria-label="Service tags">
              {template.serviceTags.map((tag) => (
                <span key={tag} className="chip">
                  {tag}
                </span>
              ))}
            </span>
          </td>
          <td>
            <code>{template.check.name}</code> <span className="badge">{checkTypeLabels[template.check.type]}</span>
            <span className="muted template-check-target">
              {checkTarget(template.check)}, every {formatMs(template.check.intervalMs)}
            </span>
          </td>
          <td data-testid="template-services-here">
            {servicesHere.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              servicesHere.map((id) => (
                <code key={id} className="template-service">
                  {id}
                </code>
              ))
            )}
          </td>
        </>
      ) : (
        <td colSpan={3}>
          <span className="field-error">Malformed: {entry.problem ?? 'unreadable'}</span>
        </td>
      )}
      <td className="template-actions">
        <DeleteEverywhere
          id={entry.id}
          name={`template ${entry.id}`}
          question="Delete from every agent? Its checks go with it."
          remove={() => remove(client, entry.id)}
        >
          {template && (
            <button type="button" className="button" onClick={() => openEditor({ mode: 'edit', id: entry.id })}>
              Edit
            </button>
          )}
        </DeleteEverywhere>
      </td>
    </tr>
  );
}

/**
 * Checks saved once for the whole fleet: every agent adds a template's check to each of its services that
 * carries one of the template's tags. Shown on the Services page with the nodes that could not apply one.
 */
export function CheckTemplatesSection() {
  useTemplates();
  const templates = useCheckTemplatesStore(checkTemplatesSelectors.entries);
  const receivedAt = useCheckTemplatesStore(checkTemplatesSelectors.receivedAt);
  const error = useCheckTemplatesStore(checkTemplatesSelectors.error);
  const editor = useCheckTemplatesStore(checkTemplatesSelectors.editor);
  const editing = useCheckTemplatesStore(checkTemplatesSelectors.editing);
  const openEditor = useCheckTemplatesStore((s) => s.openEditor);
  const services = useServicesStore(servicesSelectors.services);
  const members = useNodesStore(nodesSelectors.members);

  const servicesWith = (template: CheckTemplate | null) =>
    template
      ? services
          .filter((s) => s.definition.tags.some((tag) => template.serviceTags.includes(tag)))
          .map((s) => s.definition.id)
          .sort()
      : [];
  const problems = fleetTemplates.refusedBy(members);
  const sorted = [...(templates ?? [])].sort((a, b) => a.id.localeCompare(b.id));

  return (
    <Card
      className="check-templates"
      title="Check templates for the whole fleet"
      description="Every agent adds a template’s check to each of its services carrying one of the template’s tags."
      actions={
        <button type="button" className="button" onClick={() => openEditor({ mode: 'add' })}>
          Add check template
        </button>
      }
      testId="check-templates"
      errorLead="Could not load the check templates"
      error={error}
      footer={
        <>
          {problems.length > 0 && (
            <div className="notice notice-error template-problems" data-testid="template-config-errors">
              <p>Nodes that could not apply a template (each keeps its last good version):</p>
              <MemberConfigErrorList errors={problems} />
            </div>
          )}
          {editor?.mode === 'add' && <CheckTemplateForm key="add" editing={null} />}
          {editing?.value && <CheckTemplateForm key={`edit-${editing.id}`} editing={editing.value} />}
        </>
      }
    >
      <DataTable
        columns={['Template', 'Service tags', 'Check', 'Services here', { header: 'Actions', hiddenHeader: true }]}
        empty={sorted.length === 0 && (receivedAt === null && !error ? 'Loading…' : 'No check templates yet.')}
      >
        {sorted.map((entry) => (
          <TemplateRow key={entry.id} entry={entry} servicesHere={servicesWith(entry.value)} />
        ))}
      </DataTable>
    </Card>
  );
}
