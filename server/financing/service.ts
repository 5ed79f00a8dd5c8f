// Financing use cases: the financiers' marketplace, server-held private offers (factoring bids and loan offers,
// EIP-712 signed, redeemed on chain by the lister/holder), a receivable's financing record, loans with their
// payment waterfall, and the financier and seller portfolios. Rules only; reads through FinancingQueries.
import { randomUUID } from "node:crypto";
import { Role } from "../../common/roles.ts";
import { statusName } from "../../common/lifecycle.ts";
import { forbidden, notFound, conflict, unprocessable } from "../errors.ts";
import { CONFIRMED, STATUS, overdueness } from "../../common/lifecycle.ts";
import type { ReceivableState } from "../receivables/projection.ts";
import { canSeeReceivable, type Viewer } from "../receivables/visibility.ts";
import { requireDesk } from "../members/desk.ts";
import type { CreditService, CreditProfile } from "../credit/service.ts";
import type { FinancingQueries, OfferRecord, OfferKind, LoanRequest } from "./store.ts";
import type { ChainReader, FinancingContracts } from "./chain.ts";
import { pricing, daysToMaturity } from "../../common/pricing.ts";
import { DAY_S } from "../../common/units.ts";
import type { Listing, Sale, Loan, LoanRepayment, Policy, FinancingRecord } from "./projection.ts";

const iso = (unix: number) => new Date(unix * 1000).toISOString();
const isActive = (v: Viewer, bit: number) => v.active && (v.roles & bit) !== 0;
const isAuditor = (v: Viewer) => isActive(v, Role.Auditor);
const UINT96_MAX = 2n ** 96n - 1n;

/**
 * "lost": the bid's listing was sold to another bid; "closed": its listing was closed by the lister or passed its
 * deadline unsold. Either way it can no longer be accepted through the server (its signature stays valid on chain
 * until expiry unless cancelled: withdraw names the cancelOffer call).
 */
export type OfferState = "open" | "withdrawn" | "expired" | "accepted" | "cancelled" | "lost" | "closed";

export type OfferInput =
  | { kind: "factoring"; receivableId: string; price: string; listing?: number | undefined; nonce: string; expiry: number; signature: string }
  | { kind: "loan"; receivableId: string; advanceBps: number; rateBps: number; nonce: string; expiry: number; signature: string };

// ───────────────────────────────────────────────────────────── JSON ──

export function listingJson(l: Listing, now: number) {
  return {
    seq: l.seq,
    lister: l.lister,
    reserve: l.reserve.toString(),
    deadline: iso(l.deadline),
    withRecourse: l.withRecourse,
    recourseRateBps: l.recourseRateBps,
    status: l.status === "open" && l.deadline < now ? ("expired" as const) : l.status,
    listedBlock: l.listedBlock,
    listedTx: l.listedTx,
    endedBlock: l.endedBlock,
  };
}

export function saleJson(s: Sale) {
  return {
    seq: s.seq,
    seller: s.seller,
    financier: s.financier,
    price: s.price.toString(),
    withRecourse: s.withRecourse,
    recourseRateBps: s.recourseRateBps,
    nonce: s.nonce,
    soldBlock: s.soldBlock,
    soldTx: s.soldTx,
    recourse: { status: s.recourseStatus, amount: s.recourseAmount?.toString() ?? null, block: s.recourseBlock },
    forwarded: s.forwarded.toString(),
  };
}

export function repaymentJson(p: LoanRepayment) {
  return {
    loanSeq: p.loanSeq,
    blockNumber: p.blockNumber,
    transactionHash: p.transactionHash,
    lender: p.lender,
    toLender: p.toLender.toString(),
    toHolder: p.toHolder.toString(),
    owedAfter: p.owedAfter.toString(),
  };
}

