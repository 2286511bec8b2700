import { useState } from 'react';
import { CheckTemplate } from '../../../shared/check-templates.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import type { CheckDefinition } from '../../../shared/services.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { TextField } from '../../components/form-fields.js';
import { DescriptionField, IdField } from '../../components/identity-fields.js';
import { issuesOfZod, noProblems, type DraftProblems } from '../../forms/draft-problems.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { useCheckTemplatesStore } from '../../stores/check-templates-store.js';
import { CheckFields } from './check-fields.js';
import {
  definitionOf,
  newCheckDraft,
  problemsOf,
  serviceDraftOf,
  type CheckDraft,
  type ServiceDraft,
} from './service-draft.js';

/** A template's inputs as typed; its check is a draft of the services editor, so both forms check alike. */
interface TemplateDraft {
  id: string;
  description: string;
  /** Comma-separated. */
  serviceTags: string;
  check: CheckDraft;
}

/** The services editor validates checks of a service; a template's one check is that service's first. */
const hostService = (check: CheckDraft): ServiceDraft => ({
  id: 'template',
  name: 'template',
  description: '',
  tags: '',
  checks: [check],
  supervise: undefined,
});

function templateDraftOf(template: CheckTemplate): TemplateDraft {
  const [check] = serviceDraftOf({
    id: template.id,
    name: template.id,
    description: '',
    tags: [],
    checks: [template.check],
  }).checks;
  return {
    id: template.id,
    description: template.description,
    serviceTags: template.serviceTags.join(', '),
    check: check!,
  };
}

const emptyTemplateDraft = (): TemplateDraft => ({
  id: '',
  description: '',
  serviceTags: '',
  check: newCheckDraft('ttl'),
});

const templateFields = new Set(['id', 'description', 'serviceTags']);

/**
 * Puts each issue next to its field: the template's own fields by name, the check's through the services
 * editor's mapping (`check.url` is that editor's `checks.0.url`). `value.` is the agent's request wrapper.
 */
function templateProblemsOf(issues: readonly RpcIssue[], draft: TemplateDraft): DraftProblems {
  const problems: DraftProblems = { fields: {}, other: [] };
  const checkIssues: RpcIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.replace(/^value(\.|$)/, '');
    const [head, ...rest] = path.split('.');
    if (head === 'check') checkIssues.push({ path: ['checks', '0', ...rest].join('.'), message: issue.message });
    else if (head !== undefined && templateFields.has(head)) problems.fields[head] ??= issue.message;
    else problems.other.push(`${path || '(template)'}: ${issue.message}`);
  }
  const fromCheck = problemsOf(checkIssues, hostService(draft.check));
  return { fields: { ...fromCheck.fields, ...problems.fields }, other: [...problems.other, ...fromCheck.other] };
}

type TemplateResult = { ok: true; template: CheckTemplate } | ({ ok: false } & DraftProblems);

/** Validates a draft with the shared schemas; the result is exactly what `fleet.checkTemplates.put` accepts. */
function templateOf(draft: TemplateDraft): TemplateResult {
  const checked = definitionOf(hostService(draft.check));
  const check: CheckDefinition | undefined = checked.ok ? checked.service.checks[0] : undefined;
  const parsed = CheckTemplate.safeParse({
    id: draft.id.trim(),
    description: draft.description,
    serviceTags: draft.serviceTags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    check,
  });
  const local: Record<string, string> = {};
  if (draft.id.trim() === '') local.id = 'Required';
  if (parsed.success && checked.ok && Object.keys(local).length === 0) return { ok: true, template: parsed.data };
  const own = parsed.success
    ? noProblems
    : templateProblemsOf(
        issuesOfZod(parsed.error).filter((issue) => issue.path.split('.')[0] !== 'check'),
        draft,
      );
  const fromCheck = checked.ok
    ? noProblems
    : {
        fields: Object.fromEntries(Object.entries(checked.fields).filter(([key]) => key.startsWith('checks.'))),
        other: checked.other,
      };
  return {
    ok: false,
    fields: { ...fromCheck.fields, ...own.fields, ...local },
    other: [...own.other, ...fromCheck.other],
  };
}

/** Adds a check template for the whole fleet, or edits one (its id is then fixed). */
export function CheckTemplateForm({ editing }: { editing: CheckTemplate | null }) {
  const client = useClient();
  const save = useCheckTemplatesStore((s) => s.put);
  const openEditor = useCheckTemplatesStore((s) => s.openEditor);
  const [draft, setDraft] = useState<TemplateDraft>(() => (editing ? templateDraftOf(editing) : emptyTemplateDraft()));
  const editor = useDraftSave();
  const { problems, refuse, save: saveDraft } = editor;

  const patch = (change: Partial<TemplateDraft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async () => {
    const result = templateOf(draft);
    if (!result.ok) return refuse(result);
    await saveDraft(
      () => save(client, result.template),
      (issues) => templateProblemsOf(issues, draft),
    );
  };

  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);
  return (
    <EditorForm
      editor={editor}
      variant="section"
      className="check-template-form"
      title={editing ? `Edit check template ${editing.id}` : 'Add check template'}
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the template', wrapper: 'value', testId: 'template-refusal' }}
      saveLabel={editing ? 'Save template' : 'Save template for the whole fleet'}
      onCancel={() => openEditor(null)}
    >
      <div className="field-row">
        <IdField
          noun="template"
          label="Template ID"
          {...bind('id')}
          editing={editing !== null}
          placeholder="e.g. batch-heartbeat"
        />
        <TextField
          label="Service tags"
          {...bind('serviceTags')}
          placeholder="batch, backend"
          hint="Comma-separated: every service carrying one of them gets the check, on every agent"
          spellCheck={false}
        />
      </div>
      <DescriptionField label="Template description" {...bind('description')} />
      <CheckFields
        index={0}
        draft={draft.check}
        errors={errors}
        onChange={(change) => patch({ check: { ...draft.check, ...change } })}
        // A template has exactly one check: its remove button is hidden by the section's styles.
        onRemove={() => patch({ check: newCheckDraft(draft.check.type) })}
      />
    </EditorForm>
  );
}
