import YAML from 'yaml';
import { z } from 'zod';
import { issuesFromZod } from '../../shared/rpc.js';
import type { CheckTemplate } from '../../shared/check-templates.js';
import {
  ServiceDefinition,
  undefinedCommands,
  type CheckDefinition,
  type CommandDefinition,
  type ServiceSource,
} from '../../shared/services.js';
import { CodedError } from '../core/coded-error.js';
import { assertAllowedPath, namedByConfig, type FileScope } from '../core/read-bounded-file.js';
import { Listeners } from '../core/listeners.js';
import type { Logger } from '../core/logger.js';
import type { ServicesStore } from './health-stores.js';

interface StoredEntry {
  definition: ServiceDefinition;
  source: ServiceSource;
}

export interface CatalogEntry extends StoredEntry {
  /** The service's own checks, then those its tags pick up from fleet check templates (`template`: the id). */
  checks: Array<{ check: CheckDefinition; template: string | null }>;
}

const ImportDocument = z.union([z.array(z.unknown()), z.object({ services: z.array(z.unknown()) }).strict()]);

export interface ServiceCatalogOptions {
  configServices: readonly ServiceDefinition[];
  commands: Readonly<Record<string, CommandDefinition>>;
  /** `files.readDirs`: where files named by services and templates not from the config file may be. */
  readDirs: readonly string[];
  repository: ServicesStore;
  logger: Logger;
  now(): number;
}

/**
 * Every service this node checks: those from the config file (read-only) and those added through the
 * API or by the demo (stored in SQLite). All changes are validated before anything is written.
 */
export class ServiceCatalog {
  private readonly entries = new Map<string, StoredEntry>();
  private readonly templates = new Map<string, CheckTemplate>();
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
    return [...this.entries.values()]
      .sort((a, b) => a.definition.id.localeCompare(b.definition.id))
      .map((entry) => this.withChecks(entry));
  }

  get(id: string): CatalogEntry | undefined {
    const entry = this.entries.get(id);
    return entry && this.withChecks(entry);
  }

  /**
   * Applies a fleet check template: its check joins every service here carrying one of its tags. Refused (the
   * reason is reported fleet-wide) when its script command is not defined here or its check name is taken.
   */
  applyTemplate(template: CheckTemplate): void {
    const { check } = template;
    if (check.type === 'script' && !Object.hasOwn(this.options.commands, check.command)) {
      throw new CodedError('invalid_request', `template "${template.id}" cannot be applied here`, [
        { path: 'check.command', message: `command "${check.command}" is not defined in this node's config` },
      ]);
    }
    this.assertFilesAllowed([check], 'check');
    const clashes = [...this.entries.values()].flatMap(({ definition }) => {
      if (!tagged(definition, template)) return [];
      const own = definition.checks.some((c) => c.name === check.name);
      const other = [...this.templates.values()].find(
        (t) => t.id !== template.id && t.check.name === check.name && tagged(definition, t),
      );
      return own || other ? [`${definition.id}${other ? ` (template "${other.id}")` : ''}`] : [];
    });
    if (clashes.length > 0) {
      throw new CodedError(
        'conflict',
        `check name "${check.name}" is already used on this node by service ${clashes.join(', ')}`,
      );
    }
    const previous = this.templates.get(template.id);
    if (previous && JSON.stringify(previous) === JSON.stringify(template)) return;
    this.templates.set(template.id, template);
    this.emitTagged([template, ...(previous ? [previous] : [])]);
  }

  withdrawTemplate(id: string): void {
    const template = this.templates.get(id);
    if (!template) return;
    this.templates.delete(id);
    this.emitTagged([template]);
  }

  templateIds(): string[] {
    return [...this.templates.keys()];
  }

  /**
   * Where the files a check names may be read from: anywhere for a check of a service in this node's config file,
   * only inside `files.readDirs` for one from the API, the demo, the fleet or a template.
   */
  fileScope(serviceId: string, checkName: string): FileScope {
    const entry = this.entries.get(serviceId);
    const own = entry?.source === 'config' && entry.definition.checks.some((check) => check.name === checkName);
    return own ? namedByConfig : { from: 'outside', readDirs: this.options.readDirs };
  }

  /**
   * Refuses checks (from the API or the fleet) that name a file outside `files.readDirs`, so the user hears it on
   * saving; `at` is where the checks sit in the request (`checks` of a service, or a template's `check`).
   */
  assertFilesAllowed(checks: readonly CheckDefinition[], at: string): void {
    const issues = checks.flatMap((check, index) => {
      if (!('caFile' in check) || check.caFile === undefined) return [];
      try {
        assertAllowedPath(check.caFile, this.options.readDirs, 'caFile');
        return [];
      } catch (error) {
        const path = at === 'check' ? 'check.caFile' : `${at}.${index}.caFile`;
        return [{ path, message: (error as Error).message }];
      }
    });
    if (issues.length > 0) throw new CodedError('invalid_request', issues[0]!.message, issues);
  }

  private withChecks(entry: StoredEntry): CatalogEntry {
    const checks: CatalogEntry['checks'] = entry.definition.checks.map((check) => ({ check, template: null }));
    const names = new Set(checks.map(({ check }) => check.name));
    const templates = [...this.templates.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const template of templates) {
      // A service added after the template may own a check of the same name: the service's own check wins.
      if (!tagged(entry.definition, template) || names.has(template.check.name)) continue;
      names.add(template.check.name);
      checks.push({ check: template.check, template: template.id });
    }
    return { ...entry, checks };
  }

  private emitTagged(templates: CheckTemplate[]): void {
    const ids = [...this.entries.values()]
      .filter(({ definition }) => templates.some((t) => tagged(definition, t)))
      .map(({ definition }) => definition.id);
    if (ids.length > 0) this.changes.emit(ids);
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
    for (const definition of definitions) this.entries.set(definition.id, { definition, source });
    this.changes.emit(definitions.map((d) => d.id));
    return definitions.map((definition) => this.withChecks({ definition, source }));
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
    this.assertFilesAllowed(definition.checks, [...(prefix.length ? ['services', ...prefix] : []), 'checks'].join('.'));
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

const tagged = (service: ServiceDefinition, template: CheckTemplate): boolean =>
  template.serviceTags.some((tag) => service.tags.includes(tag));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
