import { RE2JS } from 're2js';
import { z } from 'zod';
import { Slug, type CommandDefinition } from '../../../shared/services.js';
import type { ExecArgsPolicy } from '../../../shared/tasks.js';
import { describeExit } from '../../health/supervisor/process-group.js';
import { runCommand } from '../run-command.js';
import { defineTaskType } from '../task-types.js';

export interface ExecTaskOptions {
  /** The node's own `commands:`: the only commands an exec task can run. */
  commands: Readonly<Record<string, CommandDefinition>>;
  /** Which arguments a payload may append, per command; a command not listed takes none. */
  execArgs: Readonly<Record<string, ExecArgsPolicy>>;
  maxOutputChars: number;
}

/**
 * An exec payload's shape, which every node agrees on; whether the command and its arguments are allowed is for the
 * node that runs it (a fleet submit checks the command against what members publish).
 */
export const ExecPayloadShape = z
  .object({ command: Slug, args: z.array(z.string().max(4096)).max(64).default([]) })
  .strict();

const lastLine = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);

/**
 * `exec {command, args}`: runs a command defined in this node's config (never a command line from the payload).
 * Each argument must fully match one of the command's allowed RE2 regexes; both are checked at submit.
 */
export function execTask({ commands, execArgs, maxOutputChars }: ExecTaskOptions) {
  const allowed = new Map(
    Object.entries(execArgs).map(([name, policy]) => {
      const regexes = policy.allow.map((regex) => {
        try {
          return RE2JS.compile(regex);
        } catch (error) {
          throw new Error(`tasks.execArgs.${name}: "${regex}" is not an RE2 regex (${String(error)})`, {
            cause: error,
          });
        }
      });
      return [name, { maxArgs: policy.maxArgs, regexes }];
    }),
  );
  const commandOf = (name: string) => (Object.hasOwn(commands, name) ? commands[name] : undefined);

  const payload = ExecPayloadShape.superRefine(({ command, args }, ctx) => {
    if (!commandOf(command)) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: `command "${command}" is not defined on this node`,
      });
      return;
    }
    const policy = allowed.get(command) ?? { maxArgs: 0, regexes: [] };
    if (args.length > policy.maxArgs) {
      const message = `command "${command}" takes at most ${policy.maxArgs} argument(s)`;
      ctx.addIssue({ code: 'custom', path: ['args'], message });
      return;
    }
    args.forEach((arg, index) => {
      if (!policy.regexes.some((regex) => regex.matches(arg))) {
        const message = `argument not allowed for command "${command}"`;
        ctx.addIssue({ code: 'custom', path: ['args', index], message });
      }
    });
  });

  return defineTaskType({
    name: 'exec',
    description: "Runs a command this node's config defines under `commands:`, with only the arguments it allows.",
    payload,
    async run({ command, args }, { signal, log }) {
      const definition = commandOf(command);
      if (!definition) throw new Error(`command "${command}" is no longer defined on this node`);
      const run = await runCommand(definition, args, { signal, maxOutputChars, onLine: log });
      if (run.exitCode !== 0) {
        const last = lastLine(run.output);
        throw new Error(`${describeExit(run.exitCode, run.signal)}${last ? `: ${last}` : ''}`);
      }
      return { exitCode: 0, output: run.output, truncated: run.truncated };
    },
  });
}
