import { describe, expect, it } from 'vitest';
import { applyMemberChanges, diffMembers, type SentMembers } from '../../../shared/member-changes.js';
import type { Member } from '../../../shared/node.js';

const member = (id: string, extra: Partial<Member> = {}): Member => ({
  id,
  name: id.toUpperCase(),
  role: 'agent',
  labels: {},
  version: '1.0.0',
  apiUrl: `http://127.0.0.1:7420/${id}`,
  startedAt: 1,
  leader: false,
  lastSeen: 10,
  ...extra,
});

describe('member changes', () => {
  it('sends everything first, then only what changed, and nothing when nothing did', () => {
    const sent: SentMembers = new Map();
    const [a, b, c] = [member('a'), member('b'), member('c')];
    expect(diffMembers(sent, [a, b, c])).toEqual({ upserted: [a, b, c], removed: [] });
    expect(diffMembers(sent, [a, b, c])).toBeNull();
    const bLeads = member('b', { leader: true });
    const d = member('d');
    expect(diffMembers(sent, [a, bLeads, d])).toEqual({ upserted: [bLeads, d], removed: ['c'] });
    expect(diffMembers(sent, [a, bLeads, d])).toBeNull();
  });

  it('takes an equal copy of a member sent before for unchanged', () => {
    const sent: SentMembers = new Map();
    diffMembers(sent, [member('a'), member('b')]);
    expect(diffMembers(sent, [member('a'), member('b')])).toBeNull();
    expect(diffMembers(sent, [member('a'), member('b', { stale: true })])).toEqual({
      upserted: [member('b', { stale: true })],
      removed: [],
    });
  });

  it('applied to the previous list gives the new list, in id order', () => {
    const sent: SentMembers = new Map();
    const before = [member('a'), member('c'), member('e')];
    diffMembers(sent, before);
    const after = [member('a', { lastSeen: 20 }), member('b'), member('e')];
    const changes = diffMembers(sent, after)!;
    expect(changes.upserted.map((m) => m.id)).toEqual(['a', 'b']);
    expect(applyMemberChanges(before, changes)).toEqual(after);
  });
});
