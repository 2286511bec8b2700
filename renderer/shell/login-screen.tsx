import { useState, type FormEvent } from 'react';
import { TextField } from '../components/form-fields.js';
import { logIn } from '../client/session.js';
import './login-screen.css';

/**
 * Shown instead of the app when the agent's API needs a token and this browser has no session (or its session
 * ended). The token is sent once to `/auth/session`, which answers with an HttpOnly cookie; it is not kept here.
 */
export function LoginScreen({ baseUrl, onLoggedIn }: { baseUrl: string; onLoggedIn(): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const outcome = await logIn(baseUrl, token.trim());
    setBusy(false);
    if (outcome.ok) onLoggedIn();
    else setError(outcome.message);
  };

  return (
    <main className="login-screen">
      <form className="card login-card" onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Fleetdeck</h1>
        <p className="muted">
          This agent&apos;s API needs a token. Paste one from <code>fleetdeck token create</code>, Settings → Tokens on
          another window, or the one printed at the agent&apos;s first start.
        </p>
        <TextField
          label="Token"
          type="password"
          value={token}
          placeholder="fd_…"
          autoComplete="off"
          spellCheck={false}
          error={error ?? undefined}
          onChange={(value) => {
            setToken(value);
            setError(null);
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || token.trim() === ''}>
            Log in
          </button>
        </div>
      </form>
    </main>
  );
}
