import { z } from 'zod';
import { Scope } from '../auth.js';

/** Who is calling: every handler and the dispatcher's `onCall` hook get it, so auth, audit and limits need one place. */
export const CallerContext = z.object({
  transport: z.enum(['ipc', 'http']),
  /** The peer's address for HTTP; null for IPC (the app's own window). */
  remote: z.string().nullable(),
  /**
   * Who the caller authenticated as: a token's name, `fleet` for another member using the fleet credential, or
   * `desktop` for the app's own window. Absent for an unauthenticated loopback caller (API bound to loopback).
   */
  principal: z.string().optional(),
  /** What the caller may do; absent means no authentication applies (loopback-bound API, IPC). */
  scope: Scope.optional(),
  /**
   * The person (or token) a member relayed this call for (`cluster.call` on another node): sent by the relaying node
   * and believed only from a caller that holds the fleet credential. What records name instead of `fleet`.
   */
  onBehalfOf: z.string().min(1).max(200).optional(),
});
export type CallerContext = z.infer<typeof CallerContext>;

/** The name a caller acts under in records (audit, acknowledgements, silences): its principal, else how it came. */
export const callerName = (caller: CallerContext): string =>
  caller.onBehalfOf ?? caller.principal ?? (caller.transport === 'ipc' ? 'desktop' : 'loopback');

/** The header a relaying member names its caller in. */
export const onBehalfOfHeader = 'x-fleetdeck-on-behalf-of';
