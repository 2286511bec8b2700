import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stderr (stdout is kept for what the CLI tells the user). Synchronous, so nothing is lost on exit. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}

/** A child logger whose lines carry the component name, e.g. `[cluster]`. */
export const componentLogger = (logger: Logger, component: string): Logger => logger.child({ component });
