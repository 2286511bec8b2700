import type { FleetConfigKind } from '../../shared/node.js';
import { ConflictError, type CoordinationBackend } from '../cluster/coordination-backend.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Where a fleet value of `kind` is stored, relative to the fleet's shared values (as `FleetConfigSync` reads it). */
export const fleetValueKey = (kind: FleetConfigKind, id: string) => `config/${kind}/${id}`;

/** Values written once per fleet, then edited or deleted like any other fleet value. */
export interface FleetSeed {
  /** For the log: "default alert rules". */
  name: string;
  /** Written with the values: once it exists, nothing is written again. */
  marker: string;
  values: ReadonlyArray<{ kind: FleetConfigKind; id: string; value: unknown }>;
}

const MAX_SEED_ATTEMPTS = 5;

/**
 * Writes a seed once per fleet. One atomic write puts its values together with its marker, each only if absent: of
 * several nodes starting at once exactly one succeeds, and once the marker exists nothing is written again, so a
 * value an operator deleted stays deleted. An id already taken (an operator's value of that name) is left alone;
 * the others are written. Returns whether this call wrote them.
 */
export async function seedOnce(backend: CoordinationBackend, seed: FleetSeed): Promise<boolean> {
  const writes = seed.values.map(({ kind, id, value }) => ({ key: fleetValueKey(kind, id), value }));
  const prefixes = [...new Set(seed.values.map(({ kind }) => fleetValueKey(kind, '')))];
  for (let attempt = 1; ; attempt++) {
    if (await backend.get(seed.marker)) return false;
    const taken = new Set((await Promise.all(prefixes.map((p) => backend.list(p)))).flat().map((entry) => entry.key));
    try {
      await backend.putAll([
        { key: seed.marker, value: '{}', ifRevision: null },
        ...writes
          .filter(({ key }) => !taken.has(key))
          .map(({ key, value }) => ({ key, value: JSON.stringify(value), ifRevision: null })),
      ]);
      return true;
    } catch (error) {
      // Another node seeded meanwhile (the marker exists now), or someone saved a value of a seeded id: look again.
      if (!(error instanceof ConflictError) || attempt === MAX_SEED_ATTEMPTS) throw error;
    }
  }
}

/**
 * Seeds once the backend is connected (now, or when it connects), until one attempt has settled it; a failure is
 * logged and tried again at the next connection. Returns the stop function.
 */
export function seedWhenConnected(backend: CoordinationBackend, logger: Logger, seed: FleetSeed): () => void {
  let settled = false;
  let running = false;
  const attempt = () => {
    if (settled || running || backend.status().state !== 'connected') return;
    running = true;
    seedOnce(backend, seed)
      .then(
        (wrote) => {
          settled = true;
          logger.info(wrote ? `${seed.name} saved for the fleet` : `${seed.name} were saved before`);
        },
        (error: unknown) => logger.warn({ err: errorMessage(error) }, `saving the ${seed.name} failed`),
      )
      .finally(() => {
        running = false;
      });
  };
  const unsubscribe = backend.onStatus(attempt);
  attempt();
  return () => {
    settled = true;
    unsubscribe();
  };
}
