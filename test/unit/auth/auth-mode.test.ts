import { describe, expect, it } from 'vitest';
import { authRequired } from '../../../electron/auth/auth-mode.js';

describe('authRequired', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.0.1.1', false],
    ['::1', false],
    ['[::1]', false],
    ['localhost', false],
    ['LOCALHOST', false],
    ['0.0.0.0', true],
    ['::', true],
    ['192.168.1.20', true],
    ['10.0.0.5', true],
    ['fe80::1', true],
    ['fleet-node-1.lan', true],
  ])('auto on %s → required: %s', (host, required) => {
    expect(authRequired({ host, auth: 'auto' })).toBe(required);
  });

  it('required on loopback when the config says so', () => {
    expect(authRequired({ host: '127.0.0.1', auth: 'required' })).toBe(true);
  });
});
