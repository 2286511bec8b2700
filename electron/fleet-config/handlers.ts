import type { FleetConfigSync } from '../cluster/fleet-config-sync.js';
import { CodedError } from '../core/coded-error.js';

/** list / put / remove handlers for one kind of fleet value; `validate` checks a value here before it is saved. */
export function fleetConfigHandlers<T extends { id: string }>(
  sync: FleetConfigSync<T>,
  validate: (value: T) => void = () => {},
) {
  return {
    list: () => sync.list(),
    put: async ({ value }: { value: T }) => {
      try {
        validate(value);
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        const issues = error.issues?.map((issue) => ({ ...issue, path: `value.${issue.path}` }));
        throw new CodedError(error.code, error.message, issues);
      }
      return { revision: await sync.put(value.id, value) };
    },
    remove: fleetRemove(sync),
  };
}

/** Deletes a fleet value everywhere. */
export const fleetRemove =
  <T>(sync: FleetConfigSync<T>) =>
  async ({ id }: { id: string }) => {
    await sync.delete(id);
    return { removed: true as const };
  };
