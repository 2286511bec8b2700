import { useState } from 'react';
import { PlacementStrategy } from '../../../shared/tasks.js';
import { useClient } from '../../client/client-context.js';
import { EditorForm } from '../../components/editor-form.js';
import { SelectField, TextAreaField, TextField } from '../../components/form-fields.js';
import { formatDurationMs } from '../../format/duration.js';
import { fieldBinder } from '../../forms/field-binding.js';
import { useDraftSave } from '../../forms/use-draft-save.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { tasksSelectors, useTasksStore } from '../../stores/tasks-store.js';
import {
  durationHint,
  emptyTaskDraft,
  isPlaced,
  taskDefaults,
  taskProblemsOf,
  taskRequestOf,
  withType,
  type TargetKind,
  type TaskDraft,
} from './task-draft.js';

const targetOptions: { value: TargetKind; label: string }[] = [
  { value: 'local', label: 'This node (local)' },
  { value: 'any', label: 'Any member (the leader places it)' },
  { value: 'node', label: 'A given node' },
  { value: 'label', label: 'Members with a label' },
];

const strategyOptions: { value: PlacementStrategy | ''; label: string }[] = [
  { value: '', label: 'The fleet’s default' },
  ...PlacementStrategy.options.map((strategy) => ({ value: strategy, label: strategy })),
];

/** Queues a task on the shown node: its type and payload, how it is retried and timed, and where it may run. */
export function TaskSubmitForm() {
  const client = useClient();
  const types = useTasksStore(tasksSelectors.types) ?? [];
  const submit = useTasksStore((s) => s.submit);
  const openSubmit = useTasksStore((s) => s.openSubmit);
  const members = useNodesStore(nodesSelectors.members);
  const [draft, setDraft] = useState<TaskDraft>(emptyTaskDraft);
  const editor = useDraftSave();
  const { problems, refuse, save } = editor;

  const patch = (change: Partial<TaskDraft>) => setDraft((current) => ({ ...current, ...change }));
  const errors = problems.fields;
  const bind = fieldBinder(draft, patch, errors);
  const commands = types.find((t) => t.type === 'exec')?.commands ?? [];

  const onSubmit = async () => {
    const result = taskRequestOf(draft);
    if (!result.ok) return refuse(result);
    await save(() => submit(client, result.request), taskProblemsOf);
  };

  const typeOptions = [
    ...(draft.type === '' ? [{ value: '', label: 'Choose a type…' }] : []),
    ...types.map((t) => ({ value: t.type, label: `${t.type} — ${t.description}` })),
  ];
  const nodeOptions = [
    { value: '', label: 'Choose a node…' },
    ...members.map((member) => ({ value: member.id, label: `${member.name} (${member.id})` })),
  ];

  return (
    <EditorForm
      editor={editor}
      className="task-submit-form"
      title="Submit a task"
      description="Durable once submitted: it survives a restart of this node, and is retried as set below."
      onSubmit={onSubmit}
      refusalShown={{ lead: 'The agent refused the task', wrapper: '', testId: 'task-refusal' }}
      saveLabel="Submit task"
      onCancel={() => openSubmit(false)}
    >
      <div className="field-row">
        <SelectField
          label="Type"
          value={draft.type}
          options={typeOptions}
          onChange={(type) => setDraft((current) => withType(current, type))}
          hint={types.length === 0 ? 'The task types of this node have not arrived yet' : undefined}
          error={errors.type}
        />
      </div>
      {draft.type === 'exec' ? (
        <div className="field-row">
          <SelectField
            label="Command"
            {...bind('command', 'payload.command')}
            options={[
              { value: '', label: commands.length === 0 ? 'This node defines no commands' : 'Choose a command…' },
              ...commands.map((command) => ({ value: command, label: command })),
            ]}
            hint="Only the commands of this node’s config can run"
          />
          <TextAreaField
            label="Arguments"
            {...bind('args')}
            rows={2}
            monospace
            hint="One per line; each must be allowed for the command by the node’s config"
            error={errors['payload.args'] ?? errors.payload}
          />
        </div>
      ) : (
        <TextAreaField
          label="Payload (JSON)"
          {...bind('payload')}
          rows={3}
          monospace
          hint="Checked by the agent against the type’s own schema"
        />
      )}
      <div className="field-row">
        <TextField
          label="Priority"
          type="number"
          {...bind('priority')}
          hint={`Higher first, −1000 to 1000. Default ${taskDefaults.priority}`}
        />
        <TextField
          label="Max attempts"
          type="number"
          min={1}
          {...bind('maxAttempts')}
          hint={`1 to 100; then it is a dead letter. Default ${taskDefaults.maxAttempts}`}
        />
        <TextField
          label="Timeout"
          {...bind('timeoutMs')}
          hint={`Each attempt is aborted after this: ${durationHint}. Default ${formatDurationMs(taskDefaults.timeoutMs)}`}
          spellCheck={false}
        />
      </div>
      <div className="field-row">
        <TextField
          label="Backoff base"
          {...bind('backoffBaseMs', 'backoff.baseMs')}
          hint={`The wait before retry n is random up to base × 2ⁿ; ${durationHint}. Default ${formatDurationMs(taskDefaults.backoffBaseMs)}`}
          spellCheck={false}
        />
        <TextField
          label="Backoff cap"
          {...bind('backoffCapMs', 'backoff.capMs')}
          hint={`The longest wait; ${durationHint}. Default ${formatDurationMs(taskDefaults.backoffCapMs)}`}
          spellCheck={false}
        />
        <TextField
          label="Not before"
          type="datetime-local"
          {...bind('notBefore')}
          hint="Your local time; empty: at once"
        />
      </div>
      <div className="field-row">
        <TextField
          label="Idempotency key"
          {...bind('idempotencyKey')}
          hint="A resubmit with the same key returns the existing task"
          spellCheck={false}
        />
        <TextField
          label="Fairness group"
          {...bind('group')}
          placeholder={taskDefaults.group}
          hint="A busy group cannot starve the others of the same priority"
          spellCheck={false}
        />
        <SelectField
          label="Target"
          {...bind('targetKind')}
          options={targetOptions}
          error={draft.targetKind === 'local' || draft.targetKind === 'any' ? errors.target : undefined}
        />
        {draft.targetKind === 'node' && (
          <SelectField label="Node" {...bind('targetNode', 'target')} options={nodeOptions} />
        )}
        {draft.targetKind === 'label' && (
          <TextField
            label="Label"
            {...bind('targetLabel', 'target')}
            placeholder="key=value"
            hint="Members whose label key has this value"
            spellCheck={false}
          />
        )}
        {isPlaced(draft.targetKind) && (
          <SelectField
            label="Placement"
            {...bind('strategy')}
            options={strategyOptions}
            hint="How the leader picks the member"
          />
        )}
      </div>
    </EditorForm>
  );
}
