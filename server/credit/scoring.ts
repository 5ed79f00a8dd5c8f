// The internal credit score of a counterparty (as a debtor) from its payment history on the ledger: a pure
// function, no I/O. Thresholds are stated here and in the API description.
import { DAY_S } from "../../common/units.ts";

/** Tier A: score ≥ 80 and never defaulted; tier C: score < 60 or any default / write-off; B otherwise (and without history). */
export const TIER_A_MIN_SCORE = 80;
export const TIER_B_MIN_SCORE = 60;
/** Days late beyond which lateness stops lowering the score further. */
export const MAX_LATE_PENALTY_DAYS = 30;
/** Credit sales window of the simple DSO. */
export const DSO_WINDOW_DAYS = 90;

export const SCORE_FORMULA =
  `score = clamp(0..100, round(100 × onTimeRatio − min(${MAX_LATE_PENALTY_DAYS}, averageDaysLate) − 50 × disputeRatio)); ` +
  `onTimeRatio = receivables settled on or before their due date / receivables settled or past due; ` +
  `averageDaysLate = mean days late over those (0 when on time; open overdue ones count the days so far); ` +
  `disputeRatio = disputes / receivables addressed to the party. ` +
  `Tier A: score ≥ ${TIER_A_MIN_SCORE} and no default or write-off; C: score < ${TIER_B_MIN_SCORE} or any default / write-off; B otherwise or without payment history.`;

export type Tier = "A" | "B" | "C";

export interface PaymentHistory {
  /** Receivables addressed to the party (any status). */
  total: number;
  /** Settled (status Paid): due date and when the last payment landed (unix seconds). */
  settled: { dueDate: number; settledAt: number }[];
  /** Open (Confirmed / Defaulted) and past due at `now`. */
  overdueOpen: { dueDate: number }[];
  disputes: number;
  /** Receivables that defaulted or were written off. */
  defaults: number;
}

export interface CreditScore {
  onTimeRatio: number | null;
  averageDaysLate: number | null;
  decided: number;
  disputes: number;
  defaults: number;
  score: number | null;
  tier: Tier;
  reasons: string[];
}

const daysLate = (dueDate: number, at: number) => Math.max(0, Math.ceil((at - dueDate) / DAY_S));

export function scoreHistory(h: PaymentHistory, now: number): CreditScore {
  const lates = [...h.settled.map((s) => daysLate(s.dueDate, s.settledAt)), ...h.overdueOpen.map((o) => daysLate(o.dueDate, now))];
  const decided = lates.length;
  const reasons: string[] = [];
  if (decided === 0) {
    if (h.defaults) reasons.push(`${h.defaults} defaulted or written off`);
    return {
      onTimeRatio: null,
      averageDaysLate: null,
      decided: 0,
      disputes: h.disputes,
      defaults: h.defaults,
      score: null,
      tier: h.defaults ? "C" : "B",
      reasons: reasons.length ? reasons : ["no payment history yet"],
    };
  }
  const onTime = h.settled.filter((s) => s.settledAt <= s.dueDate).length;
  const onTimeRatio = onTime / decided;
  const averageDaysLate = lates.reduce((a, b) => a + b, 0) / decided;
  const disputeRatio = h.total ? h.disputes / h.total : 0;
  const score = Math.max(0, Math.min(100, Math.round(100 * onTimeRatio - Math.min(MAX_LATE_PENALTY_DAYS, averageDaysLate) - 50 * disputeRatio)));
  if (onTimeRatio < 1) reasons.push(`${decided - onTime} of ${decided} paid late or overdue`);
  if (averageDaysLate > 0) reasons.push(`${averageDaysLate.toFixed(1)} days late on average`);
  if (h.disputes) reasons.push(`${h.disputes} dispute${h.disputes > 1 ? "s" : ""}`);
  if (h.defaults) reasons.push(`${h.defaults} defaulted or written off`);
  const tier: Tier = h.defaults > 0 || score < TIER_B_MIN_SCORE ? "C" : score >= TIER_A_MIN_SCORE ? "A" : "B";
  return {
    onTimeRatio: Math.round(onTimeRatio * 10_000) / 10_000,
    averageDaysLate: Math.round(averageDaysLate * 100) / 100,
    decided,
    disputes: h.disputes,
    defaults: h.defaults,
    score,
    tier,
    reasons: reasons.length ? reasons : ["always paid on time"],
  };
}

/** Limit use in percent with two decimals (null without a limit; exposure over a zero limit is 100% or more). */
export function limitUsePct(exposure: bigint, limit: bigint | null): number | null {
  if (limit === null) return null;
  if (limit === 0n) return exposure === 0n ? 0 : 100;
  return Number((exposure * 10_000n) / limit) / 100;
}
