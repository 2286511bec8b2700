import { RE2JS } from 're2js';
import type { LabelMatcher } from '../../shared/label-matchers.js';
import { MAX_PROGRAM_SIZE } from '../logs/compile-pattern.js';
import { CodedError } from './coded-error.js';
import { re2SyntaxReason } from './re2-syntax-error.js';

export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles matchers into one predicate (all must hold; none matches everything). Regexes are RE2 (linear time),
 * anchored to the whole value and bounded as log patterns are; one that does not compile, or costs too much, is
 * refused as `invalid_request` naming the matcher (`matchers[2].value`).
 */
export function compileMatchers(matchers: readonly LabelMatcher[], field = 'matchers'): LabelPredicate {
  const tests = matchers.map((matcher, index) => compileOne(matcher, `${field}[${index}].value`));
  return (labels) => tests.every((test) => test(labels));
}

function compileOne({ name, op, value }: LabelMatcher, path: string): LabelPredicate {
  if (op === '=') return (labels) => (labels[name] ?? '') === value;
  if (op === '!=') return (labels) => (labels[name] ?? '') !== value;
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(`^(?:${value})$`);
  } catch (error) {
    throw refusal(path, `the regex does not compile: ${re2SyntaxReason(value, error)}`);
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE) {
    throw refusal(path, `regex too costly: ${regex.programSize()} instructions, limit ${MAX_PROGRAM_SIZE}`);
  }
  const wanted = op === '=~';
  return (labels) => regex.matches(labels[name] ?? '') === wanted;
}

function refusal(path: string, reason: string): CodedError {
  return new CodedError('invalid_request', `${path}: ${reason}`, [{ path, message: reason }]);
}
