/** A config that cannot be used; the message names the field, the reason and where the value came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
