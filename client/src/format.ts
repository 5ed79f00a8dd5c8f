// Display helpers. Amounts stay bigint (base units) until they are shown.
import { formatAmount, SETTLEMENT_DECIMALS } from "../../common/money.ts";
import { formatDate, i18n } from "./i18n/index.ts";

export { DAY_MS } from "../../common/units.ts";
import { DAY_MS } from "../../common/units.ts";

/**
 * Amounts on screen (issue 9, item 21). The rule: `money` shows an amount to the cent, rounded half up — for
 * lists, cards and summaries; sums are always added in base units first and formatted once, so a rounded value
 * is never added up. `moneyExact` shows every significant decimal (up to the token's 6) and is used where the
 * exact amount matters: what a user is about to pay, approve or repay, and the totals a split must match.
 */
export function money(units: bigint | string, decimals = SETTLEMENT_DECIMALS): string {
  const u = typeof units === "string" ? BigInt(units) : units;
  if (decimals <= 2) return group(formatAmount(u, decimals));
  const step = 10n ** BigInt(decimals - 2);
  const negative = u < 0n;
  const abs = negative ? -u : u;
  const cents = (abs + step / 2n) / step;
  return group(formatAmount((negative ? -cents : cents) * step, decimals));
}

/** Every significant decimal: "6,760.000001" (see `money`). */
export function moneyExact(units: bigint | string, decimals = SETTLEMENT_DECIMALS): string {
  return group(formatAmount(typeof units === "string" ? BigInt(units) : units, decimals));
}

function group(text: string): string {
  const [whole = "0", frac = "00"] = text.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}.${frac}`;
}

/** "0x1234…abcd". */
export function shortHex(hex: string, lead = 6, tail = 4): string {
  return hex.length <= lead + tail + 1 ? hex : `${hex.slice(0, lead)}…${hex.slice(-tail)}`;
}

/** "23 Nov 2026" / "2026年11月23日" in UTC (due and issue dates are calendar dates), by the chosen language. */
export function displayDate(iso: string | number | Date): string {
  return formatDate(iso);
}

/** Whole days from `now` to `iso` (negative when past). */
export function daysUntil(iso: string, now: number = Date.now()): number {
  return Math.ceil((new Date(iso).getTime() - now) / DAY_MS);
}

/** "due today", "in 3 days", "2 days overdue" (catalog `due.*`, by the chosen language). */
export function relativeDue(iso: string, now: number = Date.now()): string {
  const days = daysUntil(iso, now);
  if (days === 0) return i18n.t("due.today");
  if (days > 0) return i18n.t("due.inDays", { count: days });
  return i18n.t("due.overdue", { count: -days });
}

/** YYYY-MM-DD of a Date in UTC (the form's date inputs and the fingerprint use calendar dates). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Unix seconds of midnight UTC of a YYYY-MM-DD day. */
export function dayToUnix(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);
}

export function bps(value: number): string {
  return `${(value / 100).toFixed(value % 100 === 0 ? 0 : 2)}%`;
}

/** A receivable id from the API or an event (0x hex or decimal string) as 0x + 64 hex digits, or null. */
export function idHex(value: unknown): string | null {
  if (value === null || value === undefined || value === "" || value === "0") return null;
  try {
    const n = BigInt(String(value));
    return n === 0n ? null : `0x${n.toString(16).padStart(64, "0")}`;
  } catch {
    return null;
  }
}

/** Basis points as a percentage with two decimals ("—" when unknown). */
export const bpsPct = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : `${(v / 100).toFixed(2)}%`);
