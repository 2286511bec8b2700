import { useId } from 'react';
import type { Member } from '../../../shared/node.js';
import { LeaderBadge } from '../../components/leader-badge.js';
import { Timestamp } from '../../components/timestamp.js';

/** Every registered member of the fleet, this node marked. */
export function MembersTable({ members, selfId }: { members: Member[]; selfId: string | undefined }) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Cluster members</h2>
        <span className="muted">{members.length === 1 ? '1 member' : `${members.length} members`}</span>
      </header>
      <div className="table-scroll">
        <table className="members-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">ID</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">API URL</th>
              <th scope="col">Leader</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {members.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No members registered yet.
                </td>
              </tr>
            ) : (
              members.map((member) => (
                <tr key={member.id} className={member.id === selfId ? 'is-self' : undefined}>
                  <td>
                    <code>{member.id}</code>
                  </td>
                  <td>
                    {member.name}
                    {member.id === selfId && <span className="tag">this node</span>}
                  </td>
                  <td>{member.role}</td>
                  <td>
                    <code>{member.apiUrl}</code>
                  </td>
                  <td>{member.leader ? <LeaderBadge /> : <span className="muted">No</span>}</td>
                  <td>
                    <Timestamp epochMs={member.lastSeen} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
