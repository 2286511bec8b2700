import type { MemberConfigError } from '../fleet/config-errors.js';

/** Entries saved for the fleet that members could not apply, one a line: which member, which entry, why. */
export function MemberConfigErrorList({ errors }: { errors: readonly MemberConfigError[] }) {
  return (
    <ul className="issue-list">
      {errors.map((problem) => (
        <li key={`${problem.memberId}/${problem.id}`}>
          <strong title={problem.memberId}>{problem.memberName}</strong>, <code>{problem.id}</code>: {problem.error}
        </li>
      ))}
    </ul>
  );
}
