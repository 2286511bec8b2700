/**
 * The one allow-list for handing a URL to the operating system (shell.openExternal). Only plain
 * http(s) links without embedded credentials leave the app; file:, javascript:, custom schemes and
 * anything unparsable never do. Callers must open the returned, normalised href — not their input.
 */
import { parseUrl } from './app-origin.js';

const externalProtocols = new Set(['http:', 'https:']);

export function externalLinkTarget(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed || !externalProtocols.has(parsed.protocol)) return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

export type ExternalOpener = (url: string) => Promise<void>;

/** Opens `url` in the user's browser if the allow-list accepts it; returns whether it did. */
export async function openExternalLink(url: string, open: ExternalOpener): Promise<boolean> {
  const target = externalLinkTarget(url);
  if (target === null) return false;
  await open(target);
  return true;
}
