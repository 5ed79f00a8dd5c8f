// The demo consortium's members: Hardhat's development accounts by the role they play, and their company
// profiles. Pure data, shared by scripts/demo.ts (which admits them on a local chain) and the client's account
// picker (which names them), so the client needs nothing from scripts/.
import type { DeskRole } from "./desk-roles.ts";

/** Hardhat's development accounts by the role they play in the demo (index into eth_accounts). */
export const DEMO_ACCOUNTS = {
  operator: 0,
  sellers: [1, 2],
  buyers: [3, 4],
  financiers: [5, 6],
  auditor: 7,
  insurer: 8,
} as const;

/** Company profiles of the demo members, by account index. */
export const DEMO_COMPANIES: Record<number, { name: string; taxId: string }> = {
  0: { name: "Consortium Operator", taxId: "OP-0001" },
  1: { name: "Acme Components Ltd", taxId: "DE-811-000-001" },
  2: { name: "Borealis Plastics GmbH", taxId: "DE-811-000-002" },
  3: { name: "Colossus Motors AG", taxId: "DE-999-000-003" },
  4: { name: "Delta Retail plc", taxId: "GB-123-000-004" },
  5: { name: "Evergreen Factoring", taxId: "NL-555-000-005" },
  6: { name: "Fjord Trade Bank", taxId: "NO-777-000-006" },
  7: { name: "Gamma Audit LLP", taxId: "GB-888-000-007" },
  8: { name: "Helix Credit Insurance", taxId: "CH-444-000-008" },
};

/**
 * Named staff of the demo companies (people inside a member), on Hardhat's spare development accounts 9–19 of the
 * default mnemonic, linked by each member's own key through the server's API (linkDemoStaff). Eleven spare
 * accounts: two people for each seller and buyer, one or two for the financiers, one on the operator's credit desk.
 */
export const DEMO_STAFF: { index: number; member: number; name: string; deskRoles: DeskRole[]; authorityTokens?: bigint }[] = [
  { index: 9, member: 1, name: "Anna Schmidt", deskRoles: ["arClerk"] },
  { index: 10, member: 1, name: "Bernd Keller", deskRoles: ["collector", "treasurer"] },
  { index: 11, member: 2, name: "Clara Weiss", deskRoles: ["arClerk", "collector"] },
  { index: 12, member: 2, name: "Dieter Frank", deskRoles: ["treasurer"] },
  { index: 13, member: 3, name: "Elena Roth", deskRoles: ["arClerk"] },
  { index: 14, member: 3, name: "Felix Huber", deskRoles: ["creditAnalyst", "treasurer"] },
  { index: 15, member: 4, name: "Grace Hall", deskRoles: ["arClerk", "collector"] },
  { index: 16, member: 5, name: "Hanna de Vries", deskRoles: ["creditAnalyst", "treasurer"] },
  { index: 17, member: 5, name: "Ivo Jansen", deskRoles: ["creditApprover"], authorityTokens: 1_000_000n },
  { index: 18, member: 6, name: "Jonas Berg", deskRoles: ["creditApprover", "treasurer"], authorityTokens: 5_000_000n },
  { index: 19, member: 0, name: "Kai Lindqvist", deskRoles: ["creditApprover"], authorityTokens: 2_000_000n },
];
