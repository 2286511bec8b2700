import { useId, type FormEvent } from 'react';
import { SelectField, TextField } from '../../components/form-fields.js';
import type { TopologyGrouping } from '../../stores/topology-store.js';
import type { MapNode } from './map-status.js';

const MATCHES_LISTED = 8;

export const groupingValue = (grouping: TopologyGrouping) =>
  grouping.by === 'label' ? `label:${grouping.key}` : grouping.by;

const groupingOf = (value: string): TopologyGrouping =>
  value.startsWith('label:')
    ? { by: 'label', key: value.slice('label:'.length) }
    : value === 'role' || value === 'health'
      ? { by: value }
      : { by: 'none' };

interface TopologyToolbarProps {
  search: string;
  onSearch(search: string): void;
  /** Nodes matching the search, best match first. */
  matches: readonly MapNode[] | null;
  onPick(id: string): void;
  labelFilter: string;
  labelFilterError: string | undefined;
  onLabelFilter(text: string): void;
  grouping: TopologyGrouping;
  labelKeys: readonly string[];
  onGrouping(grouping: TopologyGrouping): void;
}

/** Search by name or id (Enter centres the first match), filter by labels, and choose how nodes are grouped. */
export function TopologyToolbar(props: TopologyToolbarProps) {
  const { matches, onPick } = props;
  const resultsId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const first = matches?.[0];
    if (first) onPick(first.id);
  };
  const groupingOptions = [
    { value: 'none', label: 'No grouping' },
    { value: 'role', label: 'Role' },
    { value: 'health', label: 'Health' },
    ...props.labelKeys.map((key) => ({ value: `label:${key}`, label: `Label: ${key}` })),
  ];
  const current = groupingValue(props.grouping);
  if (!groupingOptions.some((option) => option.value === current)) {
    groupingOptions.push({ value: current, label: `Label: ${current.slice('label:'.length)} (no node has it)` });
  }
  return (
    <div className="topology-toolbar">
      <form role="search" aria-label="Find nodes" className="topology-search" onSubmit={submit}>
        <TextField
          label="Search nodes"
          type="search"
          value={props.search}
          onChange={props.onSearch}
          placeholder="Name or id"
          spellCheck={false}
          autoComplete="off"
          hint="Enter centres the first match."
        />
        {matches && (
          <div id={resultsId} className="topology-matches">
            <p className="muted" role="status" data-testid="topology-match-count">
              {matches.length === 0 ? 'No match' : matches.length === 1 ? '1 match' : `${matches.length} matches`}
            </p>
            {matches.length > 0 && (
              <ul aria-label="Matching nodes" data-testid="topology-matches">
                {matches.slice(0, MATCHES_LISTED).map((member) => (
                  <li key={member.id}>
                    <button type="button" className="button button-quiet" onClick={() => onPick(member.id)}>
                      {member.name} <code>{member.id}</code>
                    </button>
                  </li>
                ))}
                {matches.length > MATCHES_LISTED && (
                  <li className="muted">and {matches.length - MATCHES_LISTED} more, ringed on the map</li>
                )}
              </ul>
            )}
          </div>
        )}
      </form>
      <TextField
        label="Label filter"
        value={props.labelFilter}
        onChange={props.onLabelFilter}
        placeholder="zone=eu-1, tier=web"
        spellCheck={false}
        autoComplete="off"
        hint="key=value, comma-separated; only matching nodes are drawn."
        error={props.labelFilterError}
      />
      <SelectField
        label="Group by"
        value={current}
        options={groupingOptions}
        onChange={(value) => props.onGrouping(groupingOf(value))}
      />
    </div>
  );
}
