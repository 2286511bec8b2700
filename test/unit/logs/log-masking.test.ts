import { describe, expect, it } from 'vitest';
import { hasMask, maskToken, tokensOf } from '../../../electron/logs/log-masking.js';

const piecesOf = (token: string) => maskToken(token).pieces;

describe('maskToken', () => {
  it('masks numbers, IPv4 addresses, uuids and hex, keeping the text around them', () => {
    expect(piecesOf('10.1.2.3:8080')).toEqual([{ mask: 'ip' }, { text: ':' }, { mask: 'num' }]);
    expect(piecesOf('req=3f2a9c1e-0b4d-4e5f-8a6b-7c8d9e0f1a2b,')).toEqual([
      { text: 'req=' },
      { mask: 'uuid' },
      { text: ',' },
    ]);
    expect(piecesOf('0xDEADBEEF')).toEqual([{ mask: 'hex' }]);
    expect(piecesOf('sha=9f86d081884c7d65')).toEqual([{ text: 'sha=' }, { mask: 'hex' }]);
    expect(piecesOf('took=12.5ms')).toEqual([{ text: 'took=' }, { mask: 'num' }, { text: 'ms' }]);
    expect(piecesOf('2025-01-01T12:00:00Z')).toEqual([
      { mask: 'num' },
      { text: '-' },
      { mask: 'num' },
      { text: '-' },
      { mask: 'num' },
      { text: 'T' },
      { mask: 'num' },
      { text: ':' },
      { mask: 'num' },
      { text: ':' },
      { mask: 'num' },
      { text: 'Z' },
    ]);
  });

  it('leaves words made of hex letters alone, and reads a long run of digits as a number', () => {
    expect(piecesOf('deadbeefcafe')).toEqual([{ text: 'deadbeefcafe' }]);
    expect(piecesOf('added')).toEqual([{ text: 'added' }]);
    expect(piecesOf('1234567890')).toEqual([{ mask: 'num' }]);
    expect(hasMask(maskToken('ERROR'))).toBe(false);
    expect(hasMask(maskToken('user42'))).toBe(true);
  });

  it('gives tokens that differ only in masked values the same key, and text that spells a mask another', () => {
    expect(maskToken('port=22').key).toBe(maskToken('port=8443').key);
    expect(maskToken('10.0.0.1').key).toBe(maskToken('192.168.100.254').key);
    expect(maskToken('<num>').key).not.toBe(maskToken('1').key);
    expect(maskToken('port=22').key).not.toBe(maskToken('port:22').key);
  });

  it('masks a long token in time linear in its length', () => {
    const token = `${'a'.repeat(50_000)}1${'f'.repeat(50_000)}`;
    const started = performance.now();
    expect(piecesOf(token)).toEqual([{ mask: 'hex' }]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('tokensOf', () => {
  it('splits on any run of whitespace and drops the empty ends', () => {
    expect(tokensOf('  a\tb   c \r')).toEqual(['a', 'b', 'c']);
    expect(tokensOf('   ')).toEqual([]);
  });
});
