import { useState } from 'react';
import { ChannelType, NotificationSeverity, type ChannelShown } from '../../../shared/notifications.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { IdField } from '../../components/identity-fields.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { fleetChannels } from '../../stores/channels-store.js';
import {
  channelDraftOf,
  channelOf,
  channelProblemsOf,
  channelTypeLabels,
  emptyChannelDraft,
  secretPaths,
  type ChannelDraft,
  type SecretSource,
} from './channels-draft.js';

const typeOptions = ChannelType.options.map((value) => ({ value, label: channelTypeLabels[value] }));
const severityOptions = NotificationSeverity.options.map((value) => ({
  value,
  label: `${value[0]?.toUpperCase()}${value.slice(1)} and above`,
}));
const securityOptions = [
  { value: 'starttls' as const, label: 'STARTTLS (required)' },
  { value: 'tls' as const, label: 'TLS from the start' },
  { value: 'none' as const, label: 'None (a local relay)' },
];
const secretLabels: Record<ChannelType, string> = {
  webhook: 'Signing secret (HMAC-SHA256)',
  slack: 'Incoming-webhook URL',
  email: 'SMTP password',
  desktop: '',
  log: '',
};

/** The secret's source and its value, variable name or file path; a stored value is never shown. */
function SecretFields({
  draft,
  patch,
  error,
}: {
  draft: ChannelDraft;
  patch(change: Partial<ChannelDraft>): void;
  error: string | undefined;
}) {
  const optional = draft.type !== 'slack';
  const sources: { value: SecretSource; label: string }[] = [
    ...(optional ? [{ value: 'none' as const, label: 'None' }] : []),
    { value: 'value', label: 'Typed here' },
    { value: 'env', label: 'Environment variable on the sending node' },
    { value: 'file', label: 'File on the sending node (in files.readDirs)' },
  ];
  const stored = draft.secretStored && draft.secretSource === 'value';
  return (
    <div className="field-row">
      <SelectField
        label={`${secretLabels[draft.type]}: from`}
        value={draft.secretSource}
        options={sources}
        onChange={(secretSource) => patch({ secretSource, secret: '' })}
      />
      {draft.secretSource !== 'none' && (
        <TextField
          label={draft.secretSource === 'env' ? 'Variable name' : draft.secretSource === 'file' ? 'File path' : 'Value'}
          type={draft.secretSource === 'value' ? 'password' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={draft.secret}
          onChange={(secret) => patch({ secret })}
          placeholder={stored ? 'set — leave empty to keep' : undefined}
          hint={stored ? 'A value is stored; it is never shown. Leave empty to keep it.' : undefined}
          error={error}
        />
      )}
    </div>
  );
}

/** Adds a notification channel for the whole fleet, or edits one (its id is then fixed). */
export function ChannelForm({ editing }: { editing: ChannelShown | null }) {
  const client = useClient();
  const saveChannel = fleetChannels.useStore((s) => s.put);
  const openEditor = fleetChannels.useStore((s) => s.openEditor);
  const [draft, setDraft] = useState<ChannelDraft>(() => (editing ? channelDraftOf(editing) : emptyChannelDraft()));
  const editor = useDraftSave();
  const { problems, refuse, save } = editor;
  const patch = (change: Partial<ChannelDraft>) => setDraft((current) => ({ ...current, ...change }));
  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);
  const secretPath = secretPaths[draft.type];

  const submit = async () => {
    const result = channelOf(draft);
    if (!result.ok) return refuse(result);
    await save(() => saveChannel(client, result.value), channelProblemsOf);
  };

  return (
    <EditorForm
      editor={editor}
      className="channel-form"
      testId="channel-form"
      title={editing ? `Edit channel ${editing.name}` : 'Add notification channel'}
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the channel', wrapper: 'value', testId: 'channel-refusal' }}
      saveLabel={editing ? 'Save changes' : 'Save for the whole fleet'}
      onCancel={() => openEditor(null)}
    >
      <p className="field-hint">
        The leader sends each alert transition once for the whole fleet through every channel that matches. Secrets
        typed here are stored in the fleet’s configuration; an environment variable or file is read on the leader when
        it sends.
      </p>
      <div className="field-row">
        <IdField
          noun="channel"
          value={draft.id}
          onChange={(id) => patch({ id })}
          editing={editing !== null}
          placeholder="e.g. ops-webhook"
          error={errors.id}
        />
        <TextField label="Name" {...bind('name')} placeholder="Ops webhook" />
        <SelectField
          label="Type"
          value={draft.type}
          options={typeOptions}
          onChange={(type) => patch({ type, secretSource: type === 'slack' ? 'value' : 'none', secret: '' })}
        />
      </div>
      <div className="field-row">
        <SelectField label="Minimum severity" {...bind('minSeverity')} options={severityOptions} />
        <TextField
          label="Repeat while firing (minutes)"
          type="number"
          min={1}
          {...bind('repeatMinutes', 'repeatIntervalSeconds')}
          hint="Empty: tell once"
        />
        <CheckboxField label="Enabled" checked={draft.enabled} onChange={(enabled) => patch({ enabled })} />
      </div>
      <TextAreaField
        label="Label matchers"
        monospace
        {...bind('matchers')}
        placeholder={'service=api\nnode!=web-1\nrule=~disk-.*'}
        hint="One a line, all must hold: =, !=, =~ (regex), !~. Labels: the alert’s, plus node, rule and severity."
      />

      {draft.type === 'webhook' && (
        <>
          <TextField label="URL" type="url" {...bind('url', 'settings.url')} placeholder="https://hooks.example/fd" />
          <TextAreaField
            label="Extra headers"
            monospace
            {...bind('headers', 'settings.headers')}
            placeholder="Authorization: Bearer …"
            hint="One a line: Name: value"
          />
        </>
      )}
      {draft.type === 'slack' && (
        <TextField label="Post as (username)" {...bind('username', 'settings.username')} placeholder="fleetdeck" />
      )}
      {draft.type === 'email' && (
        <>
          <div className="field-row">
            <TextField label="SMTP host" {...bind('host', 'settings.host')} placeholder="smtp.example.com" />
            <TextField label="Port" type="number" min={1} {...bind('port', 'settings.port')} />
            <SelectField label="Security" {...bind('security', 'settings.security')} options={securityOptions} />
          </div>
          <div className="field-row">
            <TextField label="From" {...bind('from', 'settings.from')} placeholder="fleetdeck@example.com" />
            <TextField label="To" {...bind('to', 'settings.to')} placeholder="oncall@example.com, lead@example.com" />
          </div>
          <div className="field-row">
            <TextField label="SMTP user" {...bind('user', 'settings.auth.user')} autoComplete="off" />
            <TextField
              label="CA file"
              {...bind('caFile', 'settings.caFile')}
              hint="Optional; a path inside the sending node’s files.readDirs"
            />
          </div>
        </>
      )}
      {secretPath && <SecretFields draft={draft} patch={patch} error={errors[secretPath]} />}
    </EditorForm>
  );
}
