import type { RpcErrorCode, RpcIssue } from '../../shared/rpc.js';

/**
 * A refusal the caller can act on (bad input, not found, conflict), thrown by any layer. The dispatcher
 * passes its code and message to the client as they are; any other error becomes an opaque internal error.
 */
export class CodedError extends Error {
  constructor(
    readonly code: Exclude<RpcErrorCode, 'internal'>,
    message: string,
    readonly issues?: RpcIssue[],
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

/** One line for logs and fleet-wide error reports: the message, and each issue's field and reason. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const issues = error instanceof CodedError ? (error.issues ?? []) : [];
  return [error.message, ...issues.map((issue) => `${issue.path}: ${issue.message}`)].join('; ');
}
