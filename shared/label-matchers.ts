import { z } from 'zod';

/**
 * One condition on an alert's labels, as Alertmanager's matchers: `=` equal, `!=` not equal, `=~` / `!~` the whole
 * value matches / does not match an RE2 regex. A label the alert lacks reads as "". Used by channel routing and
 * silences, so both select alerts the same way.
 */
export const LabelMatcher = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/, 'a label name: 1-63 letters, digits, ".", "_", "/" or "-"'),
    op: z.enum(['=', '!=', '=~', '!~']).default('='),
    value: z.string().max(256),
  })
  .strict();
export type LabelMatcher = z.infer<typeof LabelMatcher>;
export type LabelMatcherInput = z.input<typeof LabelMatcher>;

/** All must hold (an empty list matches every alert). */
export const LabelMatchers = z.array(LabelMatcher).max(32);
