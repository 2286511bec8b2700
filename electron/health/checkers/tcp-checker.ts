import { connect } from 'node:net';
import { errorMessage } from '../../core/errors.js';
import { abortedOutcome, elapsedMs, outcome, type CheckContext, type CheckOf, type CheckOutcome } from './checker.js';

/** Passing when a TCP connection to host:port opens; it is closed straight away. */
export function checkTcp(check: CheckOf<'tcp'>, ctx: CheckContext): Promise<CheckOutcome> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.resolve(abortedOutcome(check, signal));
  const target = `${check.host}:${check.port}`;
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: check.host, port: check.port });
    let settled = false;
    const finish = (result: CheckOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish(abortedOutcome(check, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(outcome('passing', `TCP connect to ${target} in ${elapsedMs(startedAt)} ms`)));
    socket.on('error', (error) =>
      finish(outcome('critical', `TCP connect to ${target} failed: ${errorMessage(error)}`)),
    );
  });
}
