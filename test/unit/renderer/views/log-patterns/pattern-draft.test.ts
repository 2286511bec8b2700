import { describe, expect, it } from 'vitest';
import { sourcesOf, withSource } from '../../../../../renderer/views/log-patterns/pattern-draft.js';

describe('picking a pattern’s sources', () => {
  it('adds a ticked source after the ones already named, once', () => {
    expect(withSource('', 'app-log', true)).toBe('app-log');
    expect(withSource('web, worker', 'app-log', true)).toBe('web, worker, app-log');
    expect(withSource('app-log,web', 'app-log', true)).toBe('app-log, web');
  });

  it('takes an unticked source out and keeps the names typed by hand', () => {
    expect(withSource('web, app-log, other-node-only', 'app-log', false)).toBe('web, other-node-only');
    expect(withSource('app-log', 'app-log', false)).toBe('');
    expect(sourcesOf(withSource(' web ,, app-log ', 'db', true))).toEqual(['web', 'app-log', 'db']);
  });
});
