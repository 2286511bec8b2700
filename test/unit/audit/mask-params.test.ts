import { describe, expect, it } from 'vitest';
import { maskSecrets, storedParams } from '../../../electron/audit/mask-params.js';
import { auditParamsMaxChars } from '../../../shared/audit.js';

describe('audit params', () => {
  it('masks every secret-like field at any depth, in arrays too, and keeps the rest', () => {
    const params = {
      backend: {
        kind: 'etcd',
        endpoints: ['http://10.0.0.5:2379'],
        auth: { username: 'fleet', password: 'hunter2' },
        tls: { caFile: '/etc/ca.pem', keyFile: '/etc/client.key' },
      },
      headers: [{ Authorization: 'Bearer fd_abc' }, { name: 'x-api-token', value: 'plain' }],
      clientSecret: 's3cr3t',
      credentials: { user: 'a', pass: 'b' },
      idempotencyKey: 'k-1',
      apiToken: null,
      count: 3,
    };
    expect(maskSecrets(params)).toEqual({
      backend: {
        kind: 'etcd',
        endpoints: ['http://10.0.0.5:2379'],
        auth: { username: 'fleet', password: '***' },
        tls: { caFile: '/etc/ca.pem', keyFile: '***' },
      },
      // The field's name decides, not its value: a header's value under "value" is kept.
      headers: [{ Authorization: '***' }, { name: 'x-api-token', value: 'plain' }],
      clientSecret: '***',
      credentials: '***',
      idempotencyKey: '***',
      apiToken: '***',
      count: 3,
    });
    // The caller's object is left as it was.
    expect(params.backend.auth.password).toBe('hunter2');
  });

  it('masks the user info of URLs in any string', () => {
    expect(
      maskSecrets({
        endpoints: ['http://root:pw@10.0.0.5:2379', 'https://10.0.0.6:2379'],
        note: 'see https://ops@wiki.example/x and mailto:a@b',
      }),
    ).toEqual({
      endpoints: ['http://***@10.0.0.5:2379', 'https://10.0.0.6:2379'],
      note: 'see https://***@wiki.example/x and mailto:a@b',
    });
  });

  it('masks values after secret-like names in strings: YAML, arguments, headers', () => {
    const yaml = [
      '- id: billing',
      '  checks:',
      '    - type: http',
      '      headers:',
      '        Authorization: Bearer abc.def',
      '        X-Api-Key: "k-123"',
      '      url: http://127.0.0.1/',
      'password: hunter2',
    ].join('\n');
    expect(maskSecrets({ yaml })).toEqual({
      yaml: [
        '- id: billing',
        '  checks:',
        '    - type: http',
        '      headers:',
        '        Authorization: ***',
        '        X-Api-Key: ***',
        '      url: http://127.0.0.1/',
        'password: ***',
      ].join('\n'),
    });
    expect(maskSecrets(['--db-password=s3cret', '--verbose', '{"token":"t-1","n":2}', 'monkey=banana'])).toEqual([
      '--db-password=***',
      '--verbose',
      '{"token":***,"n":2}',
      'monkey=***',
    ]);
  });

  it('reads a long hostile string in linear time', () => {
    const started = performance.now();
    maskSecrets({
      a: 'x'.repeat(1_000_000),
      b: 'x://'.repeat(250_000),
      c: `${'h'.repeat(500_000)}://${'u'.repeat(500_000)}`,
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stores small params as JSON and cuts large ones, saying so', () => {
    expect(storedParams({ id: 'web', password: 'x' })).toEqual({
      json: '{"id":"web","password":"***"}',
      truncated: false,
    });
    expect(storedParams(undefined)).toEqual({ json: 'null', truncated: false });
    const big = storedParams({ text: 'a'.repeat(10_000) });
    expect(big.truncated).toBe(true);
    expect(big.json).toHaveLength(auditParamsMaxChars);
    expect(big.json.startsWith('{"text":"aaa')).toBe(true);
  });

  it('stops at a bounded depth, so a deeply nested body cannot exhaust the stack', () => {
    let nested: unknown = { token: 'deep' };
    for (let i = 0; i < 100_000; i += 1) nested = [nested];
    const { json, truncated } = storedParams(nested);
    expect(truncated).toBe(false);
    expect(json).toContain('"[nested too deep]"');
    expect(json).not.toContain('deep"}');
  });
});
