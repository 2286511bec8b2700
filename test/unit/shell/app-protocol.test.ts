import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, handleAppRequest, resolveAppPath } from '../../../electron/shell/app-protocol.js';
import { contentSecurityPolicy } from '../../../shared/csp.js';

describe('resolveAppPath', () => {
  const root = '/srv/fleetdeck/dist/renderer';

  it('serves index.html for the origin root', () => {
    expect(resolveAppPath(root, 'app://fleetdeck/')).toEqual({ ok: true, file: `${root}/index.html` });
    expect(resolveAppPath(root, 'app://fleetdeck')).toEqual({ ok: true, file: `${root}/index.html` });
    expect(resolveAppPath(root, 'app://fleetdeck/index.html')).toEqual({ ok: true, file: `${root}/index.html` });
  });

  it('serves assets, ignoring query and fragment', () => {
    expect(resolveAppPath(root, 'app://fleetdeck/assets/index-abc123.js?v=1#x')).toEqual({
      ok: true,
      file: `${root}/assets/index-abc123.js`,
    });
    expect(resolveAppPath(root, 'app://fleetdeck/assets/my%20font.woff2')).toEqual({
      ok: true,
      file: `${root}/assets/my font.woff2`,
    });
  });

  it.each([
    'app://fleetdeck/../../etc/passwd',
    'app://fleetdeck/assets/../../../etc/passwd',
    'app://fleetdeck/%2e%2e/%2e%2e/etc/passwd',
    'app://fleetdeck/..%2f..%2fetc%2fpasswd',
    'app://fleetdeck/assets%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://fleetdeck/..%5c..%5cwindows%5cwin.ini',
    'app://fleetdeck/%2fetc%2fpasswd',
    'app://fleetdeck/C:%5cWindows%5cwin.ini',
    'app://fleetdeck/index.html%00.png',
  ])('never resolves outside the root: %s', (url) => {
    const result = resolveAppPath(root, url);
    if (result.ok) {
      // URL parsing may already have removed the dot segments; then the file must still be under the root.
      expect(result.file.startsWith(`${root}/`)).toBe(true);
      expect(result.file).not.toContain('..');
    } else {
      expect([400, 403]).toContain(result.status);
    }
  });

  it('rejects the encoded traversals outright', () => {
    expect(resolveAppPath(root, 'app://fleetdeck/..%2f..%2fetc%2fpasswd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://fleetdeck/..%5c..%5cwin.ini')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://fleetdeck/a%00b')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://fleetdeck/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
  });

  it('rejects other hosts and schemes', () => {
    expect(resolveAppPath(root, 'app://other/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'not a url')).toMatchObject({ ok: false, status: 403 });
  });

  it('holds with Windows path rules too', () => {
    const winRoot = 'C:\\Program Files\\Fleetdeck\\resources\\app.asar\\dist\\renderer';
    expect(resolveAppPath(winRoot, 'app://fleetdeck/assets/a.js', path.win32)).toEqual({
      ok: true,
      file: `${winRoot}\\assets\\a.js`,
    });
    for (const url of [
      'app://fleetdeck/..%5c..%5cwin.ini',
      'app://fleetdeck/C:%5cWindows%5cwin.ini',
      'app://fleetdeck/index.html:stream',
    ]) {
      expect(resolveAppPath(winRoot, url, path.win32)).toMatchObject({ ok: false });
    }
  });
});

describe('handleAppRequest', () => {
  let root: string;
  const deps = () => ({ rootDir: root, readFile: (file: string) => readFile(file) });

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetdeck-app-protocol-'));
    root = path.join(dir, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Fleetdeck</title>');
    await writeFile(path.join(root, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'do not serve');
  });
  afterAll(async () => {
    await rm(path.dirname(root), { recursive: true, force: true });
  });

  it('serves index.html with the CSP and nosniff', async () => {
    const response = await handleAppRequest(new Request('app://fleetdeck/'), deps());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Fleetdeck</title>');
  });

  it('serves assets with their content type', async () => {
    const response = await handleAppRequest(new Request('app://fleetdeck/assets/index.js'), deps());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers 404 for missing files and directories, 403 for traversal', async () => {
    expect((await handleAppRequest(new Request('app://fleetdeck/nope.js'), deps())).status).toBe(404);
    expect((await handleAppRequest(new Request('app://fleetdeck/assets'), deps())).status).toBe(404);
    const escape = await handleAppRequest(new Request('app://fleetdeck/..%2fsecret.txt'), deps());
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toContain('do not serve');
    expect(escape.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('allows only GET and HEAD', async () => {
    const post = await handleAppRequest(
      new Request('app://fleetdeck/index.html', { method: 'POST', body: 'x' }),
      deps(),
    );
    expect(post.status).toBe(405);
    const head = await handleAppRequest(new Request('app://fleetdeck/index.html', { method: 'HEAD' }), deps());
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('puts the CSP and nosniff on every answer: pages, assets and every error', async () => {
    const unreadable = () => Promise.reject(Object.assign(new Error('permission denied'), { code: 'EACCES' }));
    const answers = [
      await handleAppRequest(new Request('app://fleetdeck/'), deps()),
      await handleAppRequest(new Request('app://fleetdeck/assets/index.js'), deps()),
      await handleAppRequest(new Request('app://fleetdeck/index.html', { method: 'HEAD' }), deps()),
      await handleAppRequest(new Request('app://fleetdeck/nope.html'), deps()),
      await handleAppRequest(new Request('app://fleetdeck/..%2fsecret.txt'), deps()),
      await handleAppRequest(new Request('app://fleetdeck/%E0%A4%A'), deps()),
      await handleAppRequest(new Request('app://other/index.html'), deps()),
      await handleAppRequest(new Request('app://fleetdeck/', { method: 'DELETE' }), deps()),
      await handleAppRequest(new Request('app://fleetdeck/'), { rootDir: root, readFile: unreadable }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 404, 403, 400, 403, 405, 500]);
    for (const answer of answers) {
      expect(answer.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('maps content types, defaulting to octet-stream', () => {
    expect(contentTypeFor('/x/a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/a.unknown')).toBe('application/octet-stream');
  });
});
