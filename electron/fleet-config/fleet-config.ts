import type { z } from 'zod';
import type { FleetConfigError, FleetConfigKind } from '../../shared/node.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { FleetConfigSync, type FleetConfigCache } from '../cluster/fleet-config-sync.js';
import type { Logger } from '../core/logger.js';

/** What takes a kind of fleet value on this node: applies it (or throws why not), withdraws it, lists what it holds. */
export interface FleetTarget<T> {
  applyFleet(value: T): unknown;
  withdrawFleet(id: string): unknown;
  fleetIds(): string[];
}

export interface FleetConfigContext {
  backend: CoordinationBackend;
  cache: FleetConfigCache;
  now(): number;
  logger: Logger;
}

/**
 * Every kind of value saved once for the whole fleet. Each capability registers the kinds it applies (services,
 * log patterns, …); the syncs start together once the node has joined the fleet.
 */
export class FleetConfig {
  private readonly syncs: Array<
    Pick<FleetConfigSync<unknown>, 'kind' | 'start' | 'errors' | 'onErrors' | 'onChanged'>
  > = [];

  constructor(private readonly context: FleetConfigContext) {}

  /** Syncs one kind of fleet value into `target`; call before `start()`. */
  register<T extends { id: string }>(
    kind: FleetConfigKind,
    schema: z.ZodType<T>,
    target: FleetTarget<T>,
  ): FleetConfigSync<T> {
    const sync = new FleetConfigSync<T>({
      ...this.context,
      kind,
      schema,
      apply: (id, value) => {
        if (value.id !== id) throw new Error(`stored under "${id}" but its id is "${value.id}"`);
        target.applyFleet(value);
      },
      withdraw: (id) => target.withdrawFleet(id),
      applied: () => target.fleetIds(),
    });
    this.syncs.push(sync);
    return sync;
  }

  /** Starts every sync; returns the stop function. */
  start(): () => void {
    return all(this.syncs.map((s) => s.start()));
  }

  /** Values this node could not apply, of every kind. */
  errors(): FleetConfigError[] {
    return this.syncs.flatMap((s) => s.errors());
  }

  onErrors(listener: () => void): () => void {
    return all(this.syncs.map((s) => s.onErrors(listener)));
  }

  onChanged(listener: (kind: string, id: string) => void): () => void {
    return all(this.syncs.map((s) => s.onChanged((id) => listener(s.kind, id))));
  }
}

const all = (stops: Array<() => void>) => () => stops.forEach((stop) => stop());
