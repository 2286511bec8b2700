import { describeSpawnError, spawnCommandGroup } from '../supervisor/process-group.js';
import {
  abortedOutcome,
  MAX_OUTPUT_CHARS,
  outcome,
  type CheckContext,
  type CheckOf,
  type CheckOutcome,
} from './checker.js';

/** Only the end of the output is kept as it arrives: the verdict is its last non-empty line. */
const TAIL_CHARS = 4 * MAX_OUTPUT_CHARS;

/**
 * Runs a command from the node's own config (never a command line from the check) without a shell. Exit 0 is
 * passing, 1 warning, anything else critical (Consul's rule); the output is the last non-empty line.
 */
export function checkScript(check: CheckOf<'script'>, ctx: CheckContext): Promise<CheckOutcome> {
  // hasOwn: a command named "constructor" must not find Object.prototype's.
  const command = Object.hasOwn(ctx.commands, check.command) ? ctx.commands[check.command] : undefined;
  if (!command) {
    return Promise.resolve(outcome('unknown', `command "${check.command}" is not defined in this node's config`));
  }
  const { signal } = ctx;
  if (signal.aborted) return Promise.resolve(abortedOutcome(check, signal));

  return new Promise((resolve) => {
    const { child, release } = spawnCommandGroup(command, [], signal);
    let tail = '';
    const collect = (chunk: string) => {
      tail = (tail + chunk).slice(-TAIL_CHARS);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);

    let settled = false;
    const finish = (result: CheckOutcome) => {
      if (settled) return;
      settled = true;
      release();
      resolve(result);
    };
    child.on('error', (error) =>
      finish(outcome('unknown', `cannot run command "${check.command}": ${describeSpawnError(error, command)}`)),
    );
    child.on('close', (code, exitSignal) =>
      finish(signal.aborted ? abortedOutcome(check, signal) : verdict(code, exitSignal, tail)),
    );
  });
}

function verdict(code: number | null, exitSignal: NodeJS.Signals | null, output: string): CheckOutcome {
  const status = code === 0 ? 'passing' : code === 1 ? 'warning' : 'critical';
  const head = code !== null ? `exit ${code}` : `killed by ${exitSignal ?? 'a signal'}`;
  const line = lastNonEmptyLine(output);
  return outcome(status, line ? `${head}: ${line}` : head);
}

const lastNonEmptyLine = (text: string): string =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1) ?? '';
