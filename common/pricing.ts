// Price maths the server, the client and the contracts share: basis points, the factoring price's discount and
// yield, and the payment terms (early-payment discount, late interest) exactly as contracts/libraries/
// PaymentTerms.sol and ReceivableLedger.amountDue compute them. Amounts are base units (bigint); times unix seconds.
import { DAY_S, DAYS_PER_YEAR } from "./units.ts";

/** 100% in basis points. */
export const BPS = 10_000;
const BPS_N = BigInt(BPS);

/** `amount × bps / 10,000`, rounded down (an advance, an escrow, a coverage). */
export function applyBps(amount: bigint, bps: number | bigint): bigint {
  return (amount * BigInt(bps)) / BPS_N;
}

/** Basis points as a percentage number (250 → 2.5). */
export const bpsToPercent = (bps: number): number => bps / 100;

/**
 * Discount and annualised yield of buying a receivable of face `face` for `price`, `days` before maturity:
 * discount = (face − price) / face; yield = discount / (1 − discount) × 365 / days (simple, actual/365).
 * Returned in basis points, rounded down; yield is null when maturity is today or past (or the price is 0).
 */
export function pricing(face: bigint, price: bigint, days: number): { discountBps: number; yieldBps: number | null } {
  if (face <= 0n) return { discountBps: 0, yieldBps: null };
  const discountBps = Number(((face - price) * BPS_N) / face);
  if (days <= 0 || price <= 0n) return { discountBps, yieldBps: null };
  // discount / (1 − discount) = (face − price) / price
  const yieldBps = Number(((face - price) * BPS_N * BigInt(DAYS_PER_YEAR)) / (price * BigInt(days)));
  return { discountBps, yieldBps };
}

/** Whole days from `now` to `dueDate` (unix seconds), rounded up; 0 when due or past. */
export function daysToMaturity(dueDate: number, now: number): number {
  return Math.max(0, Math.ceil((dueDate - now) / DAY_S));
}

// ─────────────────────────────────────────────────────── payment terms ──

/** Payment terms fixed at registration (IReceivableLedger.PaymentTerms). */
export interface PaymentTerms {
  discountBps: number;
  discountDays: number;
  lateInterestBps: number;
  graceDays: number;
}

/** The discount window is open at `t` (inclusive of its last second). */
export function inDiscountWindow(issueDate: number, terms: Pick<PaymentTerms, "discountBps" | "discountDays">, t: number): boolean {
  return terms.discountDays !== 0 && terms.discountBps !== 0 && t <= issueDate + terms.discountDays * DAY_S;
}

/** What settles `outstanding` in full inside the discount window: outstanding × (1 − bps), rounded up. */
export function discounted(outstanding: bigint, discountBps: number): bigint {
  return (outstanding * (BPS_N - BigInt(discountBps)) + BPS_N - 1n) / BPS_N;
}

/** The face amount a partial payment of `amount` settles inside the discount window (rounded down). */
export function principalFor(amount: bigint, discountBps: number): bigint {
  return (amount * BPS_N) / (BPS_N - BigInt(discountBps));
}

/** When late interest starts to accrue: the due date plus the grace period. */
export function lateFrom(dueDate: number, graceDays: number): number {
  return dueDate + graceDays * DAY_S;
}

/** Simple late interest on `outstanding` at `rateBps` a year for the whole days from `from` to `to` (actual/365). */
export function lateInterest(outstanding: bigint, rateBps: number, from: number, to: number): { interest: bigint; wholeDays: number } {
  if (to <= from || rateBps === 0) return { interest: 0n, wholeDays: 0 };
  const wholeDays = Math.floor((to - from) / DAY_S);
  return { interest: (outstanding * BigInt(rateBps) * BigInt(wholeDays)) / (BPS_N * BigInt(DAYS_PER_YEAR)), wholeDays };
}

/**
 * What the buyer must pay at `t` to settle a receivable with `outstanding` face left (ReceivableLedger.amountDue,
 * for a receivable the ledger takes payments on): late interest after the grace period (from `interestPaidUntil`
 * when a late partial payment already covered some days), the discounted amount inside the discount window,
 * otherwise the outstanding amount.
 */
export function amountDue(r: { outstanding: bigint; issueDate: number; dueDate: number; terms: PaymentTerms; interestPaidUntil?: number }, t: number): bigint {
  const late = lateFrom(r.dueDate, r.terms.graceDays);
  if (t > late) {
    const from = (r.interestPaidUntil ?? 0) > late ? r.interestPaidUntil! : late;
    return r.outstanding + lateInterest(r.outstanding, r.terms.lateInterestBps, from, t).interest;
  }
  if (inDiscountWindow(r.issueDate, r.terms, t)) return discounted(r.outstanding, r.terms.discountBps);
  return r.outstanding;
}
