import { describe, expect, it } from 'vitest';
import {
  literalDecides,
  MAX_LITERAL_CHARS,
  MAX_LITERALS_PER_PATTERN,
  requiredLiterals,
  type LiteralTree,
} from '../../../electron/logs/required-literals.js';

/** The tree as text: 'literal', all(…) in order, any(…) sorted. */
const show = (tree: LiteralTree): string => {
  if ('literal' in tree) return `'${tree.literal}'`;
  if ('all' in tree) return `all(${tree.all.map(show).join(', ')})`;
  return `any(${tree.any.map(show).sort().join(', ')})`;
};
const literals = (regex: string, ignoreCase = false) => {
  const tree = requiredLiterals({ regex, ignoreCase });
  return tree && show(tree);
};

describe('requiredLiterals', () => {
  it('takes a plain regex as its own literal, escapes undone', () => {
    expect(literals('connect\\(\\) failed')).toBe("'connect() failed'");
    expect(literals('" 404 ')).toBe(`'" 404 '`);
  });

  it('needs one of the branches of an alternation, each its own literal', () => {
    expect(literals('\\b(ERROR|FATAL|CRITICAL)\\b')).toBe("any('CRITICAL', 'ERROR', 'FATAL')");
    expect(literals('i/o timeout|connection refused')).toBe("any('connection refused', 'i/o timeout')");
  });

  it('takes a literal from every branch, and has none when one branch has none', () => {
    expect(literals('timeout|\\d+ ms')).toBe("any(' ms', 'timeout')");
    expect(literals('timeout|\\d+')).toBeNull();
    expect(literals('^(a|.)')).toBeNull();
  });

  it('stops a literal at a character class and keeps the longest required piece', () => {
    expect(literals('segfault at [0-9a-f]+')).toBe("'segfault at '");
    expect(literals('[Ee]rror: disk')).toBe("'rror: disk'");
    expect(literals('HikariPool-[0-9]+ - Connection is not available')).toBe(
      "all('HikariPool-', ' - Connection is not available')",
    );
  });

  it('leaves out optional parts and keeps what is required around them', () => {
    expect(literals('oom-kill(er)?')).toBe("'oom-kill'");
    expect(literals('\\bWARN(ING)?\\b')).toBe("'WARN'");
    expect(literals('(invalid user )?root from')).toBe("'root from'");
    expect(literals('(retry)*\\d')).toBeNull();
  });

  it('ignores anchors and word boundaries around a literal', () => {
    expect(literals('^panic: ')).toBe("'panic: '");
    expect(literals('\\bdone$')).toBe("'done'");
  });

  it('keeps the same literals for a case-insensitive pattern (searched in any case), and none under an inline (?i)', () => {
    expect(literals('Exception', true)).toBe("'Exception'");
    expect(literals('disk (full|quota exceeded)', true)).toBe("all('disk ', any('full', 'quota exceeded'))");
    expect(literals('(?i)exception')).toBeNull();
  });

  it('has none for a pattern of classes and repetitions only', () => {
    expect(literals('\\d{4}-\\d{2}-\\d{2}')).toBe("'-'");
    expect(literals('[0-9]+')).toBeNull();
    expect(literals('.*')).toBeNull();
  });

  it('needs every literal of a sequence: java.lang. and Exception both', () => {
    expect(literals('java\\.lang\\.[A-Za-z]+Exception')).toBe("all('java.lang.', 'Exception')");
  });

  it('gives up on a pattern of too many literals: its lines are all tested', () => {
    const words = Array.from({ length: MAX_LITERALS_PER_PATTERN + 1 }, (_, i) => `q${(i * 7919 + 1000).toString(36)}z`);
    expect(literals(words.join('|'))).toBeNull();
    expect(literals(words.slice(0, 10).join('|'))).not.toBeNull();
  });

  it('cuts a long literal to its first characters', () => {
    const long = 'a very long literal that goes on well beyond the limit';
    expect(literals(long)).toBe(`'${long.slice(0, MAX_LITERAL_CHARS)}'`);
  });
});

describe('literalDecides', () => {
  const decides = (regex: string, ignoreCase = false) =>
    literalDecides({ regex, ignoreCase }, requiredLiterals({ regex, ignoreCase }));

  it('holds for a case-sensitive regex that is one literal, short enough to be searched whole', () => {
    expect(decides('connect\\(\\) failed')).toBe(true);
    expect(decides('Connection refused')).toBe(true);
  });

  it('does not hold for anything more than a literal, a case-insensitive one, or a cut one', () => {
    expect(decides('^panic: ')).toBe(false);
    expect(decides('oom-kill(er)?')).toBe(false);
    expect(decides('a|b')).toBe(false);
    expect(decides('exception', true)).toBe(false);
    expect(decides('x'.repeat(MAX_LITERAL_CHARS + 1))).toBe(false);
  });
});
