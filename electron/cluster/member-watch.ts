import type { Member } from '../../shared/node.js';

/**
 * The members this node has seen and which of them are gone, each as it was last seen: kept on every node, leader or
 * not, so a new leader knows who vanished before it took over (the old leader too). Nothing counts as gone until this
 * node sees itself: before that its view of the members is not loaded.
 */
export class MemberWatch {
  private readonly seen = new Map<string, Member>();
  private readonly gone = new Map<string, Member>();

  constructor(private readonly selfId: string) {}

  observe(members: readonly Member[]): void {
    const present = new Set(members.map((member) => member.id));
    if (!present.has(this.selfId)) return;
    for (const member of members) {
      this.seen.set(member.id, member);
      this.gone.delete(member.id);
    }
    for (const [id, member] of this.seen) {
      if (present.has(id)) continue;
      this.seen.delete(id);
      this.gone.set(id, member);
    }
  }

  /** Agents seen before and not registered now (a console comes and goes with its operator's desktop). */
  goneAgents(): Member[] {
    return [...this.gone.values()].filter((member) => member.role === 'agent');
  }

  /** A member not to count as gone any more, until it is seen again. */
  forget(id: string): void {
    this.gone.delete(id);
  }
}
