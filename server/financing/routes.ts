// Financing API (issue 5): marketplace, private signed offers, a receivable's financing record, loans, portfolios.
import type { Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import { readStamped } from "../http/stamp.ts";
import type { AppContext } from "../http/context.ts";
import { BlockStamp, ReceivableParams } from "../receivables/schemas.ts";
import type { FinancingService } from "./service.ts";
import {
  MarketplaceResponse,
  OfferBody,
  OfferJson,
  OffersQuery,
  OffersOnQuery,
  OffersOnResponse,
  OfferParams,
  WithdrawResponse,
  FinancingRecordResponse,
  LoansResponse,
  FinancierPortfolioResponse,
  SellerPortfolioResponse,
  PRICING_FORMULA,
  LoanRequestJson,
} from "./schemas.ts";

/** The services these routes use (and nothing else of the context). */
export function financingRoutes(
  router: Router,
  ctx: Pick<AppContext, "finalityDepth" | "invoiceDetails" | "receivableQueries" | "resolveViewer"> & { financing: FinancingService },
) {
  const r = routesOn(router, ctx.resolveViewer);
  // The answer and its "current to block" from one consistent read (see http/stamp.ts).
  const stamped = async <T extends object>(read: () => Promise<T>) => {
    const { data, block } = await readStamped(ctx.receivableQueries.indexedBlock, ctx.finalityDepth, read);
    return { ...data, block };
  };

  r(
    {
      method: "get",
      path: "/api/financing/marketplace",
      tag: "financing",
      auth: "session",
      summary: `Open factoring listings with what a financier prices on: buyer and seller credit tier and limit use, confirmation state, days to maturity, dilution (credit notes), insurance, and the viewer's own offers. ${PRICING_FORMULA}`,
      access: "active financiers (with their own offers) and auditors; others 403",
      response: MarketplaceResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.marketplace(viewer), viewer)),
  );

  r(
    {
      method: "post",
      path: "/api/financing/offers",
      tag: "financing",
      auth: "session",
      summary:
        'Post a private EIP-712 signed offer, held by the server: kind "factoring" signs FactoringMarket\'s Offer(uint256 id,address financier,uint96 price,uint256 nonce,uint256 expiry), ' +
        'kind "loan" signs PledgeLoans\' LoanOffer(uint256 id,address lender,uint16 advanceBps,uint16 rateBps,uint256 nonce,uint256 expiry) (domain name = contract name, version "1", the chain id, the contract address). ' +
        "financier/lender is the session's address. A receivable the session may not see is 404 (nothing stored); checked then: signer = session (an active financier), nonce unused (server and chain), expiry in the future (chain time), a factoring listing open with price ≥ reserve; a loan's receivable confirmed and unlocked. 201 with the offer.",
      body: OfferBody,
      access: "active financiers; others 403",
      response: OfferJson,
    },
    async ({ viewer, body, res }) => {
      const out = await ctx.financing.postOffer(viewer, body);
      res.status(201);
      return out;
    },
  );

  r(
    {
      method: "get",
      path: "/api/financing/offers",
      tag: "financing",
      auth: "session",
      summary: `The viewer's own offers (as bidder/lender), with state and pricing. ${PRICING_FORMULA}`,
      query: OffersQuery,
      access: "any session (a member sees only its own offers)",
      response: z.object({ items: z.array(OfferJson), block: BlockStamp }),
    },
    async ({ viewer, query }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.myOffers(viewer, query))),
  );

  r(
    {
      method: "get",
      path: "/api/financing/receivables/:id/offers",
      tag: "financing",
      auth: "session",
      summary: `Offers on one receivable; open ones ranked best first (factoring: highest price; loans: highest advance, then lowest rate). ${PRICING_FORMULA}`,
      params: ReceivableParams,
      query: OffersOnQuery,
      access:
        "an offer is shown to its bidder, to the account it was made to (the lister of the listing it was made on / the holder it was made to) unless withdrawn, and to auditors once it is closed (its listing sold, closed or past its deadline / a loan offer no longer open); who may not see the receivable gets 404",
      response: OffersOnResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer, params, query }) => await stamped(async () => await ctx.financing.offersOn(viewer, params.id, query.kind ?? "factoring")),
  );

  r(
    {
      method: "post",
      path: "/api/financing/offers/:offerId/withdraw",
      tag: "financing",
      auth: "session",
      summary:
        "Withdraw an offer (server side: no longer shown to the lister). The signature stays valid until expiry; onChainCancel names the contract call (cancelOffer(nonce)) that makes it unusable on chain.",
      params: OfferParams,
      access: "the offer's bidder; others 404",
      response: WithdrawResponse,
    },
    async ({ viewer, params }) => await ctx.financing.withdraw(viewer, params.offerId),
  );

  r(
    {
      method: "get",
      path: "/api/financing/receivables/:id",
      tag: "financing",
      auth: "session",
      summary:
        "A receivable's financing record: listings, sales (price, terms, recourse claim), loans with every repayment of the payment waterfall (to lender, to holder, owed after), insurance policies and claims, credit notes",
      params: ReceivableParams,
      access: "who may see the receivable, and the parties of its financing (lister, financier, lender, borrower, insurer); others 404",
      response: FinancingRecordResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer, params }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.record(viewer, params.id))),
  );

  r(
    {
      method: "post",
      path: "/api/financing/receivables/:id/loan-request",
      tag: "financing",
      auth: "session",
      summary:
        "The holder asks financiers for loan offers: while open (and the receivable confirmed, unlocked and still held by it), active financiers see the receivable and may post loan offers on it",
      params: ReceivableParams,
      access: "the receivable's holder; others who may see it 403; who may not see it 404",
      response: LoanRequestJson,
    },
    async ({ viewer, params }) => await ctx.financing.requestLoanOffers(viewer, params.id),
  );

  r(
    {
      method: "post",
      path: "/api/financing/receivables/:id/loan-request/withdraw",
      tag: "financing",
      auth: "session",
      summary: "The holder withdraws its request for loan offers (offers already posted stay with their bidders and the holder)",
      params: ReceivableParams,
      access: "the holder with an open request; others 404",
      response: LoanRequestJson,
    },
    async ({ viewer, params }) => await ctx.financing.withdrawLoanRequest(viewer, params.id),
  );

  r(
    {
      method: "get",
      path: "/api/financing/loans",
      tag: "financing",
      auth: "session",
      summary: "Pledge loans where the viewer is lender or borrower, with the payment waterfall",
      access: "lender and borrower; auditors see all",
      response: LoansResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.loans(viewer))),
  );

  r(
    {
      method: "get",
      path: "/api/financing/portfolio/financier",
      tag: "financing",
      auth: "session",
      summary: `The financier's portfolio: holdings (price, discount and yield at purchase, collected, overdue), expected collections by week (Monday of the due date's week; overdue ones in the current week), weighted yield, overdue, open loans. ${PRICING_FORMULA}`,
      access: "financiers (own portfolio); others 403",
      response: FinancierPortfolioResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.financierPortfolio(viewer))),
  );

  r(
    {
      method: "get",
      path: "/api/financing/portfolio/seller",
      tag: "financing",
      auth: "session",
      summary:
        "The seller's financing: volume financed (factoring proceeds + loan advances) and its cost (factoring discounts + loan interest paid), per sale its discount and annualised cost",
      access: "sellers (own); others 403",
      response: SellerPortfolioResponse.extend({ block: BlockStamp }),
    },
    async ({ viewer }) => await stamped(async () => await ctx.invoiceDetails.annotateDeep(await ctx.financing.sellerPortfolio(viewer))),
  );
}
