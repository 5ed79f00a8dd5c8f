// The demo consortium's members: Hardhat's development accounts by the role they play, and their company
// profiles. Pure data, shared by scripts/demo.ts (which admits them on a local chain) and the client's account
// picker (which names them), so the client needs nothing from scripts/.

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
