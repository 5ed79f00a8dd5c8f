// Response schemas of the financing API (/api/financing…): factoring offers and listings, pledge loans, credit
// insurance, portfolios. The server documents its responses with them; the client infers its types from them.
import { z } from "zod";
import { AddressJson, HexJson } from "./json.ts";
import { InvoiceJson, SimilarWarningJson } from "./receivables.ts";

export const OfferKind = z.enum(["factoring", "loan"]);

export const OfferJson = z.object({
  id: z.string(),
  kind: OfferKind,
  receivableId: HexJson,
  bidder: AddressJson,
  price: z.string().nullable(),
  advanceBps: z.number().nullable(),
  rateBps: z.number().nullable(),
  nonce: z.string(),
  expiry: z.string(),
  signature: HexJson,
  state: z
    .enum(["open", "withdrawn", "expired", "accepted", "cancelled", "lost", "closed"])
    .describe("lost: its listing was sold to another bid; closed: its listing was closed or passed its deadline unsold"),
  createdAt: z.string(),
  withdrawnAt: z.string().nullable(),
  daysToMaturity: z.number(),
  discountBps: z.number().nullable(),
  yieldBps: z.number().nullable(),
  onChain: z
    .object({ contract: AddressJson.nullable(), function: z.string(), offer: z.record(z.string(), z.unknown()) })
    .describe("the call the lister/holder sends with `signature`"),
});

export const WithdrawResponse = OfferJson.extend({
  onChainCancel: z.object({ contract: z.string().nullable(), function: z.literal("cancelOffer"), args: z.array(z.string()) }),
});

export const ListingJson = z.object({
  seq: z.number(),
  lister: AddressJson,
  reserve: z.string(),
  deadline: z.string(),
  withRecourse: z.boolean(),
  recourseRateBps: z.number(),
  status: z.enum(["open", "expired", "sold", "closed"]),
  listedBlock: z.number(),
  listedTx: z.string(),
  endedBlock: z.number().nullable(),
});

export const SaleJson = z.object({
  seq: z.number(),
  seller: AddressJson,
  financier: AddressJson,
  price: z.string(),
  withRecourse: z.boolean(),
  recourseRateBps: z.number(),
  nonce: z.string(),
  soldBlock: z.number(),
  soldTx: z.string(),
  recourse: z.object({ status: z.enum(["none", "claimed", "settled"]), amount: z.string().nullable(), block: z.number().nullable() }),
  forwarded: z.string().describe("buyer payments forwarded to the holder through the market"),
});

export const RepaymentJson = z.object({
  loanSeq: z.number(),
  blockNumber: z.number(),
  transactionHash: z.string(),
  lender: AddressJson,
  toLender: z.string(),
  toHolder: z.string(),
  owedAfter: z.string(),
});

export const LoanJson = z.object({
  receivableId: HexJson,
  seq: z.number(),
  borrower: AddressJson,
  lender: AddressJson,
  principal: z.string(),
  rateBps: z.number(),
  nonce: z.string(),
  status: z.enum(["open", "repaid", "seized"]),
  openedBlock: z.number(),
  openedTx: z.string(),
  closedBlock: z.number().nullable(),
  paidToLender: z.string(),
  paidToHolder: z.string(),
  owed: z.string(),
  repayments: z.array(RepaymentJson).describe("the payment waterfall: each payment's share to the lender and surplus to the holder"),
});

export const PolicyJson = z.object({
  seq: z.number(),
  insurer: AddressJson,
  coverageBps: z.number(),
  premium: z.string(),
  expiry: z.string(),
  escrow: z.string(),
  status: z.enum(["offered", "active", "expired", "claimed", "released"]),
  holder: AddressJson.nullable(),
  payout: z.string().nullable(),
  recovered: z.string().nullable().describe("subrogation: the insurer's share of later payments received so far (null before a paid claim)"),
  offeredBlock: z.number(),
});

export const CreditNoteJson = z.object({
  type: z.string(),
  noteId: z.string(),
  amount: z.string().nullable(),
  faceAmountAfter: z.string().nullable(),
  blockNumber: z.number(),
  transactionHash: z.string(),
});

