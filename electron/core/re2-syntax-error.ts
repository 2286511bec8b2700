import { RE2JSException } from 're2js';
import { errorMessage } from './errors.js';

/**
 * Syntax other engines have and RE2 refuses, each with what to write instead. re2js names only the token it stopped
 * at ("invalid named capture: `(?<=a)b`"), which reads like a typo rather than a feature RE2 leaves out on purpose.
 */
const unsupported: { test: (reason: string, regex: string) => boolean; what: string; instead: string }[] = [
  {
    test: (reason) => /^invalid named capture: `\(\?<=/.test(reason),
    what: 'look-behind `(?<=…)`',
    instead: 'match the text before as part of the pattern, e.g. `foo(bar)` rather than `(?<=foo)bar`',
  },
  {
    test: (reason) => /^invalid named capture: `\(\?<!/.test(reason),
    what: 'negative look-behind `(?<!…)`',
    instead: 'match what may come before with a negated class, e.g. `(^|[^x])bar` rather than `(?<!x)bar`',
  },
  {
    test: (reason) => /Perl syntax: `\(\?=/.test(reason),
    what: 'look-ahead `(?=…)`',
    instead: 'match the text after as part of the pattern, e.g. `foo(bar)` rather than `foo(?=bar)`',
  },
  {
    test: (reason) => /Perl syntax: `\(\?!/.test(reason),
    what: 'negative look-ahead `(?!…)`',
    instead: 'match what may come after with a negated class, e.g. `foo([^x]|$)` rather than `foo(?!x)`',
  },
  {
    test: (reason, regex) =>
      /^invalid escape sequence: `\\([1-9]|k)/.test(reason) ||
      (/Perl syntax: `\(\?P`/.test(reason) && regex.includes('(?P=')),
    what: 'a back-reference (`\\1`, `\\k<name>`, `(?P=name)`)',
    instead: 'write the repeated part out again, e.g. `(ab)-(ab)` rather than `(ab)-\\1`, or list the alternatives',
  },
  {
    test: (reason) =>
      /Perl syntax: `\(\?>/.test(reason) || /nested repetition operator: `([*+?]|\{[\d,]*\})\+`/.test(reason),
    what: 'an atomic group `(?>…)` or possessive quantifier (`a++`)',
    instead: 'RE2 never backtracks, so write it plainly: `(?:…)`, `a+`',
  },
];

/**
 * Why RE2 refused `regex`, from re2js's error: its own words ("missing closing ): `(a`"), or, for a look-around,
 * back-reference or atomic group, what is unsupported and what to write instead.
 */
export function re2SyntaxReason(regex: string, error: unknown): string {
  const reason = (error instanceof RE2JSException ? error.message : errorMessage(error)).replace(
    /^error parsing regexp: /,
    '',
  );
  const known = unsupported.find(({ test }) => test(reason, regex));
  return known
    ? `${known.what} is not supported: RE2 has no look-arounds or back-references, which keeps matching linear; ${known.instead}`
    : reason;
}
