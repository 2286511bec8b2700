import { describe, expect, it } from 'vitest';
import { RecentLines } from '../../../electron/logs/recent-lines.js';

describe('RecentLines', () => {
  it('keeps the newest lines of each source, oldest first, up to maxLines', () => {
    const recent = new RecentLines({ maxLines: 3 });
    recent.add('api', ['a1', 'a2']);
    recent.add('worker', ['w1']);
    recent.add('api', ['a3', 'a4']);
    expect(recent.lines('api')).toEqual(['a2', 'a3', 'a4']);
    expect(recent.lines('worker')).toEqual(['w1']);
    expect(recent.lines('other')).toEqual([]);
  });

  it('keeps at most maxChars per source, dropping the oldest', () => {
    const recent = new RecentLines({ maxChars: 10 });
    recent.add('api', ['aaaa', 'bbbb', 'cccc']);
    expect(recent.lines('api')).toEqual(['bbbb', 'cccc']);
  });

  it('cuts long lines, never through a surrogate pair, and skips blank ones', () => {
    const recent = new RecentLines({ maxLineChars: 5 });
    recent.add('api', ['abcdefgh', 'abcd😀x', '   ', '']);
    expect(recent.lines('api')).toEqual(['abcde', 'abcd']);
  });

  it('keeps only the newest of a chunk of a million lines', () => {
    const recent = new RecentLines({ maxLines: 100 });
    const lines = Array.from({ length: 1_000_000 }, (_, i) => `line ${i}`);
    recent.add('busy', lines);
    expect(recent.lines('busy')).toEqual(lines.slice(-100));
  });

  it('forgets sources no longer named', () => {
    const recent = new RecentLines();
    recent.add('api', ['a']);
    recent.add('gone', ['g']);
    recent.keepOnly(new Set(['api']));
    expect(recent.sources()).toEqual(['api']);
    expect(recent.lines('gone')).toEqual([]);
  });
});
