import pino from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from '../../shared/config.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level: string;
  /** `json` (default): pino's JSON lines, for collectors; `pretty`: one readable line each, for a terminal. */
  format?: LogFormat;
  /** Names the node on every pretty line: a multi-node demo interleaves several agents' lines in one terminal. */
  node?: string;
}

/**
 * Lines on stderr (stdout is kept for what the CLI tells the user). Synchronous, so nothing is lost on exit:
 * pino-pretty runs in this thread here, not as a worker transport, for the same reason.
 */
export function createLogger({ level, format = 'json', node }: LoggerOptions): Logger {
  const base = { pid: process.pid, ...(node === undefined ? {} : { node }) };
  if (format === 'json') return pino({ level, base }, pino.destination({ dest: 2, sync: true }));
  const stream = pretty({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,node,component',
    messageFormat: `${node === undefined ? '' : '{node} '}{if component}[{component}] {end}{msg}`,
  });
  return pino({ level, base }, stream);
}

/** A child logger whose lines carry the component name, e.g. `[cluster]`. */
export const componentLogger = (logger: Logger, component: string): Logger => logger.child({ component });
