/** What a masked stretch of a token was: it varies from line to line, so templates compare it by kind only. */
export type MaskKind = 'uuid' | 'ip' | 'hex' | 'num';

/** A token cut into literal text and masked stretches, in order. */
export type TokenPiece = { text: string } | { mask: MaskKind };

/** One whitespace-separated token of a line, masked. `key` is equal for tokens that differ only in masked stretches. */
export interface MaskedToken {
  key: string;
  pieces: TokenPiece[];
}

/**
 * What each kind finds, most specific first (a uuid holds hex and digits, an address holds numbers); at each position
 * the first that matches wins. A run of eight or more hex characters is hex only when it mixes digits and letters
 * (see `kindOfRun`). No pattern here nests quantifiers, so a long token costs time linear in its length.
 */
const maskFinder = new RegExp(
  [
    '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
    '\\d{1,3}(?:\\.\\d{1,3}){3}',
    '0[xX][0-9a-fA-F]+',
    '[0-9a-fA-F]{8,}',
    '\\d+(?:\\.\\d+)?',
  ]
    .map((find) => `(${find})`)
    .join('|'),
  'g',
);
const foundKinds = ['uuid', 'ip', 'hex', 'run', 'num'] as const;

/** A long run of hex characters: a hash or id when it mixes digits and letters, a number or a word otherwise. */
function kindOfRun(run: string): MaskKind | null {
  const digits = /\d/.test(run);
  if (!digits) return null;
  return /[a-fA-F]/.test(run) ? 'hex' : 'num';
}

/** The RE2 class a suggested regex uses for each kind: it matches everything `masks` finds for that kind. */
export const maskClasses: Readonly<Record<MaskKind, string>> = {
  uuid: '[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}',
  ip: '\\d{1,3}(?:\\.\\d{1,3}){3}',
  hex: '(?:0[xX])?[0-9a-fA-F]+',
  num: '\\d+(?:\\.\\d+)?',
};

/** How a template shows each kind to a person. */
export const maskLabels: Readonly<Record<MaskKind, string>> = {
  uuid: '<UUID>',
  ip: '<IP>',
  hex: '<HEX>',
  num: '<NUM>',
};

export const tokensOf = (line: string): string[] => line.split(/\s+/).filter((token) => token !== '');

/** The token with its uuids, IPv4 addresses, hex strings and numbers masked. */
export function maskToken(token: string): MaskedToken {
  const pieces: TokenPiece[] = [];
  const addText = (text: string) => {
    const last = pieces.at(-1);
    if (last && 'text' in last) last.text += text;
    else pieces.push({ text });
  };
  let from = 0;
  for (const found of token.matchAll(maskFinder)) {
    if (found.index > from) addText(token.slice(from, found.index));
    const alternative = foundKinds[found.findIndex((group, at) => at > 0 && group !== undefined) - 1]!;
    const kind = alternative === 'run' ? kindOfRun(found[0]) : alternative;
    if (kind) pieces.push({ mask: kind });
    else addText(found[0]);
    from = found.index + found[0].length;
  }
  if (from < token.length) addText(token.slice(from));
  let key = '';
  // Literal text is length-prefixed, so no text can spell a masked stretch's key.
  for (const piece of pieces) key += 'text' in piece ? `${piece.text.length}:${piece.text}` : `<${piece.mask}>`;
  return { key, pieces };
}

/** True when part of the token was masked: such a token varies, so the parse tree does not branch on it. */
export const hasMask = (token: MaskedToken): boolean => token.pieces.some((piece) => 'mask' in piece);
