import { z } from 'zod';

/** A node id is used as a key component in etcd/Consul, so it is kept to a safe alphabet. */
export const NodeId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  );
export type NodeId = z.infer<typeof NodeId>;

export const NodeRole = z.enum(['agent', 'console']);
export type NodeRole = z.infer<typeof NodeRole>;

export const Labels = z.record(
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/,
      'label keys are 1-63 characters of letters, digits, ".", "_", "/" or "-"',
    ),
  z.string().max(256),
);
export type Labels = z.infer<typeof Labels>;

/** Milliseconds since the Unix epoch. */
export const EpochMs = z.number().int().nonnegative();
