import type { NodeRole } from '../../shared/ids.js';
import type { Member } from '../../shared/node.js';

interface Seen {
  name: string;
  role: NodeRole;
  startedAt: number;
}

/**
 * The members this node has seen and which of them are gone: kept on every node, leader or not, so a new leader
 * knows who vanished before it took over (the old leader too). Nothing counts as gone until this node sees itself:
 * before that its view of the members is not loaded.
 */
export class MemberWatch {
  private readonly seen = new Map<string, Seen>();
  private readonly gone = new Map<string, Seen>();

  constructor(private readonly selfId: string) {}

  observe(members: readonly Member[]): void {
    const present = new Set(members.map((member) => member.id));
    if (!present.has(this.selfId)) return;
    for (const { id, name, role, startedAt } of members) {
      this.seen.set(id, { name, role, startedAt });
      this.gone.delete(id);
    }
    for (const [id, info] of this.seen) {
      if (present.has(id)) continue;
      this.seen.delete(id);
      this.gone.set(id, info);
    }
  }

  /** Agents seen before and not registered now (a console comes and goes with its operator's desktop). */
  goneAgents(): Array<{ id: string } & Seen> {
    return [...this.gone].filter(([, info]) => info.role === 'agent').map(([id, info]) => ({ id, ...info }));
  }

  /** A member that left gracefully: not down, and forgotten until it comes back. */
  forget(id: string): void {
    this.gone.delete(id);
  }
}
