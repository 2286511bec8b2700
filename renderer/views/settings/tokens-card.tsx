import { useEffect, useState, type FormEvent } from 'react';
import type { ApiToken, Scope } from '../../../shared/auth.js';
import { useClient } from '../../client/client-context.js';
import type { Outcome } from '../../client/outcome.js';
import { Card } from '../../components/card.js';
import { useConfirmedDelete } from '../../components/confirm-delete.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import { Timestamp } from '../../components/timestamp.js';
import { tokensSelectors, useTokensStore } from '../../stores/tokens-store.js';
import './tokens-card.css';

const scopeOptions: ReadonlyArray<{ value: Scope; label: string }> = [
  { value: 'read', label: 'read — views and metrics' },
  { value: 'operate', label: 'operate — also acknowledge, run checks, cancel tasks' },
  { value: 'admin', label: 'admin — also config, fleet values, backend, tokens' },
];

function CreateTokenForm() {
  const client = useClient();
  const { create } = useTokensStore.getState();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await create(client, { name: name.trim(), scope });
    if (outcome.ok) setName('');
    setError(outcome.ok ? null : outcome.message);
  };
  return (
    <form className="tokens-create" onSubmit={(event) => void submit(event)} aria-label="Create a token">
      <TextField
        label="Name"
        value={name}
        placeholder="e.g. grafana"
        spellCheck={false}
        error={error ?? undefined}
        onChange={(value) => {
          setName(value);
          setError(null);
        }}
      />
      <SelectField<Scope> label="Scope" value={scope} options={scopeOptions} onChange={(next) => setScope(next)} />
      <button type="submit" className="button button-primary" disabled={name.trim() === ''}>
        Create token
      </button>
    </form>
  );
}

/** The secret of the token just created, with a copy button: shown here once, never again. */
function CreatedSecret() {
  const created = useTokensStore(tokensSelectors.created);
  const { dismissCreated } = useTokensStore.getState();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  if (!created) return null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="notice notice-success tokens-secret" role="status" data-testid="token-secret">
      <p>
        Token <strong>{created.token.name}</strong> ({created.token.scope}) created. Copy it now: it is not shown again.
      </p>
      <code data-testid="token-secret-value">{created.secret}</code>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the text' : 'Copy'}
        </button>
        <button type="button" className="button button-quiet" onClick={dismissCreated}>
          Done
        </button>
      </div>
    </div>
  );
}

function TokenRow({ token, revoke }: { token: ApiToken; revoke(): Promise<Outcome> }) {
  const removal = useConfirmedDelete(revoke);
  return (
    <tr data-testid="token-row" data-name={token.name} data-revoked={token.revokedAt !== null}>
      <td>{token.name}</td>
      <td>{token.scope}</td>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>
        <Timestamp epochMs={token.createdAt} />
      </td>
      <td>
        {token.lastUsedAt === null ? <span className="muted">Never</span> : <Timestamp epochMs={token.lastUsedAt} />}
      </td>
      <td>
        {token.revokedAt !== null ? (
          <span className="muted">
            Revoked <Timestamp epochMs={token.revokedAt} />
          </span>
        ) : removal.confirming ? (
          <span className="confirm-inline" role="group" aria-label={`Confirm revoking ${token.name}`}>
            <span>Whatever uses it is refused from now on.</span>
            <button
              type="button"
              className="button button-danger"
              disabled={removal.busy}
              onClick={() => void removal.confirm()}
            >
              Revoke {token.name}
            </button>
            <button type="button" className="button button-quiet" onClick={removal.cancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button button-danger-quiet" onClick={removal.ask}>
            Revoke
          </button>
        )}
        {removal.refusal && (
          <p className="field-error" role="alert">
            {removal.refusal}
          </p>
        )}
      </td>
    </tr>
  );
}

/** Settings → Tokens: the API tokens other machines and browsers use to reach this agent. */
export function TokensCard() {
  const client = useClient();
  const tokens = useTokensStore(tokensSelectors.tokens);
  const loaded = useTokensStore(tokensSelectors.loaded);
  const error = useTokensStore(tokensSelectors.error);
  const { load, revoke } = useTokensStore.getState();
  useEffect(() => {
    void load(client);
  }, [client, load]);

  return (
    <Card
      title="Tokens"
      description="Bearer tokens for this agent's API: needed on every request when it listens beyond loopback. A token is shown once, when created; only its first characters are kept in clear."
      count={loaded ? `${tokens.filter((t) => t.revokedAt === null).length} active` : undefined}
      errorLead="Could not read the tokens"
      error={error}
      loading={!loaded && !error}
      testId="tokens-card"
    >
      <CreatedSecret />
      <CreateTokenForm />
      <DataTable
        columns={['Name', 'Scope', 'Prefix', 'Created', 'Last used', '']}
        testId="tokens-table"
        empty={tokens.length === 0 ? 'No tokens.' : undefined}
      >
        {tokens.map((token) => (
          <TokenRow key={token.id} token={token} revoke={() => revoke(client, token.id)} />
        ))}
      </DataTable>
    </Card>
  );
}
