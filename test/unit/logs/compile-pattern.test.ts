import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../electron/core/coded-error.js';
import { compilePattern, testPattern } from '../../../electron/logs/compile-pattern.js';

function refusal(regex: string): CodedError {
  try {
    compilePattern({ regex, ignoreCase: false });
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error(`expected ${regex} to be refused`);
}

describe('compilePattern', () => {
  it('matches the regex anywhere in a line', () => {
    const matches = compilePattern({ regex: 'ERROR \\d+', ignoreCase: false });
    expect(matches('2026-01-01 ERROR 42 disk full')).toBe(true);
    expect(matches('2026-01-01 error 42 disk full')).toBe(false);
    expect(matches('ERROR none')).toBe(false);
  });

  it('ignores case when asked', () => {
    const matches = compilePattern({ regex: 'timeout', ignoreCase: true });
    expect(matches('upstream TimeOut after 5s')).toBe(true);
    expect(matches('upstream slow')).toBe(false);
  });

  it('refuses an invalid regex as invalid_request, with re2js reason on the regex field', () => {
    const error = refusal('(unclosed');
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('the regex does not compile: missing closing ): `(unclosed`');
    expect(error.issues).toEqual([{ path: 'regex', message: 'missing closing ): `(unclosed`' }]);
  });

  it('refuses backreferences and lookaround, which RE2 does not have, saying which part', () => {
    expect(refusal('(a)\\1').issues).toEqual([{ path: 'regex', message: 'invalid escape sequence: `\\1`' }]);
    expect(refusal('(?=x)').issues).toEqual([{ path: 'regex', message: 'invalid or unsupported Perl syntax: `(?=`' }]);
  });

  it('matches a pathological pattern on a long line in linear time', () => {
    const matches = compilePattern({ regex: '(a+)+$', ignoreCase: false });
    const started = performance.now();
    expect(matches(`${'a'.repeat(10_000)}b`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('testPattern', () => {
  it('lists the matching sample lines with their index', () => {
    expect(
      testPattern({ regex: 'fail(ed|ure)', ignoreCase: true, lines: ['ok', 'FAILED x', 'a failure', ''] }),
    ).toEqual({
      ok: true,
      matches: [
        { index: 1, line: 'FAILED x' },
        { index: 2, line: 'a failure' },
      ],
    });
    expect(testPattern({ regex: 'x', ignoreCase: false, lines: [] })).toEqual({ ok: true, matches: [] });
  });

  it('returns the reason instead of throwing for a regex that does not compile', () => {
    expect(testPattern({ regex: '(a)\\1', ignoreCase: false, lines: ['aa'] })).toEqual({
      ok: false,
      error: 'invalid escape sequence: `\\1`',
    });
    expect(testPattern({ regex: '[z-a]', ignoreCase: false, lines: [] })).toEqual({
      ok: false,
      error: 'invalid character class range: `z-a`',
    });
  });
});
