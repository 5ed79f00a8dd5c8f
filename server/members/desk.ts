// Desk-role checks on off-chain actions (the rule is common/desk-roles.ts): a staff key may change only what its
// desk roles allow; the member's own key (its administrator) may do all its member may do.
import { HttpError } from "../errors.ts";
import { mayDo, whoMayDo, type DeskAction } from "../../common/desk-roles.ts";
import type { Viewer } from "../receivables/visibility.ts";

export function requireDesk(v: Viewer, action: DeskAction, what: string): void {
  if (!mayDo(v, action))
    throw new HttpError(403, "desk_role", `${what} is for ${whoMayDo(action)}; this staff key has ${v.deskRoles.join(", ") || "no desk role"}`);
}
