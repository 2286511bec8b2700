import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConfigError, loadConfig } from '../../../electron/config/load-config.js';
import { AgentConfig } from '../../../shared/config.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-config-fuzz-'));
const dataDir = join(dir, 'data');
/** Override with FUZZ_SEED to replay a failure; fast-check prints the seed and path of any counterexample. */
const seed = Number(process.env.FUZZ_SEED ?? 20260903);
const runs = { seed, numRuns: 300 };

/** The real keys as well as unknown ones, so generated files reach the per-section validation, not only the root. */
const key = fc.oneof(fc.constantFrom(...Object.keys(AgentConfig.shape).filter((k) => k !== 'dataDir')), fc.string());
const settings = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

let count = 0;
/** Loads `content` as the config file; the data dir comes from a flag so no generated value writes elsewhere. */
function load(content: string | Uint8Array): unknown {
  const file = join(dir, `fuzz-${(count += 1)}.yaml`);
  writeFileSync(file, content);
  try {
    return loadConfig({ argv: ['--config', file, '--data-dir', dataDir], env: {} });
  } catch (error) {
    return error;
  }
}

/** Either a config or a ConfigError with a message that names something: never another exception. */
function expectConfigOrConfigError(outcome: unknown): void {
  if (outcome instanceof Error) {
    expect(outcome).toBeInstanceOf(ConfigError);
    expect(outcome.message.length).toBeGreaterThan(10);
  } else {
    expect(AgentConfig.safeParse(outcome).success).toBe(true);
  }
}

describe('loadConfig under generated files', () => {
  it('answers any JSON or YAML mapping with a config or a ConfigError', () => {
    fc.assert(
      fc.property(settings, fc.boolean(), (values, asYaml) => {
        expectConfigOrConfigError(load(asYaml ? YAML.stringify(values) : JSON.stringify(values)));
      }),
      runs,
    );
  });

  it('answers any bytes with a config or a ConfigError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string({ unit: 'binary', maxLength: 512 })),
        (bytes) => {
          expectConfigOrConfigError(load(bytes));
        },
      ),
      runs,
    );
  });
});
