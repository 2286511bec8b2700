import { afterEach, describe, expect, it } from 'vitest';
import { useAlertsStore } from '../../../../renderer/stores/alerts-store.js';
import { alertFixture } from '../../../support/alert-fixture.js';

afterEach(() => useAlertsStore.getState().reset());

const shown = () => {
  const { open, history } = useAlertsStore.getState().node;
  return { open: open.map((a) => `${a.id} ${a.state}`), history: history.map((a) => `${a.id} ${a.state}`) };
};

describe('alerts store: alerts answered or pushed', () => {
  it('drops a pending alert that ended without firing from the open list and the history', () => {
    const { alertAnswered } = useAlertsStore.getState();
    alertAnswered(alertFixture({ id: 1 }));
    alertAnswered(alertFixture({ id: 2, state: 'firing', firingAt: 5, firingValue: 93 }));
    expect(shown()).toEqual({ open: ['2 firing', '1 pending'], history: ['2 firing', '1 pending'] });

    alertAnswered(alertFixture({ id: 1, state: 'resolved', resolvedAt: 9 }));
    alertAnswered(alertFixture({ id: 2, state: 'resolved', firingAt: 5, firingValue: 93, resolvedAt: 9 }));
    expect(shown()).toEqual({ open: [], history: ['2 resolved'] });
  });
});
