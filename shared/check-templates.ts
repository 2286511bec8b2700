import { z } from 'zod';
import { CheckDefinition, Slug } from './services.js';

/**
 * A check saved once for the whole fleet and added by every agent to each of its services carrying one of
 * `serviceTags` (e.g. a TTL heartbeat for every `batch` service, or a `disk-free` script every node defines).
 * A script check still runs only a command the node's own config defines; a node without it reports the error.
 */
export const CheckTemplate = z
  .object({
    id: Slug,
    description: z.string().max(1000).default(''),
    serviceTags: z.array(z.string().min(1).max(64)).min(1).max(16),
    check: CheckDefinition,
  })
  .strict();
export type CheckTemplate = z.infer<typeof CheckTemplate>;
export type CheckTemplateInput = z.input<typeof CheckTemplate>;