export const ReceivableSummary = z.object({
  id: HexJson,
  seller: AddressJson,
  buyer: AddressJson,
  holder: AddressJson,
  status: z.string(),
  confirmed: z.boolean(),
  faceAmount: z.string(),
  outstanding: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  daysToMaturity: z.number(),
  lockedBy: AddressJson.nullable(),
  invoice: InvoiceJson.nullable().optional(),
  sellerName: z.string().nullable().optional(),
  buyerName: z.string().nullable().optional(),
  similar: z.array(SimilarWarningJson).optional().describe("near-duplicate warnings (marketplace)"),
});

export const CreditSummary = z.object({
  tier: z.enum(["A", "B", "C"]),
  score: z.number().nullable(),
  limit: z.string().nullable(),
  exposure: z.string(),
  limitUsePct: z.number().nullable(),
});

export const MarketplaceResponse = z.object({
  items: z.array(
    z.object({
      receivable: ReceivableSummary,
      listing: ListingJson,
      buyerCredit: CreditSummary,
      sellerCredit: CreditSummary,
      dilution: z.object({ creditNotes: z.array(CreditNoteJson), acceptedCount: z.number() }),
      insurance: z.array(PolicyJson),
      myOffers: z.array(OfferJson),
    }),
  ),
  now: z.string().describe("chain time the answer was computed at"),
});

export const OffersOnResponse = z.object({
  receivableId: HexJson,
  kind: OfferKind,
  faceAmount: z.string(),
  outstanding: z.string(),
  dueDate: z.string(),
  daysToMaturity: z.number(),
  listing: ListingJson.nullable(),
  items: z.array(OfferJson.extend({ rank: z.number().nullable().describe("1 = best open offer; null when not open") })),
});

export const LoanRequestJson = z.object({
  receivableId: HexJson,
  holder: AddressJson,
  requestedAt: z.string(),
  closedAt: z.string().nullable(),
  open: z.boolean().describe("open, by the current holder, and the receivable confirmed and unlocked: active financiers see the receivable"),
});

export const FinancingRecordResponse = z.object({
  receivable: ReceivableSummary,
  loanRequest: LoanRequestJson.nullable().describe("the current holder's request for loan offers (shown to the holder only)"),
  listings: z.array(ListingJson),
  sales: z.array(SaleJson),
  loans: z.array(LoanJson),
  policies: z.array(PolicyJson),
  creditNotes: z.array(CreditNoteJson),
});

export const LoansResponse = z.object({ items: z.array(LoanJson) });

export const FinancierPortfolioResponse = z.object({
  holdings: z.array(
    z.object({
      receivable: ReceivableSummary,
      purchase: z
        .object({
          price: z.string(),
          soldBlock: z.number(),
          withRecourse: z.boolean(),
          recourse: z.string(),
          discountBps: z.number().nullable(),
          yieldBps: z.number().nullable(),
        })
        .nullable()
        .describe("null when acquired by transfer, not by a sale on the market"),
      collected: z.string(),
      overdue: z.boolean(),
      daysOverdue: z.number(),
    }),
  ),
  loans: z.array(LoanJson.extend({ dueDate: z.string().nullable() })),
  collectionsByWeek: z.array(
    z.object({ weekOf: z.string().describe("Monday, YYYY-MM-DD"), receivables: z.string(), loans: z.string(), total: z.string(), count: z.number() }),
  ),
  totals: z.object({
    holdings: z.number(),
    invested: z.string(),
    expected: z.string(),
    weightedYieldBps: z.number().nullable().describe("price-weighted yield at purchase"),
    overdueAmount: z.string(),
    overdueCount: z.number(),
    loansOutstanding: z.string(),
  }),
  now: z.string(),
});

export const SellerPortfolioResponse = z.object({
  factoring: z.object({
    count: z.number(),
    faceAmount: z.string(),
    received: z.string(),
    discount: z.string(),
    discountBps: z.number().nullable(),
    annualisedCostBps: z.number().nullable(),
    sales: z.array(z.record(z.string(), z.unknown())),
  }),
  loans: z.object({
    count: z.number(),
    advanced: z.string(),
    interestPaid: z.string(),
    open: z.number(),
    items: z.array(LoanJson.extend({ interestPaid: z.string() })),
  }),
  financedVolume: z.string().describe("factoring proceeds + loan advances"),
  costOfFinancing: z.string().describe("factoring discounts + loan interest paid"),
});
