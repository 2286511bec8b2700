import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../electron/core/coded-error.js';
import { compilePattern, patternRefusal } from '../../../electron/logs/compile-pattern.js';

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

  it('refuses backreferences and lookaround, which RE2 does not have, saying what is unsupported', () => {
    expect(refusal('(a)\\1').issues).toEqual([
      { path: 'regex', message: expect.stringMatching(/^a back-reference \(`\\1`.* is not supported: /) },
    ]);
    expect(refusal('(?=x)').issues?.[0]?.message).toMatch(/^look-ahead `\(\?=…\)` is not supported: /);
  });

  it('matches a pathological pattern on a long line in linear time', () => {
    const matches = compilePattern({ regex: '(a+)+$', ignoreCase: false });
    const started = performance.now();
    expect(matches(`${'a'.repeat(10_000)}b`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('the cost bound', () => {
  it('refuses the repro pattern, naming its program size, the limit and the repetition to reduce', () => {
    const message =
      'pattern too costly: program of 2502 instructions, limit 1200 — reduce repetition counts like {500}';
    const error = refusal('(a?){500}a{500}');
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(message);
    expect(error.issues).toEqual([{ path: 'regex', message }]);
    expect(patternRefusal({ regex: '(a?){500}a{500}', ignoreCase: false })).toBe(message);
  });

  it('names the largest counted repetition, or asks for a shorter regex when there is none', () => {
    expect(refusal('(x{2,3}y?){1,300}').message).toBe(
      'pattern too costly: program of 2701 instructions, limit 1200 — reduce repetition counts like {1,300}',
    );
    expect(refusal('ab?'.repeat(500)).message).toBe(
      'pattern too costly: program of 1502 instructions, limit 1200 — shorten the regex',
    );
  });

  it('accepts everyday patterns, up to the longest plain literal the schema allows', () => {
    for (const regex of [
      'ERROR',
      'timeout after \\d+ ms',
      '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*\\b(ERROR|FATAL)\\b',
      '(?i)\\b(?:OutOfMemory|StackOverflow)Error\\b',
      '[^ ]{1,200}',
      '(a?){200}a{200}',
      'x'.repeat(1000),
    ]) {
      expect(patternRefusal({ regex, ignoreCase: false }), regex).toBeNull();
      expect(patternRefusal({ regex, ignoreCase: true }), regex).toBeNull();
    }
  });

  it('says why a regex does not compile without throwing', () => {
    expect(patternRefusal({ regex: '[z-a]', ignoreCase: false })).toBe('invalid character class range: `z-a`');
  });
});
