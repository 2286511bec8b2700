import { useId, type FormEvent, type ReactNode } from 'react';
import { cancelOnEscape } from '../forms/cancel-on-escape.js';
import type { DraftSave } from '../forms/use-draft-save.js';
import { FormActions, FormProblems } from './form-footer.js';

/**
 * An editor of one entry: a form named by its heading, its fields, then what keeps it from saving and its Save
 * and Cancel. A card with a header by default; `section` is a form set inside another card. Escape cancels.
 */
export function EditorForm({
  editor: { formRef, problems, refusal, saving },
  title,
  description,
  variant = 'card',
  className,
  testId,
  onSubmit,
  refusalShown,
  saveLabel,
  onCancel,
  children,
}: {
  /** The editor's `useDraftSave`: its form, problems, the agent's refusal and whether it is saving. */
  editor: Pick<DraftSave, 'formRef' | 'problems' | 'refusal' | 'saving'>;
  title: string;
  description?: ReactNode;
  variant?: 'card' | 'section';
  className: string;
  testId?: string;
  onSubmit(): Promise<void>;
  refusalShown: {
    /** What a refusal means, before its message: "The agent refused the rule". */
    lead: string;
    /** The request's key around the value sent, left off the paths a refusal names. */
    wrapper: string;
    testId: string;
  };
  saveLabel: string;
  onCancel(): void;
  children: ReactNode;
}) {
  const headingId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit();
  };
  return (
    <form
      ref={formRef}
      className={variant === 'card' ? `card ${className}` : className}
      aria-labelledby={headingId}
      noValidate
      onSubmit={submit}
      onKeyDown={cancelOnEscape(onCancel)}
      data-testid={testId}
    >
      {variant === 'card' ? (
        <header className="card-header">
          {description ? (
            <div>
              <h2 id={headingId}>{title}</h2>
              <p className="muted">{description}</p>
            </div>
          ) : (
            <h2 id={headingId}>{title}</h2>
          )}
        </header>
      ) : (
        <h3 id={headingId} className="form-section-title">
          {title}
        </h3>
      )}
      {children}
      <FormProblems other={problems.other} refusal={refusal} {...refusalShown} />
      <FormActions saving={saving} saveLabel={saveLabel} onCancel={onCancel} />
    </form>
  );
}
