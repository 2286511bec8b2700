import { z } from 'zod';

/** Who is calling: every handler and the dispatcher's `onCall` hook get it, so auth, audit and limits need one place. */
export const CallerContext = z.object({
  transport: z.enum(['ipc', 'http']),
  /** The peer's address for HTTP; null for IPC (the app's own window). */
  remote: z.string().nullable(),
  /** Who the caller authenticated as, once authentication exists. */
  principal: z.string().optional(),
});
export type CallerContext = z.infer<typeof CallerContext>;
