import type { Refusal } from '../client/outcome.js';

/** What stands below an editor's fields: why it did not save, and its Save and Cancel. */

/** The agent's refusal of a request: its message, then each field it named. */
export function RefusalNotice({
  refusal,
  lead,
  wrapper,
  testId,
}: {
  refusal: Refusal;
  /** What the refusal meant, before its message: "The agent refused the rule". */
  lead: string;
  /** The request's key around the value sent (`value`, `service`), left off the paths shown. */
  wrapper?: string;
  testId: string;
}) {
  const shown = (path: string) => (wrapper && path.startsWith(`${wrapper}.`) ? path.slice(wrapper.length + 1) : path);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId}>
      <p>
        {lead}: {refusal.message}
      </p>
      {refusal.issues.length > 0 && (
        <ul className="issue-list">
          {refusal.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{shown(issue.path)}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * What keeps a form from saving, below its fields: the problems it found that belong to no field it shows, or,
 * once the agent refused, that refusal (which names those problems itself).
 */
export function FormProblems({
  other,
  refusal,
  ...notice
}: {
  other: readonly string[];
  refusal: Refusal | null;
  lead: string;
  wrapper: string;
  testId: string;
}) {
  if (refusal) return <RefusalNotice refusal={refusal} {...notice} />;
  if (other.length === 0) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>Please fix:</p>
      <ul className="issue-list">
        {other.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}

/** An editor's Save (busy while `saving`) and Cancel. */
export function FormActions({ saving, saveLabel, onCancel }: { saving: boolean; saveLabel: string; onCancel(): void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? 'Saving…' : saveLabel}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
