import { expect } from 'vitest';
import { ConfigError } from '../../electron/config/load-config.js';

/** Runs `fn`, which must throw a ConfigError, and returns the error's message for the test to match. */
export function configFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
