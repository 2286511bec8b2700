import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Silence, SilenceDraft } from '../../../shared/alert-lifecycle.js';
import type { Alert } from '../../../shared/alerts.js';
import type { LabelMatcher } from '../../../shared/label-matchers.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import { callOn } from '../../client/call-member.js';
import { useClient } from '../../client/client-context.js';
import { messageOf } from '../../client/outcome.js';
import { TextAreaField, TextField } from '../../components/form-fields.js';
import { cancelOnEscape } from '../../forms/cancel-on-escape.js';
import { fleetSilences, useAlertLifecycleStore } from '../../stores/alert-lifecycle-store.js';
import { alertsSelectors, useAlertsStore } from '../../stores/alerts-store.js';
import { fromLocalInput, MatchersFields, toLocalInput } from './matchers-fields.js';

/** How long typing may pause before the preview asks the agent. */
const PREVIEW_DELAY_MS = 300;

type Preview = { alerts: Alert[]; error: null } | { alerts: null; error: string } | null;

/** The open alerts of the shown node a draft would silence, asked again as the matchers change. */
function useSilencePreview(matchers: readonly LabelMatcher[], startsAt: number): Preview {
  const client = useClient();
  const memberId = useAlertsStore(alertsSelectors.memberId);
  const [preview, setPreview] = useState<Preview>(null);
  const key = JSON.stringify({ matchers, startsAt });
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const at = Number.isNaN(startsAt) ? undefined : startsAt;
      callOn(client, memberId, 'alerts.silencePreview', { matchers: [...matchers], startsAt: at }).then(
        (alerts) => current && setPreview({ alerts, error: null }),
        (error: unknown) => current && setPreview({ alerts: null, error: messageOf(error) }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The key stands for the matchers and the start, which are new arrays and numbers on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, memberId, key]);
  return preview;
}

const newSilenceId = () => `silence-${crypto.randomUUID().slice(0, 12)}`;

/**
 * Creates or edits a silence for the whole fleet: matchers, start, end and a comment, with a live preview of the
 * open alerts it would silence on the shown node. The agent names whoever saves it as its creator.
 */
export function SilenceForm({ draft }: { draft: SilenceDraft }) {
  const client = useClient();
  const close = useAlertLifecycleStore((s) => s.closeSilenceEditor);
  const [matchers, setMatchers] = useState<LabelMatcher[]>(draft.matchers);
  const [startsAt, setStartsAt] = useState(toLocalInput(draft.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(draft.endsAt));
  const [comment, setComment] = useState(draft.comment);
  const [issues, setIssues] = useState<RpcIssue[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const preview = useSilencePreview(matchers, fromLocalInput(startsAt));
  const errorOf = (path: string) => issues.find((issue) => issue.path === `value.${path}`)?.message;
  // The form opens away from the button that asked for it: the keyboard (and a screen reader) goes to it.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const silence: Silence = {
      id: draft.id ?? newSilenceId(),
      matchers,
      startsAt: fromLocalInput(startsAt),
      endsAt: fromLocalInput(endsAt),
      comment,
      createdBy: '',
    };
    const outcome = await fleetSilences.useStore.getState().put(client, silence);
    setSaving(false);
    if (outcome.ok) return close();
    setIssues(outcome.issues);
    setRefusal(outcome.message);
  };

  const title = draft.id ? `Edit silence ${draft.id}` : 'New silence';
  return (
    <form
      className="card silence-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={cancelOnEscape(close)}
      data-testid="silence-form"
    >
      <header className="card-header">
        <h2 ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
      </header>
      <MatchersFields matchers={matchers} onChange={setMatchers} errorOf={errorOf} />
      <div className="form-row">
        <TextField
          label="Starts"
          type="datetime-local"
          value={startsAt}
          onChange={setStartsAt}
          error={errorOf('startsAt')}
        />
        <TextField label="Ends" type="datetime-local" value={endsAt} onChange={setEndsAt} error={errorOf('endsAt')} />
      </div>
      <TextAreaField label="Comment" value={comment} onChange={setComment} hint="Why, and for how long (optional)." />
      <section
        className="silence-preview"
        aria-live="polite"
        aria-label="Alerts it would silence"
        data-testid="silence-preview"
      >
        {preview === null && <p className="muted">Finding the open alerts it would silence…</p>}
        {preview?.error && <p className="field-error">{preview.error}</p>}
        {preview?.alerts && (
          <>
            <p>
              {preview.alerts.length === 0
                ? 'It would silence no open alert of the shown node now.'
                : `It would silence ${preview.alerts.length === 1 ? '1 open alert' : `${preview.alerts.length} open alerts`} of the shown node:`}
            </p>
            <ul>
              {preview.alerts.map((alert) => (
                <li key={alert.id}>
                  {alert.ruleName} <span className="muted">— {alert.summary}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {refusal && (
        <p className="notice notice-error" role="alert">
          The agent refused the silence: {refusal}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save silence'}
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