export function loanJson(l: Loan, repayments: LoanRepayment[]) {
  return {
    receivableId: l.receivableId,
    seq: l.seq,
    borrower: l.borrower,
    lender: l.lender,
    principal: l.principal.toString(),
    rateBps: l.rateBps,
    nonce: l.nonce,
    status: l.status,
    openedBlock: l.openedBlock,
    openedTx: l.openedTx,
    closedBlock: l.closedBlock,
    paidToLender: l.paidToLender.toString(),
    paidToHolder: l.paidToHolder.toString(),
    owed: l.owed.toString(),
    repayments: repayments.filter((p) => p.loanSeq === l.seq).map(repaymentJson),
  };
}

export function policyJson(p: Policy, now: number) {
  return {
    seq: p.seq,
    insurer: p.insurer,
    coverageBps: p.coverageBps,
    premium: p.premium.toString(),
    expiry: iso(p.expiry),
    escrow: p.escrow.toString(),
    status: (p.status === "active" || p.status === "offered") && p.expiry < now ? ("expired" as const) : p.status,
    holder: p.holder,
    payout: p.payout?.toString() ?? null,
    recovered: p.recovered?.toString() ?? null,
    offeredBlock: p.offeredBlock,
  };
}

function loanRequestJson(q: LoanRequest, s: ReceivableState) {
  return {
    receivableId: q.receivableId,
    holder: q.holder,
    requestedAt: q.requestedAt.toISOString(),
    closedAt: q.closedAt?.toISOString() ?? null,
    open: q.closedAt === null && s.holder === q.holder && s.status === STATUS.Confirmed && s.lockedBy === null,
  };
}

function creditSummary(p: CreditProfile) {
  return { tier: p.score.tier, score: p.score.score, limit: p.limit?.toString() ?? null, exposure: p.exposure.toString(), limitUsePct: p.limitUsePct };
}

function receivableSummary(s: ReceivableState, now: number) {
  return {
    id: s.id,
    seller: s.seller,
    buyer: s.buyer,
    holder: s.holder,
    status: statusName(s.status),
    confirmed: CONFIRMED.has(s.status),
    faceAmount: s.faceAmount.toString(),
    outstanding: s.outstanding.toString(),
    issueDate: iso(s.issueDate),
    dueDate: iso(s.dueDate),
    daysToMaturity: daysToMaturity(s.dueDate, now),
    lockedBy: s.lockedBy,
  };
}

