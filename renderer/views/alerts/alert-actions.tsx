import { useState } from 'react';
import type { Alert } from '../../../shared/alerts.js';
import { useClient } from '../../client/client-context.js';
import type { Outcome } from '../../client/outcome.js';
import { useAlertLifecycleStore } from '../../stores/alert-lifecycle-store.js';

/** Runs an action on an alert and keeps the agent's refusal, if any, to show beside the buttons. */
export function useAlertAction() {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const run = async (action: () => Promise<Outcome<Alert>>) => {
    setBusy(true);
    const outcome = await action();
    setBusy(false);
    setRefusal(outcome.ok ? null : outcome.message);
    return outcome;
  };
  return { busy, refusal, run };
}

/**
 * The buttons of one open alert in the list: details (with the acknowledge form and the timeline), unacknowledge,
 * silence (the silence editor, prefilled) and resolve. Each names its alert for assistive technology.
 */
export function AlertRowActions({
  alert,
  onDetails,
  onSilence,
}: {
  alert: Alert;
  onDetails(): void;
  onSilence(): void;
}) {
  const client = useClient();
  const { unacknowledge, resolve } = useAlertLifecycleStore.getState();
  const { busy, refusal, run } = useAlertAction();
  const name = alert.ruleName;
  return (
    <div className="alert-actions">
      <div className="row-actions">
        {alert.acknowledged ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            aria-label={`Unacknowledge ${name}`}
            onClick={() => void run(() => unacknowledge(client, alert.id))}
          >
            Unacknowledge
          </button>
        ) : (
          <button type="button" className="button" aria-label={`Acknowledge ${name}`} onClick={onDetails}>
            Acknowledge…
          </button>
        )}
        <button type="button" className="button" aria-label={`Silence ${name}`} onClick={onSilence}>
          Silence…
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-label={`Resolve ${name}`}
          onClick={() => void run(() => resolve(client, alert.id))}
        >
          Resolve
        </button>
        <button type="button" className="button" aria-label={`Details of ${name}`} onClick={onDetails}>
          Details
        </button>
      </div>
      {refusal && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
