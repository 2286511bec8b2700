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
