import type { z } from 'zod';
import { AlertRule } from '../../shared/alerts.js';
import { CheckTemplate } from '../../shared/check-templates.js';
import { LogPattern } from '../../shared/log-patterns.js';
import type { FleetConfigError, FleetConfigKind } from '../../shared/node.js';
import { ServiceDefinition } from '../../shared/services.js';
import type { CoordinationBackend } from '../cluster/coordination-backend.js';
import { FleetConfigSync, type FleetConfigCache } from '../cluster/fleet-config-sync.js';
import type { Logger } from '../core/logger.js';

/** What takes a kind of fleet value on this node: applies it (or throws why not), withdraws it, lists what it holds. */
export interface FleetTarget<T> {
  applyFleet(value: T): unknown;
  withdrawFleet(id: string): unknown;
  fleetIds(): string[];
}

export interface FleetConfigTargets {
  services: FleetTarget<ServiceDefinition>;
  logPatterns: FleetTarget<LogPattern>;
  alertRules: FleetTarget<AlertRule>;
  checkTemplates: FleetTarget<CheckTemplate>;
}

export interface FleetConfigContext {
  backend: CoordinationBackend;
  cache: FleetConfigCache;
  now(): number;
  logger: Logger;
}

/** Every kind of value saved once for the whole fleet, each synced into the part of the agent that uses it. */
export function createFleetConfig(targets: FleetConfigTargets, context: FleetConfigContext) {
  const sync = <T extends { id: string }>(kind: FleetConfigKind, schema: z.ZodType<T>, target: FleetTarget<T>) =>
    new FleetConfigSync<T>({
      ...context,
      kind,
      schema,
      apply: (id, value) => {
        if (value.id !== id) throw new Error(`stored under "${id}" but its id is "${value.id}"`);
        target.applyFleet(value);
      },
      withdraw: (id) => target.withdrawFleet(id),
      applied: () => target.fleetIds(),
    });
  const syncs = {
    services: sync('services', ServiceDefinition, targets.services),
    logPatterns: sync('log-patterns', LogPattern, targets.logPatterns),
    alertRules: sync('alert-rules', AlertRule, targets.alertRules),
    checkTemplates: sync('check-templates', CheckTemplate, targets.checkTemplates),
  };
  const all = Object.values(syncs);
  return {
    ...syncs,
    /** Starts every sync; returns the stop function. */
    start(): () => void {
      const stops = all.map((s) => s.start());
      return () => stops.forEach((stop) => stop());
    },
    /** Values this node could not apply, of every kind. */
    errors(): FleetConfigError[] {
      return all.flatMap((s) => s.errors());
    },
    onErrors(listener: () => void): () => void {
      const stops = all.map((s) => s.onErrors(listener));
      return () => stops.forEach((stop) => stop());
    },
    onChanged(listener: (kind: string, id: string) => void): () => void {
      const stops = all.map((s) => s.onChanged((id) => listener(s.kind, id)));
      return () => stops.forEach((stop) => stop());
    },
  };
}

export type FleetConfig = ReturnType<typeof createFleetConfig>;
