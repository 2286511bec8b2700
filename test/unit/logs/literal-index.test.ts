import { describe, expect, it } from 'vitest';
import { LiteralIndex } from '../../../electron/logs/literal-index.js';

const literal = (text: string) => ({ literal: text });
const any = (...texts: string[]) => ({ any: texts.map(literal) });

const lines = [
  'INFO started',
  'ERROR disk full',
  'warn: Disk almost full',
  'an exception: NullPointerException',
  'temperature 300 \u212Aelvin',
  'naïve café',
];

describe('LiteralIndex', () => {
  it('lists, per pattern, the lines holding what its literals ask, in any case when the pattern ignores case', () => {
    const index = new LiteralIndex([
      { literals: literal('ERROR'), ignoreCase: false },
      { literals: literal('disk'), ignoreCase: true },
      { literals: any('Exception', 'full'), ignoreCase: false },
      { literals: { all: [literal('full'), any('Disk', 'INFO')] }, ignoreCase: false },
      { literals: null, ignoreCase: false },
    ]);
    expect(index.candidates(lines)).toEqual([[1], [1, 2], [1, 2, 3], [2], null]);
  });

  it('folds case as RE2 does, literal by literal and in the automaton: the Kelvin sign is a k, the long s an s', () => {
    const folded = ['kelvin', 'STATUS'];
    const others = Array.from({ length: 20 }, (_, i) => `other ${i}`);
    const text = ['300 \u212Aelvin', '\u017Ftatus ok', 'kelvin', 'nothing'];
    for (const literals of [folded, [...folded, ...others]]) {
      const index = new LiteralIndex(literals.map((text) => ({ literals: { literal: text }, ignoreCase: true })));
      expect(index.candidates(text).slice(0, 2)).toEqual([[0, 2], [1]]);
    }
  });

  it('finds literals beyond ASCII, in either case', () => {
    const index = new LiteralIndex([
      { literals: literal('café'), ignoreCase: false },
      { literals: literal('NAÏVE'), ignoreCase: true },
    ]);
    expect(index.candidates(lines)).toEqual([[5], [5]]);
  });

  it('answers the same through its automatons, with many literals, as literal by literal', () => {
    // Every 3-character piece of the ASCII lines (case-sensitive), and every 4-character one upper-cased (any case).
    const pieces = (size: number) => [
      ...new Set(
        lines.slice(0, 4).flatMap((line) => [...line.slice(size - 1)].map((_, at) => line.slice(at, at + size))),
      ),
    ];
    const many = [
      ...pieces(3).map((piece) => ({ literals: literal(piece), ignoreCase: false })),
      ...pieces(4).map((piece) => ({ literals: literal(piece.toUpperCase()), ignoreCase: true })),
      { literals: literal('no such thing'), ignoreCase: false },
    ];
    expect(many.length).toBeGreaterThan(2 * 16);
    const alone = (pattern: (typeof many)[number]) => new LiteralIndex([pattern]).candidates(lines)[0];
    expect(new LiteralIndex(many).candidates(lines)).toEqual(many.map(alone));
    expect(new LiteralIndex(many).candidates(lines).at(-1)).toEqual([]);
  });

  it('tests every line when a line holds a newline, which would shift the lines of the joined text', () => {
    const index = new LiteralIndex([{ literals: literal('ERROR'), ignoreCase: false }]);
    expect(index.candidates(['one\ntwo', 'ERROR'])).toEqual([null]);
  });
});
