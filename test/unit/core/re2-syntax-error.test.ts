import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { re2SyntaxReason } from '../../../electron/core/re2-syntax-error.js';

/** What the agent says about a regex RE2 refuses. */
function reasonFor(regex: string): string {
  try {
    RE2JS.compile(regex);
  } catch (error) {
    return re2SyntaxReason(regex, error);
  }
  throw new Error(`expected ${regex} to be refused`);
}

const why = 'is not supported: RE2 has no look-arounds or back-references, which keeps matching linear; ';

describe('the reason RE2 refused a regex', () => {
  it('names look-behind and look-ahead and says what to write instead', () => {
    expect(reasonFor('(?<=user=)\\w+')).toBe(
      `look-behind \`(?<=…)\` ${why}match the text before as part of the pattern, e.g. \`foo(bar)\` rather than \`(?<=foo)bar\``,
    );
    expect(reasonFor('(?<!x)bar')).toBe(
      `negative look-behind \`(?<!…)\` ${why}match what may come before with a negated class, e.g. \`(^|[^x])bar\` rather than \`(?<!x)bar\``,
    );
    expect(reasonFor('foo(?=bar)')).toMatch(/^look-ahead `\(\?=…\)` is not supported: .*rather than `foo\(\?=bar\)`$/);
    expect(reasonFor('foo(?!x)')).toMatch(/^negative look-ahead `\(\?!…\)` is not supported: .*`foo\(\[\^x\]\|\$\)`/);
  });

  it('names back-references in each spelling', () => {
    for (const regex of ['(a)\\1', '(?<n>a)\\k<n>', '(?P<n>a)(?P=n)']) {
      expect(reasonFor(regex), regex).toMatch(/^a back-reference .* is not supported: .*write the repeated part out/);
    }
  });

  it('says atomic groups and possessive quantifiers are not needed', () => {
    for (const regex of ['(?>ab)c', 'a++b', 'a*+', 'a{2}+']) {
      expect(reasonFor(regex), regex).toMatch(/^an atomic group .* is not supported: .*RE2 never backtracks/);
    }
  });

  it("keeps re2js's own words for plain mistakes", () => {
    expect(reasonFor('(unclosed')).toBe('missing closing ): `(unclosed`');
    expect(reasonFor('a**')).toBe('invalid nested repetition operator: `**`');
    expect(reasonFor('(?P<n>a')).toBe('missing closing ): `(?P<n>a`');
    expect(reasonFor('\\Z')).toBe('invalid escape sequence: `\\Z`');
  });
});
