import type { Member } from '../../../shared/node.js';
import { SelectField, TextField } from '../../components/form-fields.js';
import type { TaskFilter, TaskTypeInfo } from '../../stores/tasks-store.js';

const anyValue = '';

/** Search and the type, node and group filters of the task list. */
export function TaskFilters({
  filter,
  types,
  members,
  onChange,
}: {
  filter: TaskFilter;
  types: readonly TaskTypeInfo[];
  members: readonly Member[];
  onChange(change: Partial<TaskFilter>): void;
}) {
  const typeOptions = [
    { value: anyValue, label: 'Any type' },
    ...types.map((t) => ({ value: t.type, label: t.type })),
    ...(filter.type && !types.some((t) => t.type === filter.type) ? [{ value: filter.type, label: filter.type }] : []),
  ];
  const nodeOptions = [
    { value: anyValue, label: 'Any node' },
    ...[...members]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((member) => ({ value: member.id, label: `${member.name} (${member.id})` })),
  ];
  const orNull = (value: string) => (value === anyValue ? null : value);
  return (
    <div className="task-filters" role="search" aria-label="Filter tasks">
      <TextField
        className="task-search"
        label="Search"
        type="search"
        value={filter.text}
        placeholder="id, type, payload or error"
        onChange={(text) => onChange({ text })}
        spellCheck={false}
      />
      <SelectField
        label="Type"
        value={filter.type ?? anyValue}
        options={typeOptions}
        onChange={(type) => onChange({ type: orNull(type) })}
      />
      <SelectField
        label="Node"
        value={filter.node ?? anyValue}
        options={nodeOptions}
        onChange={(node) => onChange({ node: orNull(node) })}
      />
      <TextField
        label="Group"
        value={filter.group}
        placeholder="any"
        onChange={(group) => onChange({ group })}
        spellCheck={false}
      />
    </div>
  );
}
