import { useState, type ReactNode } from 'react';
import type { Outcome } from '../client/outcome.js';
import './confirm-delete.css';

/**
 * A delete that is asked for twice: `ask` shows the question, `confirm` deletes. The refusal of the last try
 * stays shown until the next one.
 */
export function useConfirmedDelete(remove: () => Promise<Outcome<unknown>>) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    const outcome = await remove();
    setBusy(false);
    setConfirming(false);
    setRefusal(outcome.ok ? null : outcome.message);
  };
  return {
    confirming,
    busy,
    refusal,
    ask: () => setConfirming(true),
    cancel: () => setConfirming(false),
    confirm,
  };
}

/**
 * Deletes an entry saved for the whole fleet from every agent, once asked twice. `children` are the entry's
 * other actions, shown beside Delete until the question is.
 */
export function DeleteEverywhere({
  id,
  name,
  question,
  remove,
  children,
}: {
  id: string;
  /** What is deleted, for the question's accessible name: "template batch-heartbeat". */
  name: string;
  question: string;
  remove(): Promise<Outcome<unknown>>;
  children?: ReactNode;
}) {
  const removal = useConfirmedDelete(remove);
  return (
    <>
      {removal.confirming ? (
        <span className="confirm-inline" role="group" aria-label={`Confirm deleting ${name}`}>
          <span>{question}</span>
          <button
            type="button"
            className="button button-danger"
            disabled={removal.busy}
            onClick={() => void removal.confirm()}
          >
            {removal.busy ? 'Deleting…' : `Delete ${id} everywhere`}
          </button>
          <button type="button" className="button" onClick={removal.cancel}>
            Cancel
          </button>
        </span>
      ) : (
        <>
          {children}
          <button type="button" className="button button-danger-quiet" onClick={removal.ask}>
            Delete
          </button>
        </>
      )}
      {removal.refusal && (
        <p className="field-error" role="alert">
          Could not delete it: {removal.refusal}
        </p>
      )}
    </>
  );
}