export function createFinancingService(deps: { queries: FinancingQueries; chain: ChainReader; credit: CreditService; contracts: FinancingContracts }) {
  const { queries, chain, credit, contracts } = deps;

  async function offerState(o: OfferRecord, now: number, record?: FinancingRecord): Promise<OfferState> {
    if (o.withdrawnAt) return "withdrawn";
    if (o.kind === "factoring" && record?.sales.some((s) => s.financier === o.bidder && s.nonce === o.nonce)) return "accepted";
    if (o.kind === "loan" && record?.loans.some((l) => l.lender === o.bidder && l.nonce === o.nonce)) return "accepted";
    const contract = (o.kind === "factoring" ? contracts.FactoringMarket : contracts.PledgeLoans)?.toLowerCase();
    if (contract && (await queries.isNonceCancelled(contract, o.bidder, o.nonce))) return "cancelled";
    if (o.kind === "factoring" && record) {
      const l = listingOf(o, record);
      if (l && listingEnded(l, now)) return l.status === "sold" ? "lost" : "closed";
    }
    if (o.expiry < now) return "expired";
    return "open";
  }

  /** The listing a factoring bid was made on (rows stored before listingSeq was recorded: the latest listing). */
  function listingOf(o: OfferRecord, rec: FinancingRecord): Listing | undefined {
    return o.listingSeq !== null ? rec.listings.find((l) => l.seq === o.listingSeq) : rec.listings[rec.listings.length - 1];
  }

  const listingEnded = (l: Listing, now: number) => l.status !== "open" || l.deadline < now;

  /** Who the offer was made to: that listing's lister (factoring), the holder when it was posted (loan). */
  function offeredTo(o: OfferRecord, s: ReceivableState, rec: FinancingRecord): string | null {
    if (o.offeredTo) return o.offeredTo;
    return o.kind === "factoring" ? (listingOf(o, rec)?.lister ?? null) : s.holder;
  }

  /**
   * Who sees an offer: its bidder always; the account it was made to (that listing's lister, the holder it was
   * made to) unless withdrawn; auditors once it is closed — a factoring bid once its listing ended (sold, closed,
   * past its deadline), a loan offer once it is no longer open. Nobody else (not earlier or later listers/holders).
   */
  function maySeeOffer(viewer: Viewer, o: OfferRecord, state: OfferState, s: ReceivableState, rec: FinancingRecord, now: number): boolean {
    if (o.bidder === viewer.member) return true;
    if (o.withdrawnAt) return false;
    if (offeredTo(o, s, rec) === viewer.member) return true;
    if (!isAuditor(viewer)) return false;
    if (o.kind === "factoring") {
      const l = listingOf(o, rec);
      return l !== undefined && listingEnded(l, now);
    }
    return state !== "open";
  }

  function offerJson(o: OfferRecord, state: OfferState, face: bigint, dueDate: number, now: number) {
    const days = daysToMaturity(dueDate, now);
    const priced = o.kind === "factoring" && o.price !== null ? pricing(face, o.price, days) : null;
    return {
      id: o.id,
      kind: o.kind,
      receivableId: o.receivableId,
      bidder: o.bidder,
      price: o.price?.toString() ?? null,
      advanceBps: o.advanceBps,
      rateBps: o.rateBps,
      nonce: o.nonce,
      expiry: iso(o.expiry),
      signature: o.signature,
      state,
      createdAt: o.createdAt.toISOString(),
      withdrawnAt: o.withdrawnAt?.toISOString() ?? null,
      daysToMaturity: days,
      discountBps: priced?.discountBps ?? null,
      yieldBps: priced?.yieldBps ?? null,
      // The tuple the contract takes: acceptOffer(offer, signature) / openLoan(offer, signature).
      onChain:
        o.kind === "factoring"
          ? {
              contract: contracts.FactoringMarket ?? null,
              function: "acceptOffer",
              offer: {
                id: BigInt(o.receivableId).toString(),
                listing: o.listingSeq ?? 0,
                financier: o.bidder,
                price: o.price!.toString(),
                nonce: o.nonce,
                expiry: String(o.expiry),
              },
            }
          : {
              contract: contracts.PledgeLoans ?? null,
              function: "openLoan",
              offer: {
                id: BigInt(o.receivableId).toString(),
                lender: o.bidder,
                advanceBps: o.advanceBps!,
                rateBps: o.rateBps!,
                nonce: o.nonce,
                expiry: String(o.expiry),
              },
            },
    };
  }

  /** The receivable if the viewer may see it (or is a party of its financing, when `financingParty` is given), else 404. */
  async function receivableOr404(viewer: Viewer, id: string, opts: { financingParty?: FinancingRecord } = {}) {
    const s = (await queries.receivables([id])).get(id);
    const party = opts.financingParty && isFinancingParty(viewer, opts.financingParty);
    if (!s || (!party && !canSeeReceivable(viewer, s, (await queries.involvement([id])).get(id)!))) throw notFound(`receivable ${id} not found`);
    return s;
  }

  function isFinancingParty(v: Viewer, r: FinancingRecord): boolean {
    const a = v.member;
    return (
      r.listings.some((l) => l.lister === a) ||
      r.sales.some((s) => s.financier === a || s.seller === a) ||
      r.loans.some((l) => l.lender === a || l.borrower === a) ||
      r.policies.some((p) => p.insurer === a || p.holder === a)
    );
  }

  return {
    /** Open listings with what a financier prices on; auditors see them too (read-only, without offers). */
    async marketplace(viewer: Viewer) {
      if (!isActive(viewer, Role.Financier) && !isAuditor(viewer)) throw forbidden("the marketplace is for admitted financiers (and auditors)");
      const now = await chain.now();
      const listings = (await queries.openListings()).filter((l) => l.deadline >= now);
      const ids = listings.map((l) => l.receivableId);
      const [states, records, notes, mine] = await Promise.all([
        queries.receivables(ids),
        queries.records(ids),
        queries.creditNotes(ids),
        isActive(viewer, Role.Financier) ? queries.offersOf({ bidder: viewer.member, kind: "factoring" }) : Promise.resolve([]),
      ]);
      const profiles = new Map<string, CreditProfile>();
      const profileOf = async (a: string) => profiles.get(a) ?? profiles.set(a, await credit.profile(a)).get(a)!;
      const items = [];
      for (const l of listings) {
        const s = states.get(l.receivableId);
        if (!s) continue;
        const rec = records.get(l.receivableId)!;
        const myNotes = notes.filter((n) => n.receivableId === s.id);
        const accepted = myNotes.filter((n) => n.name === "CreditNoteAccepted");
        const myOffers = [];
        for (const o of mine.filter((o) => o.receivableId === s.id)) myOffers.push(offerJson(o, await offerState(o, now, rec), s.outstanding, s.dueDate, now));
        items.push({
          receivable: receivableSummary(s, now),
          listing: listingJson(l, now),
          buyerCredit: creditSummary(await profileOf(s.buyer)),
          sellerCredit: creditSummary(await profileOf(s.seller)),
          dilution: {
            creditNotes: myNotes.map((n) => ({
              type: n.name,
              noteId: n.noteId,
              amount: n.amount,
              faceAmountAfter: n.faceAmount,
              blockNumber: n.blockNumber,
              transactionHash: n.transactionHash,
            })),
            acceptedCount: accepted.length,
          },
          insurance: rec.policies.map((p) => policyJson(p, now)),
          myOffers,
        });
      }
      return { items, now: iso(now) };
    },

    /** Verifies and stores a signed offer. */
    async postOffer(viewer: Viewer, input: OfferInput) {
      if (!isActive(viewer, Role.Financier)) throw forbidden("only admitted financiers (active, not suspended or expired) make offers");
      requireDesk(viewer, "financing", "posting a financing offer");
      const contract = input.kind === "factoring" ? contracts.FactoringMarket : contracts.PledgeLoans;
      if (!contract) throw unprocessable(`this deployment has no ${input.kind === "factoring" ? "FactoringMarket" : "PledgeLoans"} contract`);
      const now = await chain.now();
      if (input.expiry <= now) throw unprocessable(`expiry ${input.expiry} (${iso(input.expiry)}) is not in the future (chain time ${now})`);
      // Invisible means 404 (nothing stored, nothing said about it), checked before anything about its state.
      const s = await receivableOr404(viewer, input.receivableId);
      const rec = (await queries.records([s.id])).get(s.id)!;
      const nonce = BigInt(input.nonce);
      let price: bigint | null = null;
      let listingSeq: number | null = null;
      let offeredTo = s.holder;
      if (input.kind === "factoring") {
        price = BigInt(input.price);
        if (price === 0n || price > UINT96_MAX) throw unprocessable("price must be between 1 and 2^96 − 1 base units");
        const listing = rec.listings[rec.listings.length - 1];
        if (!listing || listing.status !== "open" || listing.deadline < now)
          throw conflict(`receivable ${s.id} is not listed for factoring (or its listing has ended)`);
        if (input.listing !== undefined && input.listing !== listing.seq) {
          throw conflict(
            `the offer names listing ${input.listing} of receivable ${s.id}, but its open listing is ${listing.seq}: an offer is valid only on the listing it was made on`,
          );
        }
        if (price < listing.reserve) throw unprocessable(`price ${price} is below the listing's reserve ${listing.reserve}`);
        if (price > s.outstanding) throw unprocessable(`price ${price} is above the receivable's outstanding face amount ${s.outstanding}`);
        listingSeq = listing.seq;
        offeredTo = listing.lister;
      } else {
        if (s.status !== STATUS.Confirmed) throw conflict(`receivable ${s.id} is ${statusName(s.status)}; loans are made against confirmed receivables`);
        if (s.lockedBy) throw conflict(`receivable ${s.id} is locked by ${s.lockedBy} (listed, pledged or sold with recourse)`);
      }
      const signer = await chain
        .offerSigner(
          input.kind === "factoring"
            ? {
                kind: "factoring",
                id: BigInt(s.id),
                listing: listingSeq!,
                bidder: viewer.member,
                price: price!,
                nonce,
                expiry: BigInt(input.expiry),
                signature: input.signature as `0x${string}`,
              }
            : {
                kind: "loan",
                id: BigInt(s.id),
                bidder: viewer.member,
                advanceBps: input.advanceBps,
                rateBps: input.rateBps,
                nonce,
                expiry: BigInt(input.expiry),
                signature: input.signature as `0x${string}`,
              },
        )
        .catch(() => null);
      if (signer !== viewer.member) {
        throw unprocessable(
          `the signature is not the session's (${viewer.member}) EIP-712 signature of this ${input.kind === "factoring" ? `Offer (on listing ${listingSeq})` : "LoanOffer"} (recovered ${signer ?? "nothing"})`,
        );
      }
      if (await queries.offerByNonce(input.kind, viewer.member, input.nonce))
        throw conflict(`nonce ${input.nonce} is already used by another of your ${input.kind} offers`);
      if (await chain.isNonceUsed(input.kind, viewer.member, nonce)) throw conflict(`nonce ${input.nonce} is already used or cancelled on chain`);
      const o: OfferRecord = {
        id: randomUUID(),
        kind: input.kind,
        receivableId: s.id,
        bidder: viewer.member,
        price,
        advanceBps: input.kind === "loan" ? input.advanceBps : null,
        rateBps: input.kind === "loan" ? input.rateBps : null,
        nonce: input.nonce,
        expiry: input.expiry,
        signature: input.signature.toLowerCase(),
        createdAt: new Date(),
        withdrawnAt: null,
        offeredTo,
        listingSeq,
      };
      await queries.insertOffer(o);
      return offerJson(o, "open", s.outstanding, s.dueDate, now);
    },

    /** The viewer's own offers (as bidder). */
    async myOffers(viewer: Viewer, filter: { receivableId?: string | undefined; kind?: OfferKind | undefined }) {
      const now = await chain.now();
      const offers = await queries.offersOf({
        bidder: viewer.member,
        ...(filter.receivableId ? { receivableId: filter.receivableId } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
      });
      const ids = [...new Set(offers.map((o) => o.receivableId))];
      const [states, records] = await Promise.all([queries.receivables(ids), queries.records(ids)]);
      const items = [];
      for (const o of offers) {
        const s = states.get(o.receivableId);
        if (!s) continue;
        items.push(offerJson(o, await offerState(o, now, records.get(o.receivableId)), s.outstanding, s.dueDate, now));
      }
      return { items };
    },

    /**
     * Offers on one receivable, open ones ranked best first, each shown only to who may see it (maySeeOffer):
     * its bidder, the lister of its listing / the holder it was made to, auditors once it is closed.
     */
    async offersOn(viewer: Viewer, id: string, kind: OfferKind) {
      const rec = (await queries.records([id])).get(id)!;
      const s = await receivableOr404(viewer, id, { financingParty: rec });
      const now = await chain.now();
      const all = await queries.offersOf({ receivableId: id, kind });
      const items: ReturnType<typeof offerJson>[] = [];
      for (const o of all) {
        const state = await offerState(o, now, rec);
        if (maySeeOffer(viewer, o, state, s, rec, now)) items.push(offerJson(o, state, s.outstanding, s.dueDate, now));
      }
      const better = (a: (typeof items)[number], b: (typeof items)[number]) =>
        kind === "factoring"
          ? Number(BigInt(b.price!) - BigInt(a.price!) > 0n) - Number(BigInt(b.price!) - BigInt(a.price!) < 0n)
          : b.advanceBps! - a.advanceBps! || a.rateBps! - b.rateBps!;
      const open = items.filter((i) => i.state === "open").sort((a, b) => better(a, b) || a.createdAt.localeCompare(b.createdAt));
      const rest = items.filter((i) => i.state !== "open");
      const listing = rec.listings[rec.listings.length - 1];
      return {
        receivableId: id,
        kind,
        faceAmount: s.faceAmount.toString(),
        outstanding: s.outstanding.toString(),
        dueDate: iso(s.dueDate),
        daysToMaturity: daysToMaturity(s.dueDate, now),
        listing: listing ? listingJson(listing, now) : null,
        items: [...open.map((o, i) => ({ ...o, rank: i + 1 })), ...rest.map((o) => ({ ...o, rank: null }))],
      };
    },

    async withdraw(viewer: Viewer, offerId: string) {
      const o = await queries.offer(offerId);
      if (!o || o.bidder !== viewer.member) throw notFound(`offer ${offerId} not found`);
      requireDesk(viewer, "financing", "withdrawing a financing offer");
      const now = await chain.now();
      const rec = (await queries.records([o.receivableId])).get(o.receivableId)!;
      const state = await offerState(o, now, rec);
      if (state === "accepted") throw conflict(`offer ${offerId} was already accepted on chain`);
      if (state === "withdrawn") throw conflict(`offer ${offerId} is already withdrawn`);
      const at = new Date();
      await queries.withdrawOffer(offerId, at);
      const s = (await queries.receivables([o.receivableId])).get(o.receivableId)!;
      return {
        ...offerJson({ ...o, withdrawnAt: at }, "withdrawn", s.outstanding, s.dueDate, now),
        // The server no longer shows it, but anyone holding the signature could still redeem it until expiry:
        // cancelling the nonce on chain makes that impossible.
        onChainCancel: {
          contract: (o.kind === "factoring" ? contracts.FactoringMarket : contracts.PledgeLoans) ?? null,
          function: "cancelOffer",
          args: [o.nonce],
        },
      };
    },

    /**
     * The holder asks financiers for loan offers: while the request is open (and the receivable confirmed, unlocked
     * and still held by it) active financiers see the receivable and may post loan offers on it.
     */
    async requestLoanOffers(viewer: Viewer, id: string) {
      const s = await receivableOr404(viewer, id);
      if (s.holder !== viewer.member) throw forbidden("only the receivable's holder asks for loan offers");
      requireDesk(viewer, "financing", "asking for loan offers");
      if (s.status !== STATUS.Confirmed) throw conflict(`receivable ${id} is ${statusName(s.status)}; loans are made against confirmed receivables`);
      if (s.lockedBy) throw conflict(`receivable ${id} is locked by ${s.lockedBy} (listed, pledged or sold with recourse)`);
      return loanRequestJson(await queries.putLoanRequest(id, viewer.member, new Date()), s);
    },

    /** The holder withdraws its request: financiers no longer see the receivable through it. */
    async withdrawLoanRequest(viewer: Viewer, id: string) {
      const s = await receivableOr404(viewer, id);
      const open = await queries.openLoanRequest(id, viewer.member);
      if (!open) throw notFound(`no open loan request of yours on receivable ${id}`);
      requireDesk(viewer, "financing", "withdrawing a loan request");
      const at = new Date();
      await queries.closeLoanRequest(id, viewer.member, at);
      return loanRequestJson({ ...open, closedAt: at }, s);
    },

    /** A receivable's financing record: listings, sales (with recourse), loans (with the waterfall), policies, dilution. */
    async record(viewer: Viewer, id: string) {
      const rec = (await queries.records([id])).get(id)!;
      const s = await receivableOr404(viewer, id, { financingParty: rec });
      const now = await chain.now();
      const notes = await queries.creditNotes([id]);
      const request = s.holder === viewer.member ? await queries.openLoanRequest(id, viewer.member) : null;
      return {
        receivable: receivableSummary(s, now),
        loanRequest: request ? loanRequestJson(request, s) : null,
        listings: rec.listings.map((l) => listingJson(l, now)),
        sales: rec.sales.map(saleJson),
        loans: rec.loans.map((l) => loanJson(l, rec.repayments)),
        policies: rec.policies.map((p) => policyJson(p, now)),
        creditNotes: notes.map((n) => ({
          type: n.name,
          noteId: n.noteId,
          amount: n.amount,
          faceAmountAfter: n.faceAmount,
          blockNumber: n.blockNumber,
          transactionHash: n.transactionHash,
        })),
      };
    },

    /** Loans where the viewer is lender or borrower (auditors: all). */
    async loans(viewer: Viewer) {
      const loans = isAuditor(viewer)
        ? await queries.allLoans()
        : [...(await queries.loansWhere({ lender: viewer.member })), ...(await queries.loansWhere({ borrower: viewer.member }))].filter(
            (l, i, xs) => xs.findIndex((x) => x.receivableId === l.receivableId && x.seq === l.seq) === i,
          );
      const repayments = await queries.repaymentsOf([...new Set(loans.map((l) => l.receivableId))]);
      return {
        items: loans.map((l) =>
          loanJson(
            l,
            repayments.filter((p) => p.receivableId === l.receivableId),
          ),
        ),
      };
    },

    /** Holdings, expected collections by week, yield, overdue; loans as lender. */
    async financierPortfolio(viewer: Viewer) {
      if (!isActive(viewer, Role.Financier) && !(viewer.roles & Role.Financier)) throw forbidden("the financier portfolio is for financiers");
      const now = await chain.now();
      const held = (await queries.heldBy(viewer.member)).filter((s) => s.seller !== viewer.member);
      const sales = await queries.salesWhere({ financier: viewer.member });
      const loans = (await queries.loansWhere({ lender: viewer.member })).filter((l) => l.status === "open");
      const lastSale = new Map<string, Sale>();
      for (const s of sales) lastSale.set(s.receivableId, s);
      const weeks = new Map<string, { receivables: bigint; loans: bigint; count: number }>();
      const addWeek = (dueDate: number, amount: bigint, kind: "receivables" | "loans") => {
        const d = new Date(Math.max(dueDate, now) * 1000);
        const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
        const key = monday.toISOString().slice(0, 10);
        const w = weeks.get(key) ?? { receivables: 0n, loans: 0n, count: 0 };
        w[kind] += amount;
        w.count++;
        weeks.set(key, w);
      };
      const holdings = [];
      let invested = 0n;
      let expected = 0n;
      let yieldWeighted = 0n; // Σ price × yieldBps
      let overdueAmount = 0n;
      let overdueCount = 0;
      for (const s of held) {
        const sale = lastSale.get(s.id);
        const open = s.status === STATUS.Confirmed || s.status === STATUS.Defaulted;
        let yieldBps: number | null = null;
        let discountBps: number | null = null;
        if (sale) {
          const soldAt = await chain.blockTime(sale.soldBlock);
          const days = Math.max(1, Math.ceil((s.dueDate - soldAt) / DAY_S));
          ({ discountBps, yieldBps } = pricing(s.faceAmount, sale.price, days));
          invested += sale.price;
          if (yieldBps !== null) yieldWeighted += sale.price * BigInt(yieldBps);
        }
        const { overdue, daysOverdue } = overdueness(s, now);
        if (overdue) {
          overdueAmount += s.outstanding;
          overdueCount++;
        }
        if (open && s.outstanding > 0n) {
          expected += s.outstanding;
          addWeek(s.dueDate, s.outstanding, "receivables");
        }
        holdings.push({
          receivable: receivableSummary(s, now),
          purchase: sale
            ? { price: sale.price.toString(), soldBlock: sale.soldBlock, withRecourse: sale.withRecourse, recourse: sale.recourseStatus, discountBps, yieldBps }
            : null,
          collected: s.paid.toString(),
          overdue,
          daysOverdue,
        });
      }
      const loanStates = await queries.receivables(loans.map((l) => l.receivableId));
      for (const l of loans) {
        const s = loanStates.get(l.receivableId);
        if (s) addWeek(s.dueDate, l.owed, "loans");
      }
      return {
        holdings,
        loans: loans.map((l) => ({ ...loanJson(l, []), dueDate: loanStates.get(l.receivableId) ? iso(loanStates.get(l.receivableId)!.dueDate) : null })),
        collectionsByWeek: [...weeks.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([weekOf, w]) => ({
            weekOf,
            receivables: w.receivables.toString(),
            loans: w.loans.toString(),
            total: (w.receivables + w.loans).toString(),
            count: w.count,
          })),
        totals: {
          holdings: holdings.length,
          invested: invested.toString(),
          expected: expected.toString(),
          weightedYieldBps: invested > 0n ? Number(yieldWeighted / invested) : null,
          overdueAmount: overdueAmount.toString(),
          overdueCount,
          loansOutstanding: loans.reduce((a, l) => a + l.owed, 0n).toString(),
        },
        now: iso(now),
      };
    },

    /** Financed volume and cost of financing (factoring discounts, loan interest). */
    async sellerPortfolio(viewer: Viewer) {
      if (!(viewer.roles & (Role.Seller | Role.Buyer))) throw forbidden("the seller portfolio is for sellers");
      const sales = await queries.salesWhere({ seller: viewer.member });
      const loans = await queries.loansWhere({ borrower: viewer.member });
      const states = await queries.receivables([...sales.map((s) => s.receivableId), ...loans.map((l) => l.receivableId)]);
      let face = 0n;
      let received = 0n;
      let costWeightedDays = 0n; // Σ cost × 365 / days, for the annualised cost
      const sold = [];
      for (const sale of sales) {
        const s = states.get(sale.receivableId);
        if (!s) continue;
        const soldAt = await chain.blockTime(sale.soldBlock);
        const days = Math.max(1, Math.ceil((s.dueDate - soldAt) / DAY_S));
        const p = pricing(s.faceAmount, sale.price, days);
        face += s.faceAmount;
        received += sale.price;
        costWeightedDays += ((s.faceAmount - sale.price) * 365n) / BigInt(days);
        sold.push({
          receivableId: s.id,
          buyer: s.buyer,
          faceAmount: s.faceAmount.toString(),
          price: sale.price.toString(),
          financier: sale.financier,
          soldBlock: sale.soldBlock,
          withRecourse: sale.withRecourse,
          recourse: sale.recourseStatus,
          recourseAmount: sale.recourseAmount?.toString() ?? null,
          discountBps: p.discountBps,
          annualisedCostBps: p.yieldBps,
        });
      }
      let advanced = 0n;
      let interest = 0n;
      const borrowed = loans.map((l) => {
        advanced += l.principal;
        const paid = l.paidToLender;
        const i = l.status === "repaid" && paid > l.principal ? paid - l.principal : 0n;
        interest += i;
        return { ...loanJson(l, []), interestPaid: i.toString() };
      });
      const discount = face - received;
      return {
        factoring: {
          count: sold.length,
          faceAmount: face.toString(),
          received: received.toString(),
          discount: discount.toString(),
          discountBps: face > 0n ? Number((discount * 10_000n) / face) : null,
          annualisedCostBps: received > 0n ? Number((costWeightedDays * 10_000n) / received) : null,
          sales: sold,
        },
        loans: {
          count: borrowed.length,
          advanced: advanced.toString(),
          interestPaid: interest.toString(),
          open: borrowed.filter((l) => l.status === "open").length,
          items: borrowed,
        },
        financedVolume: (received + advanced).toString(),
        costOfFinancing: (discount + interest).toString(),
      };
    },
  };
}

export type FinancingService = ReturnType<typeof createFinancingService>;
