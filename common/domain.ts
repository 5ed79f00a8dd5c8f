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

/**
 * The one amount parser for every amount field (issue 9, item 21). The rule:
 * - the text is NFKC-normalised first, so full-width digits, comma and point ("２４，４５０．５") read as ASCII;
 * - a point is the decimal separator; at most `decimals` decimals;
 * - the whole part may group thousands with commas, or with spaces (also no-break and thin spaces), used the
 *   same way throughout: 1–3 digits, then groups of exactly 3 ("24,450", "1,234,567.89", "24 450");
 * - anything else is refused with a message saying why — in particular a comma that is not a thousands
 *   separator ("24,45", "1.234,56": a decimal comma is ambiguous), a sign, or an exponent.
 * Throws an Error whose message can be shown to the user as is.
 */
export function parseAmount(text: string, decimals = SETTLEMENT_DECIMALS): bigint {
  const t = text.normalize("NFKC").replace(/[\u00a0\u2009\u202f]/g, " ").trim();
  if (t === "") throw new Error("Enter an amount.");
  const m = /^(\d{1,3}(?:(,|\s)\d{3})?(?:\2\d{3})*|\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) {
    if (/^[-+]/.test(t)) throw new Error(`"${text}" is not an amount: enter it without a sign.`);
    if (/,\d{1,2}$/.test(t) || /^\d{1,3}(\.\d{3})+,\d+$/.test(t)) throw new Error(`"${text}" is ambiguous: use a point for decimals ("24450.50"); commas only separate thousands ("24,450.50").`);
    if (/[,\s]/.test(t)) throw new Error(`"${text}" is not an amount: group thousands in threes with commas ("1,234,567.89") or not at all.`);
    throw new Error(`"${text}" is not an amount: use digits and a decimal point, e.g. 24450.50.`);
  }
  const frac = m[3] ?? "";
  if (frac.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals.`);
  const whole = m[1]!.replace(/[,\s]/g, "");
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}
