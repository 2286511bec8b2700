import { useEffect, useId, type FormEvent } from 'react';
import { Facts } from '../../components/facts.js';
import { ErrorNotice } from '../../components/card.js';
import type { BackendUpdate, ClusterSettings } from '../../../shared/cluster-settings.js';
import { useClient } from '../../client/client-context.js';
import { DurationField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import {
  backendFromDraft,
  clusterConnectionSelectors,
  useClusterConnectionStore,
} from '../../stores/cluster-connection-store.js';

const kindOptions = [
  { value: 'etcd' as const, label: 'etcd' },
  { value: 'local' as const, label: 'Local (embedded, single node)' },
];

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The same configuration as it goes in fleetdeck.yaml, and as flags where flags exist for it. */
function howToApply(backend: BackendUpdate): { yaml: string; flags: string } {
  if (backend.kind === 'local') return { yaml: 'backend:\n  kind: local', flags: '--backend local' };
  const lines = ['backend:', '  kind: etcd', `  endpoints: [${backend.endpoints.map(quote).join(', ')}]`];
  if (backend.tls) {
    lines.push('  tls:', `    caFile: ${quote(backend.tls.caFile)}`);
    if (backend.tls.certFile) lines.push(`    certFile: ${quote(backend.tls.certFile)}`);
    if (backend.tls.keyFile) lines.push(`    keyFile: ${quote(backend.tls.keyFile)}`);
  }
  // The password is never echoed back onto the screen.
  if (backend.auth)
    lines.push('  auth:', `    username: ${quote(backend.auth.username)}`, '    password: <the password>');
  lines.push(`  dialTimeoutMs: ${backend.dialTimeoutMs}`);
  return { yaml: lines.join('\n'), flags: `--backend etcd --etcd-endpoints ${backend.endpoints.join(',')}` };
}

const describeBackend = (backend: ClusterSettings['backend']) =>
  backend.kind === 'local' ? 'the embedded local backend' : `etcd at ${backend.endpoints.join(', ')}`;

/** Where the backend in use came from, in one sentence. */
function CurrentBackend({ settings }: { settings: ClusterSettings }) {
  const source = settings.pinnedBy ? (
    <>
      set by <code>{settings.pinnedBy}</code>
    </>
  ) : settings.saved ? (
    'saved from Settings'
  ) : (
    'from the config file or the defaults'
  );
  return (
    <p className="settings-current" data-testid="cluster-settings-current">
      This agent runs on <strong>{describeBackend(settings.backend)}</strong>, {source}.
    </p>
  );
}

/**
 * The coordination backend of this agent: filled from the agent, tried with "Test connection" (nothing
 * changes), saved with "Save and reconnect" (the agent restarts on it in place), unless a flag pins it.
 */
export function ClusterConnectionForm() {
  const client = useClient();
  const draft = useClusterConnectionStore(clusterConnectionSelectors.draft);
  const errors = useClusterConnectionStore(clusterConnectionSelectors.fieldErrors);
  const testing = useClusterConnectionStore(clusterConnectionSelectors.testing);
  const result = useClusterConnectionStore(clusterConnectionSelectors.result);
  const tested = useClusterConnectionStore(clusterConnectionSelectors.tested);
  const testedAt = useClusterConnectionStore(clusterConnectionSelectors.testedAt);
  const error = useClusterConnectionStore(clusterConnectionSelectors.error);
  const settings = useClusterConnectionStore(clusterConnectionSelectors.settings);
  const settingsError = useClusterConnectionStore(clusterConnectionSelectors.settingsError);
  const pinnedBy = useClusterConnectionStore(clusterConnectionSelectors.pinnedBy);
  const passwordSaved = useClusterConnectionStore(clusterConnectionSelectors.passwordSaved);
  const saving = useClusterConnectionStore(clusterConnectionSelectors.saving);
  const saved = useClusterConnectionStore(clusterConnectionSelectors.saved);
  const savedAt = useClusterConnectionStore(clusterConnectionSelectors.savedAt);
  const saveError = useClusterConnectionStore(clusterConnectionSelectors.saveError);
  const { edit, test, save, loadSettings } = useClusterConnectionStore.getState();
  const headingId = useId();
  const noteId = useId();

  useEffect(() => {
    void loadSettings(client);
  }, [client, loadSettings]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void test(client);
  };
  const valid = backendFromDraft(draft, passwordSaved);
  const apply = valid.ok ? howToApply(valid.backend) : null;

  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Coordination backend</h2>
      </header>
      {settings && <CurrentBackend settings={settings} />}
      <ErrorNotice lead="Could not read this agent's backend" error={settingsError} />
      {pinnedBy ? (
        <p className="settings-note settings-note-pinned" id={noteId} data-testid="cluster-settings-pinned">
          The backend is set by <code>{pinnedBy}</code> where this agent was started, and that overrides Settings, so it
          cannot be saved here. Change or remove it there and restart the agent; you can still test a configuration
          below.
        </p>
      ) : (
        <p className="settings-note" id={noteId}>
          <strong>Save and reconnect</strong> stores the backend on the agent&apos;s machine
          {settings?.savedFile && (
            <>
              {' '}
              (<code>{settings.savedFile}</code>)
            </>
          )}{' '}
          and restarts the agent on it at once: it leaves its current fleet and joins through the new backend. The saved
          backend overrides <code>backend:</code> in the config file; flags and <code>FLEETDECK_*</code> variables
          override it. <strong>Test connection</strong> only tries a configuration.
        </p>
      )}
      <form
        className="settings-form"
        aria-labelledby={headingId}
        aria-describedby={noteId}
        onSubmit={submit}
        noValidate
      >
        <div className="field-row">
          <SelectField label="Backend" value={draft.kind} options={kindOptions} onChange={(kind) => edit({ kind })} />
          {draft.kind === 'etcd' && (
            <DurationField
              label="Dial timeout"
              unit="ms"
              value={draft.dialTimeoutMs}
              placeholder="3s"
              onChange={(dialTimeoutMs) => edit({ dialTimeoutMs })}
              error={errors.dialTimeoutMs}
            />
          )}
        </div>
        {draft.kind === 'etcd' && (
          <>
            <TextAreaField
              label="Endpoints"
              value={draft.endpoints}
              onChange={(endpoints) => edit({ endpoints })}
              placeholder={'https://10.0.0.1:2379\nhttps://10.0.0.2:2379'}
              rows={3}
              monospace
              hint="etcd client URLs (http:// or https://), separated by commas or line breaks."
              error={errors.endpoints}
            />
            <fieldset className="settings-fieldset">
              <legend>TLS (optional)</legend>
              <div className="field-row">
                <TextField
                  label="CA file"
                  value={draft.caFile}
                  onChange={(caFile) => edit({ caFile })}
                  placeholder="/etc/fleetdeck/etcd-ca.pem"
                  spellCheck={false}
                  error={errors.caFile}
                />
                <TextField
                  label="Client certificate file"
                  value={draft.certFile}
                  onChange={(certFile) => edit({ certFile })}
                  placeholder="/etc/fleetdeck/client.pem"
                  spellCheck={false}
                  error={errors.certFile}
                />
                <TextField
                  label="Client key file"
                  value={draft.keyFile}
                  onChange={(keyFile) => edit({ keyFile })}
                  placeholder="/etc/fleetdeck/client.key"
                  spellCheck={false}
                  error={errors.keyFile}
                />
              </div>
              <p className="field-hint">PEM files on the agent&apos;s machine; certificate and key go together.</p>
            </fieldset>
            <fieldset className="settings-fieldset">
              <legend>Authentication (optional)</legend>
              <div className="field-row">
                <TextField
                  label="Username"
                  value={draft.username}
                  onChange={(username) => edit({ username })}
                  autoComplete="off"
                  spellCheck={false}
                  error={errors.username}
                />
                <TextField
                  label="Password"
                  type="password"
                  value={draft.password}
                  onChange={(password) => edit({ password })}
                  placeholder={passwordSaved ? 'saved' : undefined}
                  autoComplete="new-password"
                  hint={
                    passwordSaved
                      ? 'Leave empty to keep the saved password (same user name and endpoints only).'
                      : undefined
                  }
                  error={errors.password}
                />
              </div>
            </fieldset>
          </>
        )}
        {errors.form && <p className="field-error">{errors.form}</p>}
        <div className="form-actions">
          <button type="submit" className="button" disabled={testing || saving}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={saving || testing || settings === null || pinnedBy !== null}
            aria-describedby={pinnedBy ? noteId : undefined}
            onClick={() => void save(client)}
          >
            {saving ? 'Reconnecting…' : 'Save and reconnect'}
          </button>
        </div>
      </form>

      <div className="settings-result" role="status" aria-live="polite" data-testid="cluster-save-result">
        {saveError && (
          <p className="notice notice-error" data-outcome="error">
            <strong>Not saved:</strong> {saveError}
          </p>
        )}
        {saved && (
          <p className="notice notice-success" data-outcome="saved" data-backend={saved.backend}>
            <strong>Saved and reconnected</strong>
            {savedAt !== null && (
              <>
                {' '}
                at <Timestamp epochMs={savedAt} />
              </>
            )}
            . The agent now runs on {saved.backend === 'etcd' ? 'etcd' : 'the local backend'}; its connection state is
            shown under Cluster connection.
          </p>
        )}
      </div>

      <div className="settings-result" role="status" aria-live="polite" data-testid="cluster-test-result">
        {error && (
          <p className="notice notice-error" data-outcome="error">
            Could not run the test: {error}
          </p>
        )}
        {result?.ok === true && (
          <div className="notice notice-success" data-outcome="ok">
            <p>
              <strong>Reachable.</strong>{' '}
              {tested?.kind === 'etcd' ? tested.endpoints.join(', ') : 'The embedded backend'} answered
              {testedAt !== null && (
                <>
                  {' '}
                  at <Timestamp epochMs={testedAt} />
                </>
              )}
              .
            </p>
            <Facts
              className="facts facts-compact settings-result-facts"
              facts={[
                { label: 'Authentication', value: result.authenticated ? 'OK (signed in)' : 'Not used' },
                {
                  label: 'Cluster id',
                  value: <code>{result.clusterId}</code>,
                },
                { label: 'Members', value: result.memberCount },
                { label: 'Version', value: result.version },
              ]}
            />
          </div>
        )}
        {result?.ok === false && (
          <p className="notice notice-error" data-outcome="failed">
            <strong>Failed:</strong> {result.error}
          </p>
        )}
      </div>

      {apply && (
        <details className="settings-apply">
          <summary>The same configuration for a config file or flags</summary>
          <p>
            For nodes set up from files, in <code>fleetdeck.yaml</code>:
          </p>
          <pre>
            <code>{apply.yaml}</code>
          </pre>
          <p>Or as flags (TLS and authentication only from the config file):</p>
          <pre>
            <code>fleetdeck agent {apply.flags}</code>
          </pre>
        </details>
      )}
    </section>
  );
}
