import { describe, expect, it } from 'vitest';
import { ChannelShown } from '../../../../../shared/notifications.js';
import {
  channelDraftOf,
  channelOf,
  emptyChannelDraft,
  type ChannelDraft,
} from '../../../../../renderer/views/alerts/channels-draft.js';

const draft = (change: Partial<ChannelDraft>): ChannelDraft => ({ ...emptyChannelDraft(), ...change });

describe('channel drafts', () => {
  it('turn every input of a webhook into what fleet.channels.put accepts', () => {
    const result = channelOf(
      draft({
        id: 'ops-hook',
        name: 'Ops hook',
        type: 'webhook',
        minSeverity: 'critical',
        repeatMinutes: '30',
        matchers: 'service=api\n\nnode != web-1\nrule=~disk-.*',
        url: 'https://hooks.example/fd',
        headers: 'Authorization: Bearer abc:def\nX-Team: ops',
        secretSource: 'env',
        secret: 'HOOK_SECRET',
      }),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        id: 'ops-hook',
        name: 'Ops hook',
        type: 'webhook',
        minSeverity: 'critical',
        enabled: true,
        repeatIntervalSeconds: 1800,
        matchers: [
          { name: 'service', op: '=', value: 'api' },
          { name: 'node', op: '!=', value: 'web-1' },
          { name: 'rule', op: '=~', value: 'disk-.*' },
        ],
        settings: {
          url: 'https://hooks.example/fd',
          secret: { env: 'HOOK_SECRET' },
          headers: { Authorization: 'Bearer abc:def', 'X-Team': 'ops' },
        },
      },
    });
  });

  it('keep a stored secret when its value is left empty, and send a new one when typed', () => {
    const listed = ChannelShown.parse({
      id: 'mail',
      name: 'Mail',
      type: 'email',
      settings: {
        host: 'smtp.example.com',
        auth: { user: 'alerts', password: { set: true } },
        from: 'fd@example.com',
        to: ['a@example.com', 'b@example.com'],
      },
    });
    const edited = channelDraftOf(listed);
    expect(edited).toMatchObject({
      secretSource: 'value',
      secret: '',
      secretStored: true,
      to: 'a@example.com, b@example.com',
    });
    expect(channelOf(edited)).toMatchObject({ ok: true, value: { settings: { auth: { password: { set: true } } } } });
    expect(channelOf({ ...edited, secret: 'new-pass' })).toMatchObject({
      ok: true,
      value: { settings: { auth: { user: 'alerts', password: 'new-pass' } } },
    });
  });

  it('put each problem next to its field, before calling the agent', () => {
    const result = channelOf(
      draft({ type: 'slack', name: 'Slack', secretSource: 'value', secret: '', matchers: 'just-a-name' }),
    );
    expect(result).toMatchObject({
      ok: false,
      fields: {
        id: 'Required',
        'settings.webhookUrl': 'Required',
        matchers: '"just-a-name" is not name=value, name!=value, name=~regex or name!~regex',
      },
    });
    const badUrl = channelOf(draft({ id: 'h', name: 'H', url: 'ftp://example.com' }));
    expect(badUrl).toMatchObject({ ok: false, fields: { 'settings.url': 'must be an http:// or https:// URL' } });
  });
});
