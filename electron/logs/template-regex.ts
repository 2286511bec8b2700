import { maskClasses, maskLabels } from './log-masking.js';
import { WILDCARD, type TemplateToken } from './log-templates.js';

/** Characters with a meaning in RE2 syntax outside a class. */
const special = /[\\^$.|?*+()[\]{}]/g;

export const escapeRegex = (text: string): string => text.replace(special, '\\$&');

/** How a person reads the template: masked stretches as `<NUM>`, `<IP>`…, differing tokens as `<*>`. */
export function templateText(tokens: readonly TemplateToken[]): string {
  return tokens
    .map((token) =>
      token === WILDCARD
        ? '<*>'
        : token.pieces.map((piece) => ('text' in piece ? piece.text : maskLabels[piece.mask])).join(''),
    )
    .join(' ');
}

/** A token with a word in it (two letters in a row), as opposed to a wildcard, a timestamp, an address or a number. */
const hasWord = (token: TemplateToken): boolean =>
  token !== WILDCARD && token.pieces.some((piece) => 'text' in piece && /\p{L}{2}/u.test(piece.text));

/**
 * An RE2 regex for the lines of a template: constant text escaped, masked stretches as their typed class, a
 * wildcard as `\S+`, tokens apart by `\s+`. The tokens without a word at either end (wildcards, timestamps,
 * addresses, numbers) are left out: a pattern is looked for anywhere in a line, and they would only lengthen it.
 * Null when no token has a word.
 */
export function templateRegex(tokens: readonly TemplateToken[]): string | null {
  const first = tokens.findIndex(hasWord);
  if (first === -1) return null;
  const last = tokens.findLastIndex(hasWord);
  return tokens
    .slice(first, last + 1)
    .map((token) =>
      token === WILDCARD
        ? '\\S+'
        : token.pieces.map((piece) => ('text' in piece ? escapeRegex(piece.text) : maskClasses[piece.mask])).join(''),
    )
    .join('\\s+');
}
