import { z } from 'zod';
import { NodeId } from './ids.js';
import { Member } from './node.js';

/** What changed in the member list since the last event: at 2,000 members a whole list is ~1 MB, a change a few KB. */
export const MemberChanges = z.object({
  /** Members that joined or whose record, summary, leadership or liveness changed, whole. */
  upserted: z.array(Member),
  removed: z.array(NodeId),
});
export type MemberChanges = z.infer<typeof MemberChanges>;

/** What was sent of each member: the object (an unchanged member is usually the same one) and its JSON. */
export type SentMembers = Map<string, { member: Member; json: string }>;

/**
 * Compares the members with what was sent last (`sent`, updated in place) and returns the changes, or null when
 * nothing changed. The same object counts as unchanged without being serialized again.
 */
export function diffMembers(sent: SentMembers, members: readonly Member[]): MemberChanges | null {
  const upserted: Member[] = [];
  const present = new Set<string>();
  for (const member of members) {
    present.add(member.id);
    const known = sent.get(member.id);
    if (known?.member === member) continue;
    const json = JSON.stringify(member);
    sent.set(member.id, { member, json });
    if (known?.json !== json) upserted.push(member);
  }
  const removed = [...sent.keys()].filter((id) => !present.has(id));
  for (const id of removed) sent.delete(id);
  return upserted.length > 0 || removed.length > 0 ? { upserted, removed } : null;
}

/** Applies changes to a member list, keeping it in id order as the agent lists it. */
export function applyMemberChanges(members: readonly Member[], { upserted, removed }: MemberChanges): Member[] {
  const byId = new Map(members.map((member) => [member.id, member]));
  for (const id of removed) byId.delete(id);
  for (const member of upserted) byId.set(member.id, member);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
