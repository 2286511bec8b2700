import { z } from 'zod';
import { Slug } from '../services.js';
import { method, NoParams } from './method.js';

/** list / put / remove of one kind of value saved once under the fleet prefix and applied by every agent. */
export const fleetConfigMethods = <T extends z.ZodType>(value: T, what: string) => ({
  list: method(
    NoParams,
    z.array(z.object({ id: Slug, value: value.nullable(), problem: z.string().nullable() })),
    `${what} saved for the whole fleet; a malformed stored value comes with the problem instead.`,
  ),
  put: method(
    z.object({ value }).strict(),
    z.object({ revision: z.string() }),
    `Saves one of the ${what.toLowerCase()} for every agent; each applies it live or reports why it cannot.`,
  ),
  remove: method(
    z.object({ id: Slug }).strict(),
    z.object({ removed: z.literal(true) }),
    `Removes one of the ${what.toLowerCase()} everywhere.`,
  ),
});
