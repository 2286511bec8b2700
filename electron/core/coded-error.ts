import type { RpcErrorCode, RpcIssue } from '../../shared/rpc.js';

/** Thrown by a handler to fail a call with a code the client may act on (not found, conflict, ...). */
export class RpcFailure extends Error {
  constructor(
    readonly code: Exclude<RpcErrorCode, 'internal'>,
    message: string,
    readonly issues?: RpcIssue[],
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}
