// How the financing modules' events (FactoringMarket, PledgeLoans, CreditInsurance) shape a receivable's
// financing record: a pure fold, no I/O. The indexer re-folds every receivable a batch (or a reorg rollback)
// touches from its stored events, so the projection is idempotent and a rollback is "re-fold what is left".
import type { ChainEvent } from "../indexer/types.ts";

/** Events about one receivable (all carry its `id`). */
export const FINANCING_RECEIVABLE_EVENTS = [
  // FactoringMarket
  "Listed",
  "ListingClosed",
  "Sold",
  "PaymentForwarded",
  "RecourseClaimed",
  "RecourseSettled",
  // PledgeLoans
  "LoanOpened",
  "LoanRepayment",
  "LoanClosed",
  "CollateralSeized",
  // CreditInsurance
  "PolicyOffered",
  "PolicyAccepted",
  "PolicyClaimed",
  "PolicyReleased",
  "SubrogationRecovered",
] as const;

/** Offer nonces cancelled on chain (no receivable id: financier/lender + nonce). */
export const NONCE_CANCEL_EVENTS = ["OfferCancelled", "LoanOfferCancelled"] as const;

export const FINANCING_EVENT_NAMES: ReadonlySet<string> = new Set<string>(FINANCING_RECEIVABLE_EVENTS);
export const NONCE_CANCEL_EVENT_NAMES: ReadonlySet<string> = new Set<string>(NONCE_CANCEL_EVENTS);

export type ListingStatus = "open" | "sold" | "closed";
export type RecourseStatus = "none" | "claimed" | "settled";
export type LoanStatus = "open" | "repaid" | "seized";
export type PolicyStatus = "offered" | "active" | "claimed" | "released";

export interface Listing {
  receivableId: string;
  seq: number;
  lister: string;
  reserve: bigint;
  deadline: number;
  withRecourse: boolean;
  recourseRateBps: number;
  status: ListingStatus;
  listedBlock: number;
  listedTx: string;
  endedBlock: number | null;
}

export interface Sale {
  receivableId: string;
  seq: number;
  seller: string;
  financier: string;
  price: bigint;
  withRecourse: boolean;
  recourseRateBps: number;
  nonce: string;
  soldBlock: number;
  soldTx: string;
  recourseStatus: RecourseStatus;
  recourseAmount: bigint | null;
  recourseBlock: number | null;
  forwarded: bigint;
}

export interface Loan {
  receivableId: string;
  seq: number;
  borrower: string;
  lender: string;
  principal: bigint;
  rateBps: number;
  nonce: string;
  openedBlock: number;
  openedTx: string;
  status: LoanStatus;
  paidToLender: bigint;
  paidToHolder: bigint;
  owed: bigint;
  closedBlock: number | null;
}

export interface LoanRepayment {
  receivableId: string;
  /** The loan it belongs to, -1 when no loan was open (a payment through the module after the loan closed). */
  loanSeq: number;
  blockNumber: number;
  transactionIndex: number;
  logIndex: number;
  transactionHash: string;
  lender: string;
  toLender: bigint;
  toHolder: bigint;
  owedAfter: bigint;
}

export interface Policy {
  receivableId: string;
  seq: number;
  insurer: string;
  coverageBps: number;
  premium: bigint;
  expiry: number;
  escrow: bigint;
  status: PolicyStatus;
  holder: string | null;
  payout: bigint | null;
  /** After a paid claim the insurer is subrogated: its share of the buyer's later payments, received so far. */
  recovered: bigint | null;
  offeredBlock: number;
  updatedBlock: number;
}

export interface FinancingRecord {
  listings: Listing[];
  sales: Sale[];
  loans: Loan[];
  repayments: LoanRepayment[];
  policies: Policy[];
}

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as string | number));
const addr = (v: unknown): string => String(v).toLowerCase();

