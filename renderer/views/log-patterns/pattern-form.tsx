import { useEffect, useState } from 'react';
import type { LogPattern, LogPatternState, LogSourceState } from '../../../shared/log-patterns.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields.js';
import { IdentityFields } from '../../components/identity-fields.js';
import { severityOptions } from '../../components/severity-badge.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { fleetPatterns, useLogPatternsStore, type FleetPatternEntry } from '../../stores/log-patterns-store.js';
import {
  draftOf,
  emptyPatternDraft,
  patternOf,
  problemsOf,
  sourcesOf,
  withSource,
  type PatternDraft,
} from './pattern-draft.js';
import type { PatternPrefill } from './suggestion-draft.js';
import { TryIt, usePatternTry } from './try-it.js';

/**
 * Adds a pattern for the whole fleet, or changes one of the fleet's (its id is then fixed: it is the pattern's
 * key on every node). Patterns from a node's config file are never edited here. A new pattern may start from a
 * prefill (a suggestion), its Try it on the suggestion's lines.
 */
export function PatternForm({
  editing,
  prefill = null,
  fleet,
  nodeName,
  nodePatterns,
  nodeSources,
  onSaved,
  onCancel,
}: {
  editing: LogPattern | null;
  prefill?: PatternPrefill | null;
  fleet: readonly FleetPatternEntry[] | null;
  nodeName: string;
  nodePatterns: readonly LogPatternState[] | null;
  nodeSources: readonly LogSourceState[] | null;
  onSaved(pattern: LogPattern): void;
  onCancel(): void;
}) {
  const client = useClient();
  const save = fleetPatterns.useStore((s) => s.put);
  const test = useLogPatternsStore((s) => s.test);
  const [draft, setDraft] = useState<PatternDraft>(() =>
    editing ? draftOf(editing) : (prefill?.draft ?? emptyPatternDraft()),
  );
  const [sample, setSample] = useState(prefill?.sample ?? '');
  const editor = useDraftSave();
  const { formRef, problems, setProblems, setSaving, refuse, save: saveDraft } = editor;
  const tried = usePatternTry(draft.regex, draft.ignoreCase, sample);

  // Opening the editor takes the keyboard to its first field.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([readonly]), textarea')?.focus();
    formRef.current?.scrollIntoView({ block: 'nearest' });
  }, [formRef]);

  const patch = (change: Partial<PatternDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    // A field's error is about what it said before; it goes once the field changes.
    setProblems((current) => {
      const fields = { ...current.fields };
      for (const key of Object.keys(change) as (keyof PatternDraft)[]) delete fields[key];
      return { ...current, fields };
    });
  };

  const submit = async () => {
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
  const bind = fieldBinder(draft, patch, errors);
  const compileError = tried.state === 'done' && !tried.result.ok ? tried.result.error : undefined;
  const chosenSources = sourcesOf(draft.sources);
  return (
    <EditorForm
      editor={editor}
      className="pattern-form"
      testId="pattern-form"
      title={editing ? `Edit ${editing.name}` : 'Add fleet pattern'}
      description="Saved for the whole fleet: every agent scans its own logs for it and reports why if it cannot."
      onSubmit={submit}
      refusalShown={{ lead: 'The agent refused the pattern', wrapper: 'value', testId: 'save-refusal' }}
      saveLabel={editing ? 'Save changes' : 'Save for the whole fleet'}
      onCancel={onCancel}
    >
      <div className="pattern-form-body">
        <fieldset className="field-stack">
          <legend className="visually-hidden">Pattern</legend>
          <IdentityFields
            noun="pattern"
            values={draft}
            errors={errors}
            onChange={patch}
            editing={editing !== null}
            placeholders={{ id: 'e.g. upstream-errors', name: 'Upstream errors' }}
          />
          <TextField
            label="Regex"
            {...bind('regex')}
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
            <SelectField label="Severity" {...bind('severity')} options={severityOptions} />
          </div>
          {nodeSources && nodeSources.length > 0 && (
            <fieldset className="field-group pick-group">
              <legend>Sources on {nodeName}</legend>
              <div className="pick-list">
                {nodeSources.map((source) => (
                  <CheckboxField
                    key={source.name}
                    label={source.name}
                    checked={chosenSources.includes(source.name)}
                    onChange={(chosen) => patch({ sources: withSource(draft.sources, source.name, chosen) })}
                  />
                ))}
              </div>
            </fieldset>
          )}
          <TextField
            label="Sources"
            {...bind('sources')}
            placeholder="All sources"
            hint="Comma-separated source names, picked above or typed; empty for every source. A node without a named source ignores it."
            spellCheck={false}
          />
        </fieldset>
        <TryIt sample={sample} onSampleChange={setSample} tried={tried} regexEmpty={draft.regex === ''} />
      </div>
    </EditorForm>
  );
}
