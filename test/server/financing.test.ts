// Financing through the API (issue 5) on a real chain, database and HTTP: a factoring auction from listing to
// the financier being paid, a pledge loan with its payment waterfall, credit limits, bad offers, and a reorg
// that takes a sale back.
import { expect } from "chai";
import { Contract, type JsonRpcProvider } from "ethers";
import { factoringMarketAbi, pledgeLoansAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../server/financing/chain.ts";
import { startEnv, api, login, account, addressOf, payAs, waitForHead, assertDbEqualsChain, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const UNIT = 1_000_000n;
import { DAY_S } from "../../common/units.ts";
let nonceSeq = 1000n;

async function chainNow(provider: JsonRpcProvider): Promise<number> {
  return Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
}

/** The receivable's open listing number (what an offer signs as `listing`): the market's count less one. */
async function openListing(env: TestEnv, id: bigint): Promise<number> {
  const d = await new Contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi as any, env.provider).getFunction("deal")(id);
  return Math.max(0, Number(d.listings) - 1);
}

async function signOffer(env: TestEnv, index: number, o: { id: bigint; listing?: number; price: bigint; nonce: bigint; expiry: bigint }) {
  const listing = o.listing ?? (await openListing(env, o.id));
  return await account(index).signTypedData({
    domain: {
      name: "FactoringMarket",
      version: "1",
      chainId: env.deployment.chainId,
      verifyingContract: env.deployment.contracts.FactoringMarket as `0x${string}`,
    },
    types: OFFER_TYPES,
    primaryType: "Offer",
    message: { id: o.id, listing, financier: account(index).address, price: o.price, nonce: o.nonce, expiry: o.expiry },
  });
}

async function signLoanOffer(env: TestEnv, index: number, o: { id: bigint; advanceBps: number; rateBps: number; nonce: bigint; expiry: bigint }) {
  return await account(index).signTypedData({
    domain: { name: "PledgeLoans", version: "1", chainId: env.deployment.chainId, verifyingContract: env.deployment.contracts.PledgeLoans as `0x${string}` },
    types: LOAN_OFFER_TYPES,
    primaryType: "LoanOffer",
    message: { id: o.id, lender: account(index).address, advanceBps: o.advanceBps, rateBps: o.rateBps, nonce: o.nonce, expiry: o.expiry },
  });
}

async function as(env: TestEnv, index: number, address: string, abi: unknown) {
  return new Contract(address, abi as any, await env.provider.getSigner(index));
}

async function postFactoringOffer(
  env: TestEnv,
  token: string,
  index: number,
  id: bigint,
  price: bigint,
  opts: { nonce?: bigint; expiry?: number; signer?: number } = {},
) {
  const nonce = opts.nonce ?? nonceSeq++;
  const expiry = opts.expiry ?? (await chainNow(env.provider)) + 3 * DAY_S;
  const signature = await signOffer(env, opts.signer ?? index, { id, price, nonce, expiry: BigInt(expiry) });
  return await api(env.server.url, "/api/financing/offers", {
    method: "POST",
    token,
    body: { kind: "factoring", receivableId: idHex(id), price: price.toString(), nonce: nonce.toString(), expiry, signature },
  });
}

for (const database of DATABASES) {
  describe(`financing through the API (${database})`, function () {
    let env: TestEnv;
    const tokens = new Map<number, string>();
    const t = (i: number) => tokens.get(i)!;
    const seller = 1;
    const buyer = 3;
    const [f5, f6] = DEMO_ACCOUNTS.financiers as unknown as [number, number];
    let auctionId: bigint; // INV-2026-0001: seller 1 → buyer 3, confirmed, 125,000
    let loanId: bigint; // BP-77120: seller 2 → buyer 3, confirmed, 310,000

    before(async function () {
      env = await startEnv({ database });
      for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) tokens.set(i, await login(env.server.url, i));
      auctionId = env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "INV-2026-0001")]!;
      loanId = env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "BP-77120")]!;
    });
    after(async () => env?.stop());

    describe("factoring auction: list → private offers → ranked → accept on chain → buyer pays the financier", () => {
      const face = 125_000n * UNIT;
      const reserve = 110_000n * UNIT;
      let offer5: any;
      let offer6: any;

      it("the seller lists the receivable on chain; the marketplace shows it with credit, maturity, dilution and insurance", async () => {
        const market = await as(env, seller, env.deployment.contracts.FactoringMarket!, factoringMarketAbi);
        const deadline = (await chainNow(env.provider)) + 7 * DAY_S;
        await (await market.getFunction("list")(auctionId, reserve, deadline, true, 500)).wait();
        await waitForHead(env);
        const r = await api(env.server.url, "/api/financing/marketplace", { token: t(f5) });
        expect(r.status).to.equal(200);
        const item = r.body.items.find((i: any) => i.receivable.id === idHex(auctionId));
        expect(item, "listed receivable in the marketplace").to.exist;
        expect(item.listing).to.include({ lister: addressOf(seller), reserve: reserve.toString(), withRecourse: true, recourseRateBps: 500, status: "open" });
        expect(item.receivable).to.include({
          buyer: addressOf(buyer),
          seller: addressOf(seller),
          status: "Confirmed",
          confirmed: true,
          faceAmount: face.toString(),
        });
        expect(item.receivable.daysToMaturity).to.be.within(39, 41);
        expect(item.buyerCredit.tier).to.be.oneOf(["A", "B", "C"]);
        expect(item.sellerCredit).to.have.keys(["tier", "score", "limit", "exposure", "limitUsePct"]);
        expect(item.dilution.creditNotes).to.deep.equal([]);
        expect(item.insurance).to.deep.equal([]);
        expect(item.myOffers).to.deep.equal([]);
        // The receivable itself is now visible to financiers as listed.
        const rec = await api(env.server.url, `/api/receivables/${idHex(auctionId)}`, { token: t(f6) });
        expect(rec.status).to.equal(200);
        expect(rec.body.listed).to.equal(true);
        expect(rec.body.events.map((e: any) => e.type)).to.include("Listed");
      });

      it("two financiers post signed offers; each sees only its own", async () => {
        const a = await postFactoringOffer(env, t(f5), f5, auctionId, 118_000n * UNIT);
        expect(a.status, JSON.stringify(a.body)).to.equal(201);
        const b = await postFactoringOffer(env, t(f6), f6, auctionId, 120_000n * UNIT);
        expect(b.status, JSON.stringify(b.body)).to.equal(201);
        offer5 = a.body;
        offer6 = b.body;
        expect(offer5).to.include({ kind: "factoring", bidder: addressOf(f5), price: (118_000n * UNIT).toString(), state: "open" });
        for (const [i, mine] of [
          [f5, offer5],
          [f6, offer6],
        ] as const) {
          const own = await api(env.server.url, "/api/financing/offers", { token: t(i) });
          expect(own.body.items.map((o: any) => o.id)).to.deep.equal([mine.id]);
          const on = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(i) });
          expect(on.status).to.equal(200);
          expect(
            on.body.items.map((o: any) => o.id),
            `financier ${i} sees only its own bid`,
          ).to.deep.equal([mine.id]);
          const market = await api(env.server.url, "/api/financing/marketplace", { token: t(i) });
          const item = market.body.items.find((x: any) => x.receivable.id === idHex(auctionId));
          expect(item.myOffers.map((o: any) => o.id)).to.deep.equal([mine.id]);
        }
        // Auditors see no bids before the sale; the buyer and other sellers do not even see the offers.
        const aud = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(DEMO_ACCOUNTS.auditor) });
        expect(aud.body.items).to.deep.equal([]);
        const other = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(2) });
        expect(other.status).to.equal(404);
      });

      it("the lister sees both, ranked by price, with discount and annualised yield", async () => {
        const r = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) });
        expect(r.status).to.equal(200);
        expect(r.body.items.map((o: any) => [o.bidder, o.rank])).to.deep.equal([
          [addressOf(f6), 1],
          [addressOf(f5), 2],
        ]);
        const best = r.body.items[0];
        const days = best.daysToMaturity;
        // discount = (face − price)/face; yield = discount/(1 − discount) × 365/days
        expect(best.discountBps).to.equal(Number(((face - 120_000n * UNIT) * 10_000n) / face)); // 400
        expect(best.yieldBps).to.equal(Number(((face - 120_000n * UNIT) * 10_000n * 365n) / (120_000n * UNIT * BigInt(days))));
        expect(best.onChain).to.include({ function: "acceptOffer" });
      });

      it("rejects bad offers with a 4xx naming the problem, and stores nothing", async () => {
        const before = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items.length;
        const wrongSigner = await postFactoringOffer(env, t(f5), f5, auctionId, 119_000n * UNIT, { signer: f6 });
        expect(wrongSigner.status).to.equal(422);
        expect(wrongSigner.body.error.message).to.match(/signature/);
        const expired = await postFactoringOffer(env, t(f5), f5, auctionId, 119_000n * UNIT, { expiry: (await chainNow(env.provider)) - 10 });
        expect(expired.status).to.equal(422);
        expect(expired.body.error.message).to.match(/expiry/);
        const reused = await postFactoringOffer(env, t(f5), f5, auctionId, 119_000n * UNIT, { nonce: BigInt(offer5.nonce) });
        expect(reused.status).to.equal(409);
        expect(reused.body.error.message).to.match(/nonce/);
        const low = await postFactoringOffer(env, t(f5), f5, auctionId, 100_000n * UNIT);
        expect(low.status).to.equal(422);
        expect(low.body.error.message).to.match(/reserve/);
        // Not listed, not visible to financier 5: 404 before anything about its state (issue 9 item 9).
        const notListed = await postFactoringOffer(env, t(f5), f5, loanId, 300_000n * UNIT);
        expect(notListed.status).to.equal(404);
        expect(notListed.body.error.message).to.match(/not found/);
        const bySeller = await postFactoringOffer(env, t(seller), seller, auctionId, 119_000n * UNIT);
        expect(bySeller.status).to.equal(403);
        const unknownField = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(f5), body: { ...offerBodyOf(offer5), extra: 1 } });
        expect(unknownField.status).to.equal(400);
        expect(unknownField.body.error.message).to.match(/unknown field "extra"/);
        const badKind = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(f5), body: { ...offerBodyOf(offer5), kind: "swap" } });
        expect(badKind.status).to.equal(400);
        const badPrice = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(f5), body: { ...offerBodyOf(offer5), price: "-5" } });
        expect(badPrice.status).to.equal(400);
        expect(badPrice.body.error.message).to.match(/price/);
        const noSession = await api(env.server.url, "/api/financing/offers", { method: "POST", body: offerBodyOf(offer5) });
        expect(noSession.status).to.equal(401);
        const after = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items.length;
        expect(after).to.equal(before);
      });

      it("a financier withdraws an offer: the lister no longer sees it; the on-chain cancel is named", async () => {
        const extra = await postFactoringOffer(env, t(f5), f5, auctionId, 121_000n * UNIT);
        expect(extra.status).to.equal(201);
        let ranked = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items;
        expect(ranked[0].id).to.equal(extra.body.id);
        expect(
          (await api(env.server.url, `/api/financing/offers/${extra.body.id}/withdraw`, { method: "POST", token: t(f6) })).status,
          "someone else's offer",
        ).to.equal(404);
        const w = await api(env.server.url, `/api/financing/offers/${extra.body.id}/withdraw`, { method: "POST", token: t(f5) });
        expect(w.status).to.equal(200);
        expect(w.body.state).to.equal("withdrawn");
        expect(w.body.onChainCancel).to.deep.equal({ contract: env.deployment.contracts.FactoringMarket, function: "cancelOffer", args: [extra.body.nonce] });
        ranked = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items;
        expect(ranked.map((o: any) => o.id)).to.deep.equal([offer6.id, offer5.id]);
        const own = (await api(env.server.url, "/api/financing/offers", { token: t(f5) })).body.items;
        expect(own.find((o: any) => o.id === extra.body.id).state).to.equal("withdrawn");
        expect((await api(env.server.url, `/api/financing/offers/${extra.body.id}/withdraw`, { method: "POST", token: t(f5) })).status).to.equal(409);
      });

      it("an offer whose nonce the financier cancels on chain is shown as cancelled and is no longer ranked", async () => {
        const nonce = nonceSeq++;
        const posted = await postFactoringOffer(env, t(f5), f5, auctionId, 122_000n * UNIT, { nonce });
        expect(posted.status).to.equal(201);
        const market5 = await as(env, f5, env.deployment.contracts.FactoringMarket!, factoringMarketAbi);
        await (await market5.getFunction("cancelOffer")(nonce)).wait();
        await waitForHead(env);
        const own = (await api(env.server.url, "/api/financing/offers", { token: t(f5) })).body.items;
        expect(own.find((o: any) => o.id === posted.body.id).state).to.equal("cancelled");
        const ranked = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items;
        expect(ranked.find((o: any) => o.id === posted.body.id)).to.include({ state: "cancelled", rank: null });
        expect(ranked.filter((o: any) => o.rank !== null).map((o: any) => o.id)).to.deep.equal([offer6.id, offer5.id]);
        // A fresh offer cannot reuse a nonce consumed on chain.
        const reuse = await postFactoringOffer(env, t(f5), f5, auctionId, 122_000n * UNIT, { nonce });
        expect(reuse.status).to.equal(409);
      });

      it("the lister accepts the best offer on chain; the indexer projects the sale and the financier holds the receivable", async () => {
        const token6 = await as(env, f6, env.deployment.contracts.SettlementToken, settlementTokenAbi);
        await (await token6.getFunction("approve")(env.deployment.contracts.FactoringMarket, BigInt(offer6.price))).wait();
        const market = await as(env, seller, env.deployment.contracts.FactoringMarket!, factoringMarketAbi);
        const o = offer6.onChain.offer;
        await (
          await market.getFunction("acceptOffer")(
            { id: BigInt(o.id), listing: Number(o.listing), financier: o.financier, price: BigInt(o.price), nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) },
            offer6.signature,
          )
        ).wait();
        await waitForHead(env);
        const rec = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}`, { token: t(f6) });
        expect(rec.status).to.equal(200);
        expect(rec.body.receivable.holder).to.equal(addressOf(f6));
        expect(rec.body.listings[0].status).to.equal("sold");
        expect(rec.body.sales).to.have.length(1);
        expect(rec.body.sales[0]).to.include({
          seller: addressOf(seller),
          financier: addressOf(f6),
          price: offer6.price,
          withRecourse: true,
          recourseRateBps: 500,
          nonce: offer6.nonce,
        });
        expect(rec.body.sales[0].recourse.status).to.equal("none");
        const r = await api(env.server.url, `/api/receivables/${idHex(auctionId)}`, { token: t(f6) });
        expect(r.body.holder).to.equal(addressOf(f6));
        expect(r.body.listed).to.equal(false);
        // Offers after the sale: the winner's is accepted; auditors now see them all; the marketplace no longer lists it.
        const ranked = (await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(seller) })).body.items;
        expect(ranked.find((x: any) => x.id === offer6.id).state).to.equal("accepted");
        const aud = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}/offers`, { token: t(DEMO_ACCOUNTS.auditor) });
        expect(aud.body.items.map((x: any) => x.id)).to.include.members([offer5.id, offer6.id]);
        expect(aud.body.items.map((x: any) => x.state)).to.not.include("withdrawn"); // withdrawn bids stay their bidder's
        const market5 = await api(env.server.url, "/api/financing/marketplace", { token: t(f5) });
        expect(market5.body.items.map((x: any) => x.receivable.id)).to.not.include(idHex(auctionId));
        const seller1 = await api(env.server.url, "/api/financing/portfolio/seller", { token: t(seller) });
        expect(seller1.status).to.equal(200);
        expect(seller1.body.factoring).to.include({
          count: 1,
          faceAmount: face.toString(),
          received: offer6.price,
          discount: (face - BigInt(offer6.price)).toString(),
        });
        expect(seller1.body.financedVolume).to.equal(offer6.price);
        expect(seller1.body.costOfFinancing).to.equal((face - BigInt(offer6.price)).toString());
      });

      it("the buyer pays; the payment goes to the financier, visible in its portfolio", async () => {
        const token = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, env.provider);
        const before = (await token.getFunction("balanceOf")(addressOf(f6))) as bigint;
        const pf = await api(env.server.url, "/api/financing/portfolio/financier", { token: t(f6) });
        expect(pf.status).to.equal(200);
        expect(pf.body.totals).to.include({ holdings: 1, invested: offer6.price, expected: face.toString(), overdueCount: 0 });
        expect(pf.body.collectionsByWeek.reduce((s: bigint, w: any) => s + BigInt(w.total), 0n)).to.equal(face);
        expect(pf.body.holdings[0].purchase.yieldBps).to.be.greaterThan(0);
        await payAs(env.provider, env.deployment as any, buyer, auctionId, face);
        await waitForHead(env);
        const after = (await token.getFunction("balanceOf")(addressOf(f6))) as bigint;
        expect(after - before, "the financier is paid").to.equal(face);
        const rec = await api(env.server.url, `/api/financing/receivables/${idHex(auctionId)}`, { token: t(f6) });
        expect(rec.body.receivable.status).to.equal("Paid");
        expect(rec.body.sales[0].forwarded).to.equal(face.toString());
        const pf2 = await api(env.server.url, "/api/financing/portfolio/financier", { token: t(f6) });
        expect(pf2.body.holdings[0].collected).to.equal(face.toString());
        expect(pf2.body.totals.expected).to.equal("0");
      });
    });

    describe("pledge loan: signed loan offer → opened by the holder → the buyer's payment runs the waterfall", () => {
      const face = 310_000n * UNIT;
      let offer: any;

      it("a lender posts a loan offer; the holder sees it, another financier does not", async () => {
        // Financiers see the receivable (and may offer) once its holder asks for loan offers (issue 9 item 9).
        const ask = await api(env.server.url, `/api/financing/receivables/${idHex(loanId)}/loan-request`, { method: "POST", token: t(2) });
        expect(ask.status, JSON.stringify(ask.body)).to.equal(200);
        const nonce = nonceSeq++;
        const expiry = (await chainNow(env.provider)) + 3 * DAY_S;
        const signature = await signLoanOffer(env, f5, { id: loanId, advanceBps: 8_000, rateBps: 1_000, nonce, expiry: BigInt(expiry) });
        const r = await api(env.server.url, "/api/financing/offers", {
          method: "POST",
          token: t(f5),
          body: { kind: "loan", receivableId: idHex(loanId), advanceBps: 8_000, rateBps: 1_000, nonce: nonce.toString(), expiry, signature },
        });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        offer = r.body;
        const holder = await api(env.server.url, `/api/financing/receivables/${idHex(loanId)}/offers?kind=loan`, { token: t(2) });
        expect(holder.body.items.map((o: any) => o.id)).to.deep.equal([offer.id]);
        const other = await api(env.server.url, `/api/financing/receivables/${idHex(loanId)}/offers?kind=loan`, { token: t(f6) });
        // Financier 6 sees the receivable through the loan request, but not financier 5's offer.
        expect(other.status).to.equal(200);
        expect(other.body.items).to.deep.equal([]);
      });

      it("the holder opens the loan on chain; the buyer pays; lender first, surplus to the seller", async () => {
        const token5 = await as(env, f5, env.deployment.contracts.SettlementToken, settlementTokenAbi);
        const principal = (face * 8_000n) / 10_000n;
        await (await token5.getFunction("approve")(env.deployment.contracts.PledgeLoans, principal)).wait();
        const loans = await as(env, 2, env.deployment.contracts.PledgeLoans!, pledgeLoansAbi);
        const o = offer.onChain.offer;
        await (
          await loans.getFunction("openLoan")(
            { id: BigInt(o.id), lender: o.lender, advanceBps: o.advanceBps, rateBps: o.rateBps, nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) },
            offer.signature,
          )
        ).wait();
        await waitForHead(env);
        let mine = await api(env.server.url, "/api/financing/loans", { token: t(f5) });
        expect(mine.body.items).to.have.length(1);
        expect(mine.body.items[0]).to.include({
          borrower: addressOf(2),
          lender: addressOf(f5),
          principal: principal.toString(),
          rateBps: 1_000,
          status: "open",
        });
        const rec0 = await api(env.server.url, `/api/receivables/${idHex(loanId)}`, { token: t(2) });
        expect(rec0.body.lockedBy).to.equal(env.deployment.contracts.PledgeLoans!.toLowerCase());

        await payAs(env.provider, env.deployment as any, buyer, loanId, face);
        await waitForHead(env);
        mine = await api(env.server.url, "/api/financing/loans", { token: t(f5) });
        const loan = mine.body.items[0];
        expect(loan.status).to.equal("repaid");
        expect(loan.repayments).to.have.length(1);
        const w = loan.repayments[0];
        expect(BigInt(w.toLender) >= principal, "lender gets principal plus interest first").to.equal(true);
        expect(BigInt(w.toLender) + BigInt(w.toHolder)).to.equal(face);
        expect(w.owedAfter).to.equal("0");
        // The borrower sees the same loan and the waterfall on the receivable's financing record.
        const borrower = await api(env.server.url, `/api/financing/receivables/${idHex(loanId)}`, { token: t(2) });
        expect(borrower.body.loans[0].repayments).to.deep.equal(loan.repayments);
        const sp = await api(env.server.url, "/api/financing/portfolio/seller", { token: t(2) });
        expect(sp.body.loans).to.include({ count: 1, advanced: principal.toString(), open: 0 });
        expect(sp.body.loans.interestPaid).to.equal((BigInt(w.toLender) - principal).toString());
        // Another financier sees nothing of it.
        expect((await api(env.server.url, "/api/financing/loans", { token: t(f6) })).body.items).to.deep.equal([]);
      });
    });

    describe("credit profiles and limits", () => {
      it("the operator sets a buyer's limit; exposure and limit use come from the aggregates", async () => {
        const set = await api(env.server.url, `/api/credit/limits/${addressOf(4)}`, {
          method: "PUT",
          token: t(0),
          body: { limit: (100_000n * UNIT).toString(), externalRating: "BBB" },
        });
        expect(set.status, JSON.stringify(set.body)).to.equal(200);
        const bal = await api(env.server.url, `/api/balances/${addressOf(4)}`, { token: t(0) });
        expect(set.body).to.include({
          limit: (100_000n * UNIT).toString(),
          externalRating: "BBB",
          exposure: bal.body.buyer.exposure,
          limitSetBy: addressOf(0),
        });
        expect(set.body.limitUsePct).to.equal(Number((BigInt(bal.body.buyer.exposure) * 10_000n) / (100_000n * UNIT)) / 100);
        const seen = await api(env.server.url, `/api/credit/profiles/${addressOf(4)}`, { token: t(5) });
        expect(seen.status).to.equal(200);
        expect(seen.body.tier).to.be.oneOf(["A", "B", "C"]);
        // Buyer 4 paid its one settled invoice on time (demo data): a perfect on-time ratio.
        expect(seen.body.onTimeRatio).to.equal(1);
        expect(seen.body.tier).to.equal("A");
        const list = await api(env.server.url, "/api/credit/profiles", { token: t(DEMO_ACCOUNTS.auditor) });
        expect(list.body.items.map((p: any) => p.address)).to.include.members([addressOf(3), addressOf(4)]);
      });

      it("only the operator sets limits; bad limits are 400", async () => {
        const bySeller = await api(env.server.url, `/api/credit/limits/${addressOf(4)}`, { method: "PUT", token: t(1), body: { limit: "1" } });
        expect(bySeller.status).to.equal(403);
        const bad = await api(env.server.url, `/api/credit/limits/${addressOf(4)}`, { method: "PUT", token: t(0), body: { limit: "1.5" } });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.message).to.match(/limit/);
        const badAddr = await api(env.server.url, "/api/credit/limits/0x1234", { method: "PUT", token: t(0), body: { limit: "1" } });
        expect(badAddr.status).to.equal(400);
        expect(badAddr.body.error.message).to.match(/address/);
        const prof = await api(env.server.url, `/api/credit/profiles/${addressOf(4)}`, { token: t(0) });
        expect(prof.body.limit).to.equal((100_000n * UNIT).toString());
      });
    });
  });

  describe(`financing projection across a reorg (${database})`, function () {
    let env: TestEnv;
    before(async () => {
      env = await startEnv({ database });
    });
    after(async () => env?.stop());

    it("a sale that a reorganisation removes disappears from the API; the listing is open again", async () => {
      const id = env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "BP-77120")]!;
      const market = await as(env, 2, env.deployment.contracts.FactoringMarket!, factoringMarketAbi);
      await (await market.getFunction("list")(id, 1n, (await chainNow(env.provider)) + 7 * DAY_S, false, 0)).wait();
      await waitForHead(env);
      const token5 = await login(env.server.url, 5);
      const token2 = await login(env.server.url, 2);
      const posted = await postFactoringOffer(env, token5, 5, id, 300_000n * UNIT);
      expect(posted.status).to.equal(201);
      const snapshot = await env.provider.send("evm_snapshot", []);
      const t5 = await as(env, 5, env.deployment.contracts.SettlementToken, settlementTokenAbi);
      await (await t5.getFunction("approve")(env.deployment.contracts.FactoringMarket, 300_000n * UNIT)).wait();
      const o = posted.body.onChain.offer;
      await (
        await market.getFunction("acceptOffer")(
          { id, listing: Number(o.listing), financier: o.financier, price: BigInt(o.price), nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) },
          posted.body.signature,
        )
      ).wait();
      await waitForHead(env);
      expect((await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: token2 })).body.sales).to.have.length(1);
      await env.provider.send("evm_revert", [snapshot]);
      for (let i = 0; i < 4; i++) await env.provider.send("evm_mine", []);
      await waitForHead(env);
      const rec = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: token2 });
      expect(rec.body.sales).to.deep.equal([]);
      expect(rec.body.listings.map((l: any) => l.status)).to.deep.equal(["open"]);
      expect(rec.body.receivable.holder).to.equal(addressOf(2));
      const ranked = await api(env.server.url, `/api/financing/receivables/${idHex(id)}/offers`, { token: token2 });
      expect(ranked.body.items[0]).to.include({ id: posted.body.id, state: "open", rank: 1 });
      // The chain agrees: the deal is a listing again (state 1 = Listed), and the database equals the chain.
      expect(Number((await market.getFunction("deal")(id)).state)).to.equal(1);
      await assertDbEqualsChain(env);
    });
  });
}

function offerBodyOf(o: any) {
  return {
    kind: "factoring",
    receivableId: o.receivableId,
    price: o.price,
    nonce: o.nonce,
    expiry: Math.floor(Date.parse(o.expiry) / 1000),
    signature: o.signature,
  };
}
