import { z } from 'zod';
import { EpochMs, NodeId } from '../../shared/ids.js';
import { MemberRecord } from '../../shared/node.js';
import type { Logger } from '../core/logger.js';

/** What a candidate writes under the election prefix. `since` is set once it has won. */
export const ElectionValue = z.object({ id: NodeId, since: EpochMs.nullable() });
export type ElectionValue = z.infer<typeof ElectionValue>;

/**
 * Parses a JSON value another process wrote into the backend. Anything malformed is logged with its key
 * and skipped (null): a bad writer must never crash a reader.
 */
export function decodeValue<T>(schema: z.ZodType<T>, key: string, text: string, logger: Logger): T | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    logger.warn({ key }, 'skipping a value that is not JSON');
    return null;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  logger.warn({ key, problem: z.prettifyError(parsed.error) }, 'skipping a malformed value');
  return null;
}

export const decodeMember = (key: string, text: string, logger: Logger) => decodeValue(MemberRecord, key, text, logger);
export const decodeElection = (key: string, text: string, logger: Logger) =>
  decodeValue(ElectionValue, key, text, logger);
