import type { Member } from '../../shared/node.js';
import { SelectField } from './form-fields.js';

const thisNode = '';

/**
 * Which node a view shows: this node (the agent the window talks to, `null`) or any other member, whose own
 * agent answers through `cluster.call`. A member that left the fleet while shown stays choosable, so the
 * picker never shows another node's name.
 */
export function NodePicker({
  members,
  selfId,
  selfName,
  memberId,
  noteOf,
  onChange,
}: {
  members: readonly Member[];
  selfId: string | undefined;
  selfName: string | undefined;
  memberId: string | null;
  /** Added to a node's label, e.g. " — refused 2 patterns"; `undefined` is this node before its status arrived. */
  noteOf?(memberId: string | undefined): string;
  onChange(memberId: string | null): void;
}) {
  const note = (id: string | undefined) => noteOf?.(id) ?? '';
  const others = members
    .filter((member) => member.id !== selfId)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const options = [
    { value: thisNode, label: `${selfName ?? 'This node'} (this node)${note(selfId)}` },
    ...others.map((member) => ({ value: member.id, label: `${member.name} (${member.id})${note(member.id)}` })),
  ];
  if (memberId !== null && !others.some((member) => member.id === memberId)) {
    options.push({ value: memberId, label: `${memberId} (no longer in the fleet)` });
  }
  return (
    <SelectField
      className="node-picker"
      label="Node"
      value={memberId ?? thisNode}
      options={options}
      hint={
        others.length === 0
          ? 'This node is the only member of the fleet.'
          : `${members.length} members; another node is asked through this one.`
      }
      onChange={(value) => onChange(value === thisNode || value === selfId ? null : value)}
    />
  );
}
