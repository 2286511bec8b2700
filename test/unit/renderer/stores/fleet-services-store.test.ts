import { describe, expect, it } from 'vitest';
import type { Member } from '../../../../shared/node.js';
import type { CheckStatus } from '../../../../shared/services.js';
import { membersToAsk } from '../../../../renderer/stores/fleet-services-store.js';

const member = (name: string, health: CheckStatus | null, services = 1): Member =>
  ({
    id: `id-${name}`,
    name,
    leader: false,
    lastSeen: 0,
    ...(health === null ? {} : { summary: { health, services } }),
  }) as Member;

describe('which members the fleet-wide services table asks', () => {
  it('asks the least healthy members with services first, up to the bound, and counts them all', () => {
    const { ask, total } = membersToAsk(
      [
        member('a', 'passing'),
        member('b', 'critical'),
        member('c', 'passing', 0),
        member('d', null),
        member('e', 'warning'),
      ],
      3,
    );
    expect(ask.map((m) => m.name)).toEqual(['b', 'e', 'd']);
    // c has no services, so it is neither asked nor counted; a is left out by the bound.
    expect(total).toBe(4);
  });
});
