import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { errorMessage } from '../core/errors.js';

export const fleetCredentialUsage = `Usage: fleetdeck fleet-credential create --out <file>

  Writes a new fleet credential (32 random bytes, base64url) to <file> with mode 0600; refuses to overwrite one.
  Copy the file to every member of the fleet and point fleetLink.tokenFile (or --fleet-token-file) at it.`;

/** `fleetdeck fleet-credential create --out <file>`. Returns the exit code; refused input throws ConfigError (exit 2). */
export function runFleetCredentialCommand(argv: string[], out: (text: string) => void): number {
  const [sub, ...rest] = argv;
  if (sub === 'help' || sub === undefined) {
    out(fleetCredentialUsage);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'create') throw new ConfigError(`fleet-credential: unknown subcommand "${sub}"\n${fleetCredentialUsage}`);
  let file: string | undefined;
  try {
    file = parseArgs({ args: rest, options: { out: { type: 'string' } } }).values.out;
  } catch (error) {
    throw new ConfigError(`fleet-credential create: ${errorMessage(error)}`);
  }
  if (!file) throw new ConfigError('fleet-credential create: --out <file> is required');
  try {
    // `wx`: never replace a credential the fleet already uses.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new ConfigError(
      exists
        ? `fleet-credential create: ${file} already exists; remove it first to replace the fleet's credential`
        : `fleet-credential create: cannot write ${file}: ${errorMessage(error)}`,
    );
  }
  out(`Wrote a fleet credential to ${file} (mode 0600). Copy it to every member; set fleetLink.tokenFile to it.`);
  return 0;
}
