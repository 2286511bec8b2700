import { RpcErrorBody } from '../../shared/rpc.js';
import { SessionStatus } from '../../shared/auth.js';

/**
 * The browser UI's session with an agent whose API needs a token: `GET /auth/session` says whether one is needed
 * and who this browser is; `POST` trades a token for an HttpOnly cookie. null: the agent answers without sessions.
 */
export async function sessionStatus(baseUrl: string): Promise<SessionStatus | null> {
  try {
    const response = await fetch(`${baseUrl}/auth/session`);
    if (!response.ok) return null;
    const status = SessionStatus.safeParse(await response.json());
    return status.success ? status.data : null;
  } catch {
    return null;
  }
}

/** Whether this browser must log in before the UI can reach the agent. */
export const mustLogIn = (status: SessionStatus | null): boolean =>
  status !== null && status.required && !status.principal;

/** Logs in with a token; on refusal, the agent's reason. */
export async function logIn(baseUrl: string, token: string): Promise<{ ok: true } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  } catch (error) {
    return { ok: false, message: `cannot reach the agent: ${String(error)}` };
  }
  if (response.ok) return { ok: true };
  const failure = RpcErrorBody.safeParse(await response.json().catch(() => undefined));
  return { ok: false, message: failure.success ? failure.data.error.message : `HTTP ${response.status}` };
}
