// Money: amounts in the settlement token's base units (bigint, never number; decimal strings in JSON), their
// display and parsing, and the ISO 4217 currency codes the ledger stores.
import type { Hex } from "viem";

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
  const t = text
    .normalize("NFKC")
    .replace(/[\u00a0\u2009\u202f]/g, " ")
    .trim();
  if (t === "") throw new Error("Enter an amount.");
  const m = /^(\d{1,3}(?:(,|\s)\d{3})?(?:\2\d{3})*|\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) {
    if (/^[-+]/.test(t)) throw new Error(`"${text}" is not an amount: enter it without a sign.`);
    if (/,\d{1,2}$/.test(t) || /^\d{1,3}(\.\d{3})+,\d+$/.test(t))
      throw new Error(`"${text}" is ambiguous: use a point for decimals ("24450.50"); commas only separate thousands ("24,450.50").`);
    if (/[,\s]/.test(t)) throw new Error(`"${text}" is not an amount: group thousands in threes with commas ("1,234,567.89") or not at all.`);
    throw new Error(`"${text}" is not an amount: use digits and a decimal point, e.g. 24450.50.`);
  }
  const frac = m[3] ?? "";
  if (frac.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals.`);
  const whole = m[1]!.replace(/[,\s]/g, "");
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

// ───────────────────────────────────────────────────────────── currency ──
// ISO 4217 currency codes as the ledger stores them: three ASCII letters in a bytes3 ("USD" = 0x555344).
// Until several currencies are supported, the ledger registers only its settlement currency.
const ISO_CODE = /^[A-Z]{3}$/;

export class CurrencyCodeError extends Error {
  override name = "CurrencyCodeError";
}

/** "USD" → "0x555344" (the Invoice's and the event's bytes3). */
export function currencyToBytes3(code: string): Hex {
  const c = code.trim().toUpperCase();
  if (!ISO_CODE.test(c)) throw new CurrencyCodeError(`currency must be a 3-letter ISO 4217 code, got "${code}"`);
  return ("0x" + [...c].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, "0")).join("")) as Hex;
}

/** "0x555344" → "USD"; throws on anything but three upper-case ASCII letters. */
export function currencyFromBytes3(value: string): string {
  const hex = value.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{6}$/.test(hex)) throw new CurrencyCodeError(`not a bytes3 currency code: ${value}`);
  const code = String.fromCharCode(...[0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  if (!ISO_CODE.test(code)) throw new CurrencyCodeError(`not an ISO 4217 code: ${value}`);
  return code;
}

/** One whole token in base units (10^SETTLEMENT_DECIMALS). */
export const UNIT = 10n ** BigInt(SETTLEMENT_DECIMALS);
