// The features of an open receivable from its buyer's ledger history (across all its suppliers) and its own
// terms: a pure function of the aggregates the store computes in SQL. Definitions (also in the API description):
import { DAY_S } from "../../common/units.ts";
import type { FeatureVector } from "./model.ts";

/** How many of a buyer's latest decided invoices (by due date) count as "recent" for the trend. */
export const RECENT_INVOICES = 8;
/** Days late beyond which lateness stops adding to the mean (a write-off would otherwise dominate it). */
export const MAX_DAYS_LATE = 120;
/** Default grace: a payment up to this many days after the due date is on time (RISK_GRACE_DAYS). */
export const DEFAULT_GRACE_DAYS = 5;

export const FEATURE_DEFINITIONS =
  `Per buyer, as of a block, over its receivables on the ledger (every supplier; split parents excluded, cancelled ones only in the dispute share's count): ` +
  `an invoice is decided when paid in full (days late = UTC day of the last settling event's block − due day) or still unpaid more than grace days after its due day (days late = report day − due day); ` +
  `onTimeShare = (decided with days late ≤ grace + 1) / (decided + 2) (Laplace-smoothed); meanDaysBeyondTerms = mean of days late clamped to 0..${MAX_DAYS_LATE} over decided; ` +
  `recentOnTimeShare = the same over the ${RECENT_INVOICES} latest decided invoices (by due date); trendDays = that mean over the ${RECENT_INVOICES} latest decided invoices (by due date) − over the older ones (0 without older ones); ` +
  `partialPaymentShare = invoices paid in more than one payment or partly paid / invoices with a payment; disputeShare, creditNoteShare, defaultShare = invoices with a dispute, credit note, default / all addressed to it (cancelled included); ` +
  `history = ln(1 + decided); brokenPromises and dunningLevel from collections (0 until it exists); limitUse = exposure / credit limit (0 without a limit). ` +
  `Per receivable: amountVsTypical = ln(face / the buyer's mean face); termDays = due day − issue day; daysToDue = due day − report day.`;

/** What the store aggregates per buyer (SQL GROUP BY). */
export interface BuyerFacts {
  buyer: string;
  /** Receivables addressed to the buyer (cancelled ones included); `items` without the cancelled. */
  addressed: number;
  items: number;
  decided: number;
  onTime: number;
  /** Decided and on time among the `RECENT_INVOICES` latest decided. */
  recentDecided: number;
  recentOnTime: number;
  /** Mean clamped days late over decided, null without decided. */
  meanLate: number | null;
  recentLate: number | null;
  olderLate: number | null;
  withPayment: number;
  partial: number;
  disputed: number;
  creditNoted: number;
  defaulted: number;
  /** Exposure (EXPOSURE statuses' outstanding) and mean face, in base units as floats (ratios only). */
  exposure: number;
  meanFace: number;
}

/** Facts from elsewhere: credit limits (server/credit) and collections (broken promises, dunning level). */
export interface ExternalFacts {
  limit: number | null;
  brokenPromises: number;
  dunningLevel: number;
}

export type BuyerFeatures = Pick<
  FeatureVector,
  | "onTimeShare"
  | "recentOnTimeShare"
  | "meanDaysBeyondTerms"
  | "trendDays"
  | "partialPaymentShare"
  | "disputeShare"
  | "creditNoteShare"
  | "defaultShare"
  | "history"
  | "brokenPromises"
  | "dunningLevel"
  | "limitUse"
>;

export function buyerFeatures(f: BuyerFacts, x: ExternalFacts): BuyerFeatures {
  return {
    onTimeShare: (f.onTime + 1) / (f.decided + 2),
    recentOnTimeShare: (f.recentOnTime + 1) / (f.recentDecided + 2),
    meanDaysBeyondTerms: f.meanLate ?? 0,
    trendDays: f.recentLate !== null && f.olderLate !== null ? f.recentLate - f.olderLate : 0,
    partialPaymentShare: f.withPayment ? f.partial / f.withPayment : 0,
    disputeShare: f.addressed ? f.disputed / f.addressed : 0,
    creditNoteShare: f.addressed ? f.creditNoted / f.addressed : 0,
    defaultShare: f.addressed ? f.defaulted / f.addressed : 0,
    history: Math.log1p(f.decided),
    brokenPromises: x.brokenPromises,
    dunningLevel: x.dunningLevel,
    limitUse: x.limit && x.limit > 0 ? Math.min(5, f.exposure / x.limit) : 0,
  };
}

export const EMPTY_FACTS = (buyer: string): BuyerFacts => ({
  buyer,
  addressed: 0,
  items: 0,
  decided: 0,
  onTime: 0,
  recentDecided: 0,
  recentOnTime: 0,
  meanLate: null,
  recentLate: null,
  olderLate: null,
  withPayment: 0,
  partial: 0,
  disputed: 0,
  creditNoted: 0,
  defaulted: 0,
  exposure: 0,
  meanFace: 0,
});

export interface OpenItem {
  id: string;
  buyer: string;
  seller: string;
  holder: string;
  faceAmount: bigint;
  issueDate: number;
  dueDate: number;
}

const dayOf = (t: number) => Math.floor(t / DAY_S);

export function receivableFeatures(
  b: BuyerFeatures,
  facts: BuyerFacts,
  r: Pick<OpenItem, "faceAmount" | "issueDate" | "dueDate">,
  reportDay: number,
): FeatureVector {
  const face = Number(r.faceAmount);
  return {
    ...b,
    amountVsTypical: facts.meanFace > 0 && face > 0 ? Math.log(face / facts.meanFace) : 0,
    termDays: dayOf(r.dueDate) - dayOf(r.issueDate),
    daysToDue: dayOf(r.dueDate) - reportDay,
  };
}