/** Folds one receivable's financing events (in chain order) into its financing record. */
export function foldFinancing(receivableId: string, events: ChainEvent[]): FinancingRecord {
  const rec: FinancingRecord = { listings: [], sales: [], loans: [], repayments: [], policies: [] };
  const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
  for (const e of events) {
    const a = e.args;
    switch (e.name) {
      case "Listed":
        rec.listings.push({
          // The market numbers a receivable's listings (the number its offers sign); events from before it did: by count.
          receivableId,
          seq: a["listing"] !== undefined ? Number(a["listing"]) : rec.listings.length,
          lister: addr(a["lister"]),
          reserve: big(a["reserve"]),
          deadline: Number(a["deadline"]),
          withRecourse: Boolean(a["withRecourse"]),
          recourseRateBps: Number(a["recourseRateBps"]),
          status: "open",
          listedBlock: e.blockNumber,
          listedTx: e.transactionHash,
          endedBlock: null,
        });
        break;
      case "ListingClosed": {
        const l = last(rec.listings);
        if (l && l.status === "open") Object.assign(l, { status: "closed", endedBlock: e.blockNumber });
        break;
      }
      case "Sold": {
        const l = last(rec.listings);
        if (l && l.status === "open") Object.assign(l, { status: "sold", endedBlock: e.blockNumber });
        rec.sales.push({
          receivableId,
          seq: rec.sales.length,
          seller: addr(a["seller"]),
          financier: addr(a["financier"]),
          price: big(a["price"]),
          withRecourse: Boolean(a["withRecourse"]),
          recourseRateBps: l?.recourseRateBps ?? 0,
          nonce: big(a["nonce"]).toString(),
          soldBlock: e.blockNumber,
          soldTx: e.transactionHash,
          recourseStatus: "none",
          recourseAmount: null,
          recourseBlock: null,
          forwarded: 0n,
        });
        break;
      }
      case "PaymentForwarded": {
        const s = last(rec.sales);
        if (s) s.forwarded += big(a["amount"]);
        break;
      }
      case "RecourseClaimed": {
        const s = last(rec.sales);
        if (s) Object.assign(s, { recourseStatus: "claimed", recourseAmount: big(a["amount"]), recourseBlock: e.blockNumber });
        break;
      }
      case "RecourseSettled": {
        const s = last(rec.sales);
        if (s) Object.assign(s, { recourseStatus: "settled", recourseAmount: big(a["amount"]), recourseBlock: e.blockNumber });
        break;
      }
      case "LoanOpened":
        rec.loans.push({
          receivableId,
          seq: rec.loans.length,
          borrower: addr(a["borrower"]),
          lender: addr(a["lender"]),
          principal: big(a["principal"]),
          rateBps: Number(a["rateBps"]),
          nonce: big(a["nonce"]).toString(),
          openedBlock: e.blockNumber,
          openedTx: e.transactionHash,
          status: "open",
          paidToLender: 0n,
          paidToHolder: 0n,
          owed: big(a["principal"]),
          closedBlock: null,
        });
        break;
      case "LoanRepayment": {
        const l = last(rec.loans);
        const open = l && l.status === "open" ? l : undefined;
        const toLender = big(a["toLender"]);
        const toHolder = big(a["toHolder"]);
        const owedAfter = big(a["owedAfter"]);
        if (open) {
          open.paidToLender += toLender;
          open.paidToHolder += toHolder;
          open.owed = owedAfter;
        }
        rec.repayments.push({
          receivableId,
          loanSeq: open ? open.seq : -1,
          blockNumber: e.blockNumber,
          transactionIndex: e.transactionIndex,
          logIndex: e.logIndex,
          transactionHash: e.transactionHash,
          lender: addr(a["lender"]),
          toLender,
          toHolder,
          owedAfter,
        });
        break;
      }
      case "CollateralSeized": {
        const l = last(rec.loans);
        if (l && l.status === "open") Object.assign(l, { status: "seized", owed: big(a["owed"]), closedBlock: e.blockNumber });
        break;
      }
      case "LoanClosed": {
        const l = last(rec.loans);
        if (l && l.status === "open") Object.assign(l, { status: "repaid", owed: 0n, closedBlock: e.blockNumber });
        break;
      }
      case "PolicyOffered":
        rec.policies.push({
          receivableId,
          seq: rec.policies.length,
          insurer: addr(a["insurer"]),
          coverageBps: Number(a["coverageBps"]),
          premium: big(a["premium"]),
          expiry: Number(a["expiry"]),
          escrow: big(a["escrow"]),
          status: "offered",
          holder: null,
          payout: null,
          recovered: null,
          offeredBlock: e.blockNumber,
          updatedBlock: e.blockNumber,
        });
        break;
      case "PolicyAccepted": {
        const p = last(rec.policies);
        if (p) Object.assign(p, { status: "active", holder: addr(a["holder"]), updatedBlock: e.blockNumber });
        break;
      }
      case "PolicyClaimed": {
        // An insurer's payout is credited against an open recourse claim (FactoringMarket.recourseDue).
        const sale = last(rec.sales);
        const payout = big(a["payout"]);
        if (sale && sale.recourseStatus === "claimed" && sale.recourseAmount !== null && payout > 0n) {
          sale.recourseAmount = sale.recourseAmount > payout ? sale.recourseAmount - payout : 0n;
        }
        const p = last(rec.policies);
        if (p)
          Object.assign(p, {
            status: "claimed",
            holder: addr(a["holder"]),
            payout: big(a["payout"]),
            recovered: big(a["payout"]) > 0n ? 0n : null,
            escrow: 0n,
            updatedBlock: e.blockNumber,
          });
        break;
      }
      case "SubrogationRecovered": {
        const p = last(rec.policies);
        if (p) Object.assign(p, { recovered: big(a["recovered"]), updatedBlock: e.blockNumber });
        break;
      }
      case "PolicyReleased": {
        const p = last(rec.policies);
        // A claimed policy stays "claimed" (its release only returns the rest of the escrow, if any).
        if (p) Object.assign(p, { status: p.status === "claimed" ? "claimed" : "released", escrow: 0n, updatedBlock: e.blockNumber });
        break;
      }
    }
  }
  return rec;
}

// Pricing (discount, yield, days to maturity) lives in common/pricing.ts.
