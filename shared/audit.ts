import { z } from 'zod';
import { EpochMs } from './ids.js';

export const AuditOutcome = z.enum(['ok', 'error']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** Stored params longer than this (as JSON) are cut to it, and the record says so. */
export const auditParamsMaxChars = 4096;

/** One mutating call (or attempt at one) on this node: who, what, when, from where, with what, and how it ended. */
export const AuditRecord = z.object({
  id: z.number().int().positive(),
  /** When the call was answered (the node's wall clock). */
  at: EpochMs,
  /** A token's name, `fleet`, `desktop` (the app's window), or `loopback` (no authentication applied). */
  principal: z.string(),
  transport: z.enum(['ipc', 'http']),
  /** The peer's address over HTTP; null over IPC. */
  remote: z.string().nullable(),
  method: z.string(),
  /** For `cluster.call`: the member it was relayed to and the method called there. */
  target: z.object({ memberId: z.string(), method: z.string() }).nullable(),
  /**
   * The params with every secret-like field (password, secret, token, key, authorization, credential) replaced
   * by "***"; when `paramsTruncated`, the first characters of their JSON text instead.
   */
  params: z.unknown(),
  paramsTruncated: z.boolean(),
  outcome: AuditOutcome,
  /** The RPC error code (`forbidden`, `invalid_request`, …) and message of a call that failed. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  durationMs: z.number().nonnegative(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** What `audit.list` and `audit.export` narrow the log to; every part optional. */
export const AuditFilter = z
  .object({
    principal: z.string().min(1).max(128).optional(),
    /** Matches the method, or the relayed method of a `cluster.call`. */
    methodPrefix: z.string().min(1).max(100).optional(),
    outcome: AuditOutcome.optional(),
    /** Records at or after this time. */
    from: EpochMs.optional(),
    /** Records before this time. */
    to: EpochMs.optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditListQuery = AuditFilter.extend({
  limit: z.number().int().min(1).max(500).default(100),
  /** A record id: lists only older records (newest first paging). */
  before: z.number().int().positive().optional(),
}).strict();
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** Records one export answer holds at most; `more` says to ask again from `nextAfter`. */
export const auditExportChunk = 5000;

export const AuditExportQuery = AuditFilter.extend({
  /** A record id: exports only newer records (oldest first, so a caller can continue where an answer ended). */
  after: z.number().int().nonnegative().optional(),
}).strict();
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;

export const AuditExport = z.object({
  /** One JSON `AuditRecord` a line, oldest first, each line ending in "\n". */
  text: z.string(),
  count: z.number().int().nonnegative(),
  /** Whether more records match after `nextAfter`. */
  more: z.boolean(),
  nextAfter: z.number().int().nonnegative().nullable(),
});
export type AuditExport = z.infer<typeof AuditExport>;
