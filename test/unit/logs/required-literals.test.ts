import { describe, expect, it } from 'vitest';
import { literalDecides, MAX_LITERAL_CHARS, requiredLiterals } from '../../../electron/logs/required-literals.js';

const literals = (regex: string, ignoreCase = false) => requiredLiterals({ regex, ignoreCase });

describe('requiredLiterals', () => {
  it('takes a plain regex as its own literal, escapes undone', () => {
    expect(literals('connect\\(\\) failed')).toEqual(['connect() failed']);
    expect(literals('" 404 ')).toEqual(['" 404 ']);
  });

  it('needs one of the branches of an alternation, each its own literal', () => {
    expect(literals('\\b(ERROR|FATAL|CRITICAL)\\b')?.sort()).toEqual(['CRITICAL', 'ERROR', 'FATAL']);
    expect(literals('i/o timeout|connection refused')?.sort()).toEqual(['connection refused', 'i/o timeout']);
  });

  it('takes a literal from every branch, and has none when one branch has none', () => {
    expect(literals('timeout|\\d+ ms')?.sort()).toEqual([' ms', 'timeout']);
    expect(literals('timeout|\\d+')).toBeNull();
    expect(literals('^(a|.)')).toBeNull();
  });

  it('stops a literal at a character class and keeps the longest required piece', () => {
    expect(literals('segfault at [0-9a-f]+')).toEqual(['segfault at ']);
    expect(literals('[Ee]rror: disk')).toEqual(['rror: disk']);
    expect(literals('HikariPool-[0-9]+ - Connection is not available')).toEqual([' - Connection is not available']);
  });

  it('leaves out optional parts and keeps what is required around them', () => {
    expect(literals('oom-kill(er)?')).toEqual(['oom-kill']);
    expect(literals('\\bWARN(ING)?\\b')).toEqual(['WARN']);
    expect(literals('(invalid user )?root from')).toEqual(['root from']);
    expect(literals('(retry)*\\d')).toBeNull();
  });

  it('ignores anchors and word boundaries around a literal', () => {
    expect(literals('^panic: ')).toEqual(['panic: ']);
    expect(literals('\\bdone$')).toEqual(['done']);
  });

  it('keeps the same literals for a case-insensitive pattern (searched in any case), and none under an inline (?i)', () => {
    expect(literals('Exception', true)).toEqual(['Exception']);
    expect(literals('disk (full|quota exceeded)', true)).toEqual(['disk ']);
    expect(literals('(?i)exception')).toBeNull();
  });

  it('has none for a pattern of classes and repetitions only', () => {
    expect(literals('\\d{4}-\\d{2}-\\d{2}')).toEqual(['-']);
    expect(literals('[0-9]+')).toBeNull();
    expect(literals('.*')).toBeNull();
  });

  it('cuts a long literal to its first characters', () => {
    const long = 'a very long literal that goes on well beyond the limit';
    expect(literals(long)).toEqual([long.slice(0, MAX_LITERAL_CHARS)]);
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
