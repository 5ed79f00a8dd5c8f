// People inside a member (DOMAIN.md, "People inside a member"): the desk roles a member's administrator gives
// its staff, and what each role may do off-chain. Shared by the server (which enforces it) and the client
// (which shows only what the person may do).
//
// The member's administrator is the member's own on-chain key (the address the chain admits). It may do
// everything its member may do, and alone links, changes and removes staff. A staff key signs in with its own
// key and sees exactly what its member sees; what it may change is limited by its desk roles:
//
// | action                                                        | who (besides the administrator)       |
// |---------------------------------------------------------------|---------------------------------------|
// | invoice details, invoice documents, reason texts              | AR clerk, treasurer                   |
// | dispute replies and attachments                               | AR clerk, treasurer                   |
// | financing offers, loan-offer requests (the off-chain parts)   | treasurer                             |
// | credit limits (where the member sets them)                    | credit approver, up to its authority  |
// | collection cases: contacts, promises on one's own cases       | collector, collections manager        |
// | collection policies, customers, assignment, approvals, runs   | collections manager                   |
// | company profile, staff                                        | nobody: the administrator only        |
//
// The credit analyst reads (credit applications are the desk's next room).
// On-chain acts are still signed by a key the chain admits for the member.

export const DESK_ROLES = ["arClerk", "collector", "collectionsManager", "creditAnalyst", "creditApprover", "treasurer"] as const;
export type DeskRole = (typeof DESK_ROLES)[number];

export const DESK_ROLE_LABELS: Record<DeskRole, string> = {
  arClerk: "AR clerk",
  collector: "Collector",
  collectionsManager: "Collections manager",
  creditAnalyst: "Credit analyst",
  creditApprover: "Credit approver",
  treasurer: "Treasurer",
};

/** Off-chain actions and the desk roles that may do them (the administrator may do all of them). */
export const DESK_ACTIONS = {
  invoiceDetails: ["arClerk", "treasurer"],
  disputeReplies: ["arClerk", "treasurer"],
  financing: ["treasurer"],
  creditDecisions: ["creditApprover"],
  collections: ["collector", "collectionsManager"],
  collectionsManage: ["collectionsManager"],
  companyProfile: [],
  staff: [],
} as const satisfies Record<string, readonly DeskRole[]>;
export type DeskAction = keyof typeof DESK_ACTIONS;

/** A signed-in person as far as desk rules go. */
export interface DeskPerson {
  /** The member's own key (its administrator). */
  administrator: boolean;
  deskRoles: readonly DeskRole[];
  /** A credit approver's authority in base units of the settlement token; null for the administrator (no cap). */
  authority: bigint | null;
}

export function mayDo(p: DeskPerson, action: DeskAction): boolean {
  if (p.administrator) return true;
  return (DESK_ACTIONS[action] as readonly DeskRole[]).some((r) => p.deskRoles.includes(r));
}

/** Whether the person may decide a credit amount (a credit approver only up to its authority). */
export function mayDecideCredit(p: DeskPerson, amount: bigint): boolean {
  if (p.administrator) return true;
  return mayDo(p, "creditDecisions") && p.authority !== null && amount <= p.authority;
}

/** Who may do an action, in words (error messages, the docs). */
export function whoMayDo(action: DeskAction): string {
  const roles = (DESK_ACTIONS[action] as readonly DeskRole[]).map((r) => DESK_ROLE_LABELS[r]);
  return ["the member's administrator", ...roles].join(roles.length > 1 ? ", " : " or ").replace(/, ([^,]*)$/, " or $1");
}
