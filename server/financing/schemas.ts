// Request schemas of the financing API (zod): they validate requests and generate OpenAPI. The response schemas
// live in common/api/financing.ts (the client infers its types from them).
import { z } from "zod";
import { ReceivableId } from "../http/validate.ts";
import { OfferKind } from "../../common/api/financing.ts";
export {
  OfferKind,
  OfferJson,
  WithdrawResponse,
  ListingJson,
  SaleJson,
  RepaymentJson,
  LoanJson,
  PolicyJson,
  CreditNoteJson,
  ReceivableSummary,
  CreditSummary,
  MarketplaceResponse,
  OffersOnResponse,
  LoanRequestJson,
  FinancingRecordResponse,
  LoansResponse,
  FinancierPortfolioResponse,
  SellerPortfolioResponse,
} from "../../common/api/financing.ts";

export const PRICING_FORMULA =
  "Pricing: face = the receivable's outstanding face amount; discount = (face − price) / face; " +
  "annualised yield = discount / (1 − discount) × 365 / days to maturity (simple, actual/365, days rounded up, by chain time); both in basis points.";

const Uint256Dec = z
  .string()
  .regex(/^\d{1,78}$/, "must be a non-negative integer (decimal string, uint256)")
  .refine((s) => !/^\d{1,78}$/.test(s) || BigInt(s) < 2n ** 256n, "must fit in uint256"); // zod runs refinements after a failed regex too
const Signature = z.string().regex(/^0x([0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/, "must be a 0x-prefixed 64- or 65-byte hex signature");
const Expiry = z
  .number()
  .int("must be an integer")
  .min(1)
  .max(2 ** 53 - 1)
  .describe("unix seconds; must be in the future (chain time)");
const Bps = (max: number) => z.number().int("must be an integer").min(0).max(max);

export const FactoringOfferBody = z.strictObject({
  kind: z.literal("factoring"),
  receivableId: ReceivableId,
  price: z
    .string()
    .regex(/^\d{1,29}$/, "must be a positive integer amount in base units (decimal string, uint96)")
    .describe("purchase price in base units"),
  listing: z
    .number()
    .int("must be an integer")
    .min(0)
    .max(2 ** 32 - 1)
    .optional()
    .describe("the listing the offer is made on (the open listing's `seq`; signed as the Offer's `listing`); 409 if it is not the open one"),
  nonce: Uint256Dec,
  expiry: Expiry,
  signature: Signature,
});

export const LoanOfferBody = z.strictObject({
  kind: z.literal("loan"),
  receivableId: ReceivableId,
  advanceBps: Bps(10_000).min(1).describe("advance rate: principal = outstanding × advanceBps / 10,000"),
  rateBps: Bps(65_535).describe("simple annual interest rate in basis points"),
  nonce: Uint256Dec,
  expiry: Expiry,
  signature: Signature,
});

export const OfferBody = z.discriminatedUnion("kind", [FactoringOfferBody, LoanOfferBody], { error: 'kind must be "factoring" or "loan"' });

export const OffersQuery = z.strictObject({ receivableId: ReceivableId.optional(), kind: OfferKind.optional() });
export const OffersOnQuery = z.strictObject({ kind: OfferKind.optional().describe("default factoring") });
export const OfferParams = z.strictObject({ offerId: z.string().uuid("must be an offer id (UUID)") });
