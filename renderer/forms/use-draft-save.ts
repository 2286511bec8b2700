import { useEffect, useRef, useState } from 'react';
import type { RpcIssue } from '../../shared/rpc.js';
import type { Outcome, Refusal } from '../client/outcome.js';
import { noProblems, type DraftProblems } from './draft-problems.js';

/**
 * An editor's save: its form, the problems shown at its fields, the agent's refusal, whether a save is under way.
 * After every refused try the keyboard goes to the first field that needs attention.
 */
export function useDraftSave() {
  const formRef = useRef<HTMLFormElement>(null);
  const [problems, setProblems] = useState<DraftProblems>(noProblems);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, attempt]);

  /** Shows what keeps the draft from saving: the form's own findings, or the agent's refusal and what it named. */
  const refuse = (next: DraftProblems, agent: Refusal | null = null) => {
    setProblems(next);
    setRefusal(agent);
    setAttempt((n) => n + 1);
  };

  /** Runs `save`; a refusal's issues go to the fields `problemsOf` puts them at. */
  const save = async <T>(
    run: () => Promise<Outcome<T>>,
    problemsOf: (issues: readonly RpcIssue[]) => DraftProblems,
  ): Promise<Outcome<T>> => {
    setProblems(noProblems);
    setRefusal(null);
    setSaving(true);
    const outcome = await run();
    setSaving(false);
    if (!outcome.ok) refuse(problemsOf(outcome.issues), outcome);
    return outcome;
  };

  return { formRef, problems, setProblems, refusal, saving, setSaving, refuse, save };
}

export type DraftSave = ReturnType<typeof useDraftSave>;
