import type { CheckDefinition } from '../../../shared/services.js';
import { errorMessage } from '../../core/errors.js';
import { abortedOutcome, outcome, type CheckContext, type CheckOutcome } from './checker.js';
import { checkGrpc, closeGrpcClients } from './grpc-checker.js';
import { checkHttp, closeHttpConnections } from './http-checker.js';
import { checkScript } from './script-checker.js';
import { checkTcp } from './tcp-checker.js';

export type TimedCheckOutcome = CheckOutcome & { latencyMs: number };

/**
 * Runs one attempt of a check within its `timeoutMs`. Never rejects: a timeout is critical ("timed out after N ms"),
 * a run cancelled through `ctx.signal` is unknown, and anything a checker throws is unknown with its message.
 * TTL checks are pushed (`checks.report`), not run: asked to run one, this answers unknown rather than throwing,
 * so callers keep a single never-rejecting path.
 */
export async function runCheck(check: CheckDefinition, ctx: CheckContext): Promise<TimedCheckOutcome> {
  const startedAt = performance.now();
  // Combined by hand, not with AbortSignal.any: on Node 20 every any() stays attached to the long-lived agent
  // signal until that aborts (nodejs/node#55351), a leak at thousands of runs a second.
  const run = new AbortController();
  const stop = () => run.abort(ctx.signal.reason);
  const timer = setTimeout(
    () => run.abort(new DOMException(`timed out after ${check.timeoutMs} ms`, 'TimeoutError')),
    check.timeoutMs,
  );
  ctx.signal.addEventListener('abort', stop, { once: true });
  if (ctx.signal.aborted) stop();
  try {
    const attempt = dispatch(check, { ...ctx, signal: run.signal }).catch((error: unknown) =>
      outcome('unknown', `checker failed: ${errorMessage(error)}`),
    );
    // A checker that ignores its signal still cannot hold the run past the timeout.
    const result = await Promise.race([attempt, whenAborted(run.signal).then(() => abortedOutcome(check, run.signal))]);
    return { ...result, latencyMs: performance.now() - startedAt };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', stop);
  }
}

/** Releases pooled connections (keep-alive sockets, gRPC channels); for the agent's stop. */
export function closeCheckConnections(): void {
  closeHttpConnections();
  closeGrpcClients();
}

async function dispatch(check: CheckDefinition, ctx: CheckContext): Promise<CheckOutcome> {
  switch (check.type) {
    case 'http':
      return checkHttp(check, ctx);
    case 'tcp':
      return checkTcp(check, ctx);
    case 'grpc':
      return checkGrpc(check, ctx);
    case 'script':
      return checkScript(check, ctx);
    case 'ttl':
      return outcome('unknown', 'TTL checks are reported, not run');
  }
}

const whenAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
