// The members page's English catalog (issue 10, client item 4): the `members.*` keys of the translation namespace,
// kept apart from en.ts so that the first route does not carry them; members-page.tsx registers them (and the
// Chinese ones) when its chunk loads. test/client/catalogs.test.ts checks this pair like the main one.
import type { Shape } from "../en.ts";

export const membersEn = {
  title: "Members",
  lede: "Admitted consortium members, their roles and admission expiry (KYC), as recorded in the member registry.",
  forbidden: "The member list is for the operator and auditors.",
  onlyOperator: "Only the operator and auditors see the member list.",
  invalidAddress: "Enter a valid 0x address.",
  admitTitle: "Admit or update a member",
  address: "Address",
  roles: "Roles",
  expires: "Admission expires",
  admit: "Admit member",
  admitting: "Admitting…",
  admitted: "Admitted {{address}} as {{roles}}.",
  roleSeparator: ", ",
  tableLabel: "Consortium members",
  col: {
    member: "Member",
    company: "Company (off-chain profile)",
    roles: "Roles",
    expires: "Admission expires",
    state: "State",
    actions: "Actions",
  },
  noProfile: "no profile",
  noRoles: "none",
  active: "Active",
  suspendedState: "Suspended",
  expired: "Expired",
  reinstate: "Reinstate",
  reinstating: "Reinstating…",
  reinstated: "Reinstated {{address}}.",
  suspend: "Suspend",
  suspending: "Suspending…",
  suspended: "Suspended {{address}}.",
  suspendTitle: "Suspend {{name}}?",
  suspendBody_one:
    "Suspending {{who}}, member {{address}} with the role {{roles}}, stops it acting on the ledger at once: it can no longer register, confirm, pay, transfer or finance receivables, and offers it signed can no longer be accepted.",
  suspendBody_other:
    "Suspending {{who}}, member {{address}} with the roles {{roles}}, stops it acting on the ledger at once: it can no longer register, confirm, pay, transfer or finance receivables, and offers it signed can no longer be accepted.",
  suspendStays: "Its receivables stay as they are. It stays suspended until you reinstate it.",
};

export type MembersCatalog = Shape<typeof membersEn>;
