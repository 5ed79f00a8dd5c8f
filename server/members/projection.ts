// How MemberRegistry events change a member: a pure fold, no I/O.
import type { ChainEvent } from "../indexer/types.ts";

export const MEMBER_EVENTS = ["MemberAdmitted", "MemberSuspended", "MemberReinstated"] as const;

export interface MemberState {
  address: string;
  roles: number;
  expiresAt: number;
  suspended: boolean;
  admittedAtBlock: number;
  updatedAtBlock: number;
}

export function applyMemberEvent(before: MemberState | undefined, e: ChainEvent): MemberState | undefined {
  const address = String(e.args["member"]).toLowerCase();
  switch (e.name) {
    case "MemberAdmitted":
      return {
        address,
        roles: Number(e.args["roles"]),
        expiresAt: Number(e.args["expiresAt"]),
        // admit() does not clear a suspension (MemberRegistry.sol), so neither does the projection.
        suspended: before?.suspended ?? false,
        admittedAtBlock: before?.admittedAtBlock ?? e.blockNumber,
        updatedAtBlock: e.blockNumber,
      };
    case "MemberSuspended":
      return before && { ...before, suspended: true, updatedAtBlock: e.blockNumber };
    case "MemberReinstated":
      return before && { ...before, suspended: false, updatedAtBlock: e.blockNumber };
    default:
      return before;
  }
}

/** Whether a member may act with its roles at `nowSeconds` (admitted, not suspended, not expired). */
export function isActive(m: MemberState | undefined, nowSeconds: number): boolean {
  return !!m && m.roles !== 0 && !m.suspended && m.expiresAt > nowSeconds;
}
