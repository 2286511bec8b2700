import YAML from 'yaml';
import { z } from 'zod';
import { issuesFromZod } from '../../shared/rpc.js';
import {
  ServiceDefinition,
  undefinedCommands,
  type CommandDefinition,
  type ServiceSource,
} from '../../shared/services.js';
import { CodedError } from '../core/coded-error.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type { ServicesRepository } from '../store/services-repository.js';

export interface CatalogEntry {
  definition: ServiceDefinition;
  source: ServiceSource;
}

const ImportDocument = z.union([z.array(z.unknown()), z.object({ services: z.array(z.unknown()) }).strict()]);

export interface ServiceCatalogOptions {
  configServices: readonly ServiceDefinition[];
  commands: Readonly<Record<string, CommandDefinition>>;
  repository: ServicesRepository;
  logger: Logger;
  now(): number;
}

/**
 * Every service this node checks: those from the config file (read-only) and those added through the
 * API or by the demo (stored in SQLite). All changes are validated before anything is written.
 */
export class ServiceCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly changes: Listeners<string[]>;

  constructor(private readonly options: ServiceCatalogOptions) {
    this.changes = new Listeners((error) => options.logger.error({ err: error }, 'a catalog listener failed'));
    for (const stored of options.repository.all()) {
      const parsed = ServiceDefinition.safeParse(safeJson(stored.definition));
      if (!parsed.success) {
        options.logger.warn({ id: stored.id, problem: z.prettifyError(parsed.error) }, 'skipping a stored service');
        continue;
      }
      this.entries.set(stored.id, { definition: parsed.data, source: stored.source });
    }
    for (const definition of options.configServices) {
      if (this.entries.has(definition.id)) {
        options.logger.warn({ id: definition.id }, 'the config file defines this service too; its definition wins');
      }
      this.entries.set(definition.id, { definition, source: 'config' });
    }
  }

  list(): CatalogEntry[] {
    return [...this.entries.values()].sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  }

  get(id: string): CatalogEntry | undefined {
    return this.entries.get(id);
  }

  onChange(listener: (ids: string[]) => void): () => void {
    return this.changes.add(listener);
  }

  /** Adds or replaces services, all or nothing. */
  upsert(definitions: ServiceDefinition[], source: 'api' | 'demo' | 'fleet'): CatalogEntry[] {
    definitions.forEach((definition, index) =>
      this.assertWritable(definition, definitions.length > 1 ? [index] : [], source),
    );
    this.options.repository.upsertAll(
      definitions.map((definition) => ({ id: definition.id, source, definition: JSON.stringify(definition) })),
      this.options.now(),
    );
    const entries = definitions.map((definition) => ({ definition, source }));
    for (const entry of entries) this.entries.set(entry.definition.id, entry);
    this.changes.emit(definitions.map((d) => d.id));
    return entries;
  }

  /** Applies a service defined for the whole fleet; throws (the reason is reported fleet-wide) if it cannot. */
  applyFleet(definition: ServiceDefinition): void {
    const existing = this.entries.get(definition.id);
    if (existing && existing.source !== 'fleet') {
      throw new CodedError('conflict', `this node has its own service "${definition.id}" (${existing.source})`);
    }
    if (existing && JSON.stringify(existing.definition) === JSON.stringify(definition)) return;
    this.upsert([definition], 'fleet');
  }

  /** Drops a fleet service that was deleted fleet-wide (nothing if this node never had it). */
  withdrawFleet(id: string): void {
    if (this.entries.get(id)?.source !== 'fleet') return;
    this.options.repository.remove(id);
    this.entries.delete(id);
    this.changes.emit([id]);
  }

  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.source === 'config') {
      throw new CodedError('conflict', `service "${id}" is defined in the config file; remove it there`);
    }
    if (entry.source === 'fleet') {
      throw new CodedError('conflict', `service "${id}" is defined for the whole fleet; remove it there`);
    }
    this.options.repository.remove(id);
    this.entries.delete(id);
    this.changes.emit([id]);
    return true;
  }

  removeDemo(): string[] {
    const ids = this.options.repository.removeDemo();
    for (const id of ids) this.entries.delete(id);
    if (ids.length > 0) this.changes.emit(ids);
    return ids;
  }

  /** The services added through the UI or API, as a YAML document `import` accepts. */
  exportYaml(): string {
    const services = this.list()
      .filter((entry) => entry.source === 'api')
      .map((entry) => entry.definition);
    return YAML.stringify({ services });
  }

  /** Parses a YAML list of services (or `services: [...]`), validates every one, then stores them together. */
  importYaml(text: string): string[] {
    let document: unknown;
    try {
      document = YAML.parse(text);
    } catch (error) {
      throw new CodedError('invalid_request', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    const shape = ImportDocument.safeParse(document);
    if (!shape.success) {
      throw new CodedError('invalid_request', 'expected a list of services, or a mapping with a `services:` list');
    }
    const items = Array.isArray(shape.data) ? shape.data : shape.data.services;
    const definitions = items.map((item, index) => {
      const parsed = ServiceDefinition.safeParse(item);
      if (!parsed.success) {
        throw new CodedError(
          'invalid_request',
          `service ${index + 1} is invalid`,
          issuesFromZod(parsed.error, ['services', index]),
        );
      }
      return parsed.data;
    });
    const ids = definitions.map((d) => d.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate) throw new CodedError('invalid_request', `service id "${duplicate}" appears twice`);
    return this.upsert(definitions, 'api').map((entry) => entry.definition.id);
  }

  private assertWritable(definition: ServiceDefinition, prefix: Array<string | number>, source: string): void {
    const current = this.entries.get(definition.id)?.source;
    if (current === 'config' || (current === 'fleet' && source !== 'fleet')) {
      const where = current === 'config' ? 'in the config file' : 'for the whole fleet';
      throw new CodedError('conflict', `service "${definition.id}" is defined ${where} and cannot be changed here`);
    }
    const missing = undefinedCommands(definition, this.options.commands);
    if (missing.length > 0) {
      throw new CodedError(
        'invalid_request',
        `service "${definition.id}" refers to commands this node does not define`,
        missing.map((p) => ({
          path: [...(prefix.length ? ['services', ...prefix] : []), ...p.path].join('.'),
          message: p.message,
        })),
      );
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
