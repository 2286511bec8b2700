import { describe, expect, it } from 'vitest';
import { LogPattern } from '../../../../../shared/log-patterns.js';
import type { LogSuggestion } from '../../../../../shared/log-suggestions.js';
import { patternOf } from '../../../../../renderer/views/log-patterns/pattern-draft.js';
import { prefillOf, suggestedId } from '../../../../../renderer/views/log-patterns/suggestion-draft.js';

const suggestion: LogSuggestion = {
  source: 'payments-log',
  template: '<NUM>-<NUM>-<NUM>T<NUM>:<NUM>:<NUM>Z WARN payment declined for order <NUM>',
  regex: 'WARN\\s+payment\\s+declined\\s+for\\s+order',
  name: 'WARN payment declined for order',
  count: 6,
  examples: [
    '2026-12-03T10:00:00Z WARN payment declined for order 1',
    '2026-12-03T10:00:01Z WARN payment declined for order 2',
  ],
};

describe('suggestedId', () => {
  it('makes a slug of the name, numbered after the ids the fleet has', () => {
    expect(suggestedId('WARN payment declined: order (EU)', new Set())).toBe('warn-payment-declined-order-eu');
    expect(suggestedId('Disk full', new Set(['disk-full', 'disk-full-2']))).toBe('disk-full-3');
    expect(suggestedId('— ?', new Set())).toBe('suggested');
  });

  it('stays within the id schema however long the name', () => {
    const id = suggestedId('word '.repeat(40), new Set());
    expect(LogPattern.shape.id.safeParse(id).success).toBe(true);
    expect(LogPattern.shape.id.safeParse(suggestedId('word '.repeat(40), new Set([id]))).success).toBe(true);
  });
});

describe('prefillOf', () => {
  it('gives a draft the shared schema accepts, for the suggestion’s source, its examples as Try it lines', () => {
    const prefill = prefillOf(suggestion, new Set());
    expect(prefill.sample).toBe(suggestion.examples.join('\n'));
    const result = patternOf(prefill.draft);
    expect(result).toEqual({
      ok: true,
      pattern: {
        id: 'warn-payment-declined-for-order',
        name: 'WARN payment declined for order',
        description: `Suggested from lines of payments-log like: ${suggestion.template}`,
        regex: suggestion.regex,
        ignoreCase: false,
        severity: 'warning',
        sources: ['payments-log'],
      },
    });
  });
});
