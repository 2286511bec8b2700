import { describe, expect, it } from 'vitest';
import { externalLinkTarget, openExternalLink } from '../../../electron/shell/external-links.js';

describe('externalLinkTarget', () => {
  it.each([
    ['https://github.com/fleetdeck/fleetdeck/issues', 'https://github.com/fleetdeck/fleetdeck/issues'],
    ['http://10.0.0.5:7420/metrics', 'http://10.0.0.5:7420/metrics'],
    ['HTTPS://Example.COM/a b', 'https://example.com/a%20b'],
  ])('allows http(s): %s', (url, expected) => {
    expect(externalLinkTarget(url)).toBe(expected);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://fleetdeck/index.html',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'mailto:ops@example.com',
    'ftp://example.com/file',
    'https://user:secret@example.com/',
    'https://user@example.com/',
    '//example.com/',
    '/relative/path',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(externalLinkTarget(url)).toBeNull();
  });
});

describe('openExternalLink', () => {
  it('opens only allowed links, and only their normalised form', async () => {
    const opened: string[] = [];
    const open = async (url: string) => {
      opened.push(url);
    };
    expect(await openExternalLink('HTTPS://Example.com', open)).toBe(true);
    expect(await openExternalLink('file:///etc/passwd', open)).toBe(false);
    expect(opened).toEqual(['https://example.com/']);
  });
});
