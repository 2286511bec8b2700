import type { FleetConfigError, Member } from '../../shared/node.js';

/** An entry saved for the whole fleet that one member could not apply, and why, as it published in its summary. */
export interface MemberConfigError {
  memberId: string;
  memberName: string;
  /** The entry's id: a log pattern's, an alert rule's, a check template's. */
  id: string;
  error: string;
}

/** The entries of one kind (`FleetConfigKind`) a member could not apply; none before its first summary. */
export const configErrorsOf = (member: Member, kind: string): FleetConfigError[] =>
  (member.summary?.configErrors ?? []).filter((problem) => problem.kind === kind);

/** Every member's config errors of one kind. */
export const fleetConfigErrors = (members: readonly Member[], kind: string): MemberConfigError[] =>
  members.flatMap((member) =>
    configErrorsOf(member, kind).map((problem) => ({
      memberId: member.id,
      memberName: member.name,
      id: problem.id,
      error: problem.error,
    })),
  );
