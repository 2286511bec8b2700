import { RpcCallError } from '../../shared/client.js';
import type { RpcIssue } from '../../shared/rpc.js';

/** An action refused by the agent: its message, and the fields it named, if any. */
export interface Refusal {
  message: string;
  issues: RpcIssue[];
}

/** What a store action hands back to the view that asked: its value, or why the agent refused. */
export type Outcome<T = void> = { ok: true; value: T } | ({ ok: false } & Refusal);

/** The agent's own wording for a refused call, without the method name `RpcCallError` puts in front of it. */
export const messageOf = (error: unknown): string =>
  error instanceof RpcCallError ? error.error.message : error instanceof Error ? error.message : String(error);

/** The fields a refused call named; none for anything that is not the agent's answer. */
export const issuesOf = (error: unknown): RpcIssue[] =>
  error instanceof RpcCallError ? (error.error.issues ?? []) : [];

export const refusalOf = (error: unknown): { ok: false } & Refusal => ({
  ok: false,
  message: messageOf(error),
  issues: issuesOf(error),
});

/** Runs an action and hands back its value, or the refusal it ended in: a store action never rejects at a view. */
export async function outcomeOf<T>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return refusalOf(error);
  }
}
