import { useId, type FormEvent } from 'react';
import type { BackendConfig } from '../../../shared/config.js';
import { useClient } from '../../client/client-context.js';
import { SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
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
function howToApply(backend: BackendConfig): { yaml: string; flags: string } {
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

/** Tries a coordination backend from this agent, without switching to it. */
export function ClusterConnectionForm() {
  const client = useClient();
  const draft = useClusterConnectionStore(clusterConnectionSelectors.draft);
  const errors = useClusterConnectionStore(clusterConnectionSelectors.fieldErrors);
  const testing = useClusterConnectionStore(clusterConnectionSelectors.testing);
  const result = useClusterConnectionStore(clusterConnectionSelectors.result);
  const tested = useClusterConnectionStore(clusterConnectionSelectors.tested);
  const testedAt = useClusterConnectionStore(clusterConnectionSelectors.testedAt);
  const error = useClusterConnectionStore(clusterConnectionSelectors.error);
  const { edit, test } = useClusterConnectionStore.getState();
  const headingId = useId();
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void test(client);
  };
  const valid = backendFromDraft(draft);
  const apply = valid.ok ? howToApply(valid.backend) : null;

  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Test a cluster connection</h2>
      </header>
      <p className="settings-note" id={noteId}>
        The backend is chosen when the agent starts: from the config file (<code>backend:</code> in{' '}
        <code>fleetdeck.yaml</code>) or from flags such as <code>--backend etcd --etcd-endpoints …</code>, applied on
        restart. This form tests a configuration from this agent; it does not switch the running one.
      </p>
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
            <TextField
              label="Dial timeout (ms)"
              type="number"
              min={100}
              step={100}
              value={draft.dialTimeoutMs}
              placeholder="3000"
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
                  autoComplete="new-password"
                  error={errors.password}
                />
              </div>
            </fieldset>
          </>
        )}
        {errors.form && <p className="field-error">{errors.form}</p>}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
        </div>
      </form>

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
            <dl className="facts facts-compact settings-result-facts">
              <div>
                <dt>Authentication</dt>
                <dd>{result.authenticated ? 'OK (signed in)' : 'Not used'}</dd>
              </div>
              <div>
                <dt>Cluster id</dt>
                <dd>
                  <code>{result.clusterId}</code>
                </dd>
              </div>
              <div>
                <dt>Members</dt>
                <dd>{result.memberCount}</dd>
              </div>
              <div>
                <dt>Version</dt>
                <dd>{result.version}</dd>
              </div>
            </dl>
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
          <summary>How to apply this configuration</summary>
          <p>In the config file:</p>
          <pre>
            <code>{apply.yaml}</code>
          </pre>
          <p>Or as flags (TLS and authentication only from the config file), then restart the agent or the app:</p>
          <pre>
            <code>fleetdeck agent {apply.flags}</code>
          </pre>
        </details>
      )}
    </section>
  );
}
