// Names shared by the contracts, server and client. Must match contracts/interfaces/*.sol.

/** Role bits of IMemberRegistry. */
export const Role = {
  Seller: 1,
  Buyer: 2,
  Financier: 4,
  Auditor: 8,
  Insurer: 16,
} as const;
export type RoleName = keyof typeof Role;

export function roleNames(bits: number): RoleName[] {
  return (Object.keys(Role) as RoleName[]).filter((name) => (bits & Role[name]) !== 0);
}

/** IReceivableLedger.Status, by enum index. */
export const STATUSES = [
  "None",
  "Registered",
  "Confirmed",
  "Disputed",
  "Cancelled",
  "Paid",
  "Defaulted",
  "WrittenOff",
  "Split",
] as const;
export type ReceivableStatus = (typeof STATUSES)[number];

export function statusName(index: number): ReceivableStatus {
  const name = STATUSES[index];
  if (!name) throw new Error(`unknown receivable status index ${index}`);
  return name;
}

/** Decimals of the settlement token (SettlementToken.decimals()). */
export const SETTLEMENT_DECIMALS = 6;

/** Formats base units as a decimal string with the token's decimals, e.g. 1234500000n → "1234.50". */
export function formatAmount(units: bigint, decimals = SETTLEMENT_DECIMALS): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** Parses "1234.5" into base units; throws on anything that is not a plain non-negative decimal. */
export function parseAmount(text: string, decimals = SETTLEMENT_DECIMALS): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a decimal amount`);
  const frac = m[2] ?? "";
  if (frac.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals`);
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}
