import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { LogPattern, LogPatternState, LogSourceState } from '../../../shared/log-patterns.js';
import { useClient } from '../../client/client-context.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { FormActions, FormProblems } from '../../components/form-footer.js';
import { severityOptions } from '../../components/severity-badge.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { useLogPatternsStore, type FleetPatternEntry } from '../../stores/log-patterns-store.js';
import { draftOf, emptyPatternDraft, patternOf, problemsOf, type PatternDraft } from './pattern-draft.js';
import { TryIt, usePatternTry } from './try-it.js';

/**
 * Adds a pattern for the whole fleet, or changes one of the fleet's (its id is then fixed: it is the pattern's
 * key on every node). Patterns from a node's config file are never edited here.
 */
export function PatternForm({
  editing,
  fleet,
  nodeName,
  nodePatterns,
  nodeSources,
  onSaved,
  onCancel,
}: {
  editing: LogPattern | null;
  fleet: readonly FleetPatternEntry[] | null;
  nodeName: string;
  nodePatterns: readonly LogPatternState[] | null;
  nodeSources: readonly LogSourceState[] | null;
  onSaved(pattern: LogPattern): void;
  onCancel(): void;
}) {
  const client = useClient();
  const save = useLogPatternsStore((s) => s.save);
  const test = useLogPatternsStore((s) => s.test);
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<PatternDraft>(() => (editing ? draftOf(editing) : emptyPatternDraft()));
  const [sample, setSample] = useState('');
  const { problems, setProblems, refusal, saving, setSaving, refuse, save: saveDraft } = useDraftSave(formRef);
  const tried = usePatternTry(draft.regex, draft.ignoreCase, sample);

  // Opening the editor takes the keyboard to its first field.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([readonly]), textarea')?.focus();
    formRef.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  const patch = (change: Partial<PatternDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    // A field's error is about what it said before; it goes once the field changes.
    setProblems((current) => {
      const fields = { ...current.fields };
      for (const key of Object.keys(change) as (keyof PatternDraft)[]) delete fields[key];
      return { ...current, fields };
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = patternOf(draft);
    if (!result.ok) return refuse(result);
    const { pattern } = result;
    if (!editing) {
      if (fleet?.some((entry) => entry.id === pattern.id)) {
        return refuse({
          fields: { id: 'The fleet already has a pattern with this id: edit that one instead' },
          other: [],
        });
      }
      if (nodePatterns?.some((state) => state.pattern.id === pattern.id && state.source === 'config')) {
        return refuse({
          fields: { id: `${nodeName} defines a pattern with this id in its config file, so it would refuse this one` },
          other: [],
        });
      }
    }
    setSaving(true);
    // The agent would take a regex that does not compile and every node would refuse it: ask first.
    const compiled = await test(client, { regex: pattern.regex, ignoreCase: pattern.ignoreCase, lines: [] });
    if (compiled.ok && !compiled.value.ok) {
      setSaving(false);
      return refuse({ fields: { regex: compiled.value.error }, other: [] });
    }
    const outcome = await saveDraft(
      () => save(client, pattern),
      (issues) => problemsOf(issues, draft),
    );
    if (outcome.ok) onSaved(pattern);
  };

  const errors = problems.fields;
  const compileError = tried.state === 'done' && !tried.result.ok ? tried.result.error : undefined;
  const knownSources = nodeSources?.map((source) => source.name) ?? [];
  return (
    <form
      ref={formRef}
      className="card pattern-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(event) => void submit(event)}
      data-testid="pattern-form"
    >
      <header className="card-header">
        <div>
          <h2 id={headingId}>{editing ? `Edit ${editing.name}` : 'Add fleet pattern'}</h2>
          <p className="muted">
            Saved for the whole fleet: every agent scans its own logs for it and reports why if it cannot.
          </p>
        </div>
      </header>
      <div className="pattern-form-body">
        <fieldset className="pattern-fields">
          <legend className="visually-hidden">Pattern</legend>
          <div className="field-row">
            <TextField
              label="ID"
              value={draft.id}
              onChange={(id) => patch({ id })}
              readOnly={editing !== null}
              placeholder="e.g. upstream-errors"
              hint={editing ? 'The id names the pattern and cannot change' : 'a-z, 0-9, - and _'}
              error={errors.id}
              spellCheck={false}
              autoComplete="off"
            />
            <TextField
              label="Name"
              value={draft.name}
              onChange={(name) => patch({ name })}
              placeholder="Upstream errors"
              error={errors.name}
            />
          </div>
          <TextAreaField
            label="Description"
            value={draft.description}
            onChange={(description) => patch({ description })}
            rows={2}
            error={errors.description}
          />
          <TextField
            label="Regex"
            value={draft.regex}
            onChange={(regex) => patch({ regex })}
            placeholder="upstream timeout|connection reset"
            hint="RE2 syntax: no look-arounds or back-references, so matching stays fast on every node."
            error={errors.regex ?? compileError}
            spellCheck={false}
            autoComplete="off"
          />
          <div className="field-row">
            <CheckboxField
              label="Ignore case"
              checked={draft.ignoreCase}
              onChange={(ignoreCase) => patch({ ignoreCase })}
              error={errors.ignoreCase}
            />
            <SelectField
              label="Severity"
              value={draft.severity}
              options={severityOptions}
              onChange={(severity) => patch({ severity })}
              error={errors.severity}
            />
          </div>
          <TextField
            label="Sources"
            value={draft.sources}
            onChange={(sources) => patch({ sources })}
            placeholder="All sources"
            hint={
              <>
                Comma-separated source names; empty for every source. A node without a named source ignores it.
                {knownSources.length > 0 && (
                  <>
                    {' '}
                    {nodeName} has: {knownSources.join(', ')}.
                  </>
                )}
              </>
            }
            error={errors.sources}
            spellCheck={false}
          />
        </fieldset>
        <TryIt sample={sample} onSampleChange={setSample} tried={tried} regexEmpty={draft.regex === ''} />
      </div>

      <FormProblems
        other={problems.other}
        refusal={refusal}
        lead="The agent refused the pattern"
        wrapper="value"
        testId="save-refusal"
      />

      <FormActions
        saving={saving}
        saveLabel={editing ? 'Save changes' : 'Save for the whole fleet'}
        onCancel={onCancel}
      />
    </form>
  );
}
