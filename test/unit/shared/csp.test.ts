import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspDirectives } from '../../../shared/csp.js';

describe('contentSecurityPolicy', () => {
  it('allows nothing unsafe', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-/);
    expect(contentSecurityPolicy).not.toMatch(/(^|\s)\*(\s|;|$)/);
    expect(contentSecurityPolicy).not.toMatch(/https?:/);
  });

  it('denies by default and loads scripts only from our own origin', () => {
    expect(cspDirectives['default-src']).toEqual(["'none'"]);
    expect(cspDirectives['script-src']).toEqual(["'self'"]);
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
  });

  it('needs no network: connect-src is our origin only, and nothing may frame, embed or post elsewhere', () => {
    expect(cspDirectives['connect-src']).toEqual(["'self'"]);
    for (const directive of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action']) {
      expect(cspDirectives[directive]).toEqual(["'none'"]);
    }
  });

  it('is a well-formed header value', () => {
    expect(contentSecurityPolicy).not.toMatch(/[\r\n]/);
    const names = contentSecurityPolicy.split('; ').map((part) => part.split(' ')[0]);
    expect(new Set(names).size).toBe(names.length);
  });
});
