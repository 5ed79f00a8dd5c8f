// Every financing and credit endpoint with every role and with no session: exactly who may see and do what.
import { expect } from "chai";
import { Contract } from "ethers";
import { factoringMarketAbi, pledgeLoansAbi, settlementTokenAbi, creditInsuranceAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../server/financing/chain.ts";
import { startEnv, api, login, account, addressOf, waitForHead, registerMany, confirmAs, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
import { DAY_S } from "../../common/units.ts";
const UNIT = 1_000_000n;

interface Actor {
  name: string;
  index: number | null;
}
const ACTORS: Actor[] = [
  { name: "no session", index: null },
  { name: "operator", index: DEMO_ACCOUNTS.operator },
  { name: "seller 1 (lister)", index: 1 },
  { name: "seller 2 (borrower)", index: 2 },
  { name: "buyer 3 (also seller)", index: 3 },
  { name: "buyer 4 (also seller)", index: 4 },
  { name: "financier 5", index: 5 },
  { name: "financier 6", index: 6 },
  { name: "auditor", index: DEMO_ACCOUNTS.auditor },
  { name: "insurer", index: DEMO_ACCOUNTS.insurer },
  { name: "non-member", index: 9 },
];
const FINANCIERS = [5, 6];
const SELLERS = [1, 2, 3, 4];

for (const database of DATABASES) {
  describe(`financing and credit visibility by role (${database})`, function () {
    let env: TestEnv;
    const tokens = new Map<number, string>();
    let auction: string; // listed by seller 1
    let pledged: string; // pledged by seller 2 to financier 5
    const bids = new Map<number, string>(); // financier → its bid id
    let nonce = 1n;

    const now = async () => Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    /** The receivable's open listing number (what an offer signs as `listing`). */
    async function openListing(id: string): Promise<number> {
      const d = await new Contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi as any, env.provider).getFunction("deal")(BigInt(id));
      return Math.max(0, Number(d.listings) - 1);
    }
    async function factoringBody(index: number, id: string, price: bigint) {
      const n = nonce++;
      const expiry = (await now()) + 2 * DAY_S;
      const signature = await account(index).signTypedData({
        domain: {
          name: "FactoringMarket",
          version: "1",
          chainId: env.deployment.chainId,
          verifyingContract: env.deployment.contracts.FactoringMarket as `0x${string}`,
        },
        types: OFFER_TYPES,
        primaryType: "Offer",
        message: { id: BigInt(id), listing: await openListing(id), financier: account(index).address, price, nonce: n, expiry: BigInt(expiry) },
      });
      return { kind: "factoring", receivableId: id, price: price.toString(), nonce: n.toString(), expiry, signature };
    }

    before(async function () {
      env = await startEnv({ database });
      for (const a of ACTORS) if (a.index !== null) tokens.set(a.index, await login(env.server.url, a.index));
      auction = idHex(env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "INV-2026-0001")]!);
      pledged = idHex(env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "BP-77120")]!);
      const market = new Contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi as any, await env.provider.getSigner(1));
      await (await market.getFunction("list")(BigInt(auction), 100_000n * UNIT, (await now()) + 7 * DAY_S, false, 0)).wait();
      await waitForHead(env);
      for (const f of FINANCIERS) {
        const r = await api(env.server.url, "/api/financing/offers", {
          method: "POST",
          token: tokens.get(f),
          body: await factoringBody(f, auction, (110_000n + BigInt(f)) * UNIT),
        });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        bids.set(f, r.body.id);
      }
      // Financier 5 lends to seller 2 against BP-77120, which seller 2 opened to loan offers (issue 9 item 9: a
      // financier may offer a loan only on a receivable it may see).
      const ask = await api(env.server.url, `/api/financing/receivables/${pledged}/loan-request`, { method: "POST", token: tokens.get(2) });
      expect(ask.status, JSON.stringify(ask.body)).to.equal(200);
      const n = nonce++;
      const expiry = (await now()) + 2 * DAY_S;
      const signature = await account(5).signTypedData({
        domain: {
          name: "PledgeLoans",
          version: "1",
          chainId: env.deployment.chainId,
          verifyingContract: env.deployment.contracts.PledgeLoans as `0x${string}`,
        },
        types: LOAN_OFFER_TYPES,
        primaryType: "LoanOffer",
        message: { id: BigInt(pledged), lender: account(5).address, advanceBps: 5_000, rateBps: 800, nonce: n, expiry: BigInt(expiry) },
      });
      const lo = await api(env.server.url, "/api/financing/offers", {
        method: "POST",
        token: tokens.get(5),
        body: { kind: "loan", receivableId: pledged, advanceBps: 5_000, rateBps: 800, nonce: n.toString(), expiry, signature },
      });
      expect(lo.status, JSON.stringify(lo.body)).to.equal(201);
      const token5 = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, await env.provider.getSigner(5));
      await (await token5.getFunction("approve")(env.deployment.contracts.PledgeLoans, 10n ** 30n)).wait();
      const loans = new Contract(env.deployment.contracts.PledgeLoans!, pledgeLoansAbi as any, await env.provider.getSigner(2));
      const o = lo.body.onChain.offer;
      await (
        await loans.getFunction("openLoan")(
          { id: BigInt(o.id), lender: o.lender, advanceBps: o.advanceBps, rateBps: o.rateBps, nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) },
          lo.body.signature,
        )
      ).wait();
      await waitForHead(env);
    });
    after(async () => env?.stop());

    for (const a of ACTORS) {
      describe(a.name, () => {
        const token = () => (a.index === null ? undefined : tokens.get(a.index));
        const is = (...xs: number[]) => a.index !== null && xs.includes(a.index);
        const me = () => (a.index === null ? "" : addressOf(a.index));

        it("GET /api/financing/marketplace: financiers (own offers only) and auditors", async () => {
          const r = await api(env.server.url, "/api/financing/marketplace", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(...FINANCIERS, DEMO_ACCOUNTS.auditor)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.items.map((i: any) => i.receivable.id)).to.deep.equal([auction]);
          const offers = r.body.items[0].myOffers;
          expect(offers.map((o: any) => o.id)).to.deep.equal(is(...FINANCIERS) ? [bids.get(a.index!)] : []);
          expect(r.body.block.number).to.be.a("number");
        });

        it("POST /api/financing/offers: active financiers only, signed by themselves", async () => {
          const body = a.index === null ? await factoringBody(5, auction, 120_000n * UNIT) : await factoringBody(a.index, auction, 120_000n * UNIT);
          const r = await api(env.server.url, "/api/financing/offers", { method: "POST", token: token(), body });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(...FINANCIERS)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(201);
          expect(r.body.bidder).to.equal(me());
          // Withdraw at once so the rest of the walk sees the original bids only.
          expect((await api(env.server.url, `/api/financing/offers/${r.body.id}/withdraw`, { method: "POST", token: token() })).status).to.equal(200);
        });

        it("GET /api/financing/offers: a member's own offers only", async () => {
          const r = await api(env.server.url, "/api/financing/offers", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          expect(r.status).to.equal(200);
          for (const o of r.body.items) expect(o.bidder).to.equal(me());
          if (!is(...FINANCIERS)) expect(r.body.items).to.deep.equal([]);
          else expect(r.body.items.map((o: any) => o.id)).to.include(bids.get(a.index!));
        });

        it("GET /api/financing/receivables/:id/offers: the lister sees every bid, a financier its own, auditors none before the sale", async () => {
          const r = await api(env.server.url, `/api/financing/receivables/${auction}/offers`, { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          // Who may see the receivable: its seller (1), its buyer (3), financiers (listed), auditors, the operator
          // (a confirmed receivable it can attest a bank payment on; issue 9 item 18) — without any offer.
          if (!is(1, 3, ...FINANCIERS, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator)) return expect(r.status).to.equal(404);
          expect(r.status).to.equal(200);
          const open = r.body.items.filter((o: any) => o.state === "open").map((o: any) => o.id);
          if (is(1))
            expect(open).to.deep.equal([bids.get(6), bids.get(5)]); // ranked by price
          else if (is(...FINANCIERS)) expect(open).to.deep.equal([bids.get(a.index!)]);
          else expect(r.body.items).to.deep.equal([]);
          // Loan offers on the pledged receivable: the holder (borrower) and the lender see it.
          const l = await api(env.server.url, `/api/financing/receivables/${pledged}/offers?kind=loan`, { token: token() });
          if (!is(2, 3, 5, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator)) return expect(l.status).to.equal(404);
          expect(l.status).to.equal(200);
          expect(l.body.items.length, "loan offers seen").to.equal(is(2, 5, DEMO_ACCOUNTS.auditor) ? 1 : 0);
        });

        it("POST /api/financing/offers/:offerId/withdraw: only the bidder", async () => {
          const r = await api(env.server.url, `/api/financing/offers/${bids.get(6)}/withdraw`, { method: "POST", token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          // Financier 6 would withdraw its bid: checked without doing it (an unknown id is 404 for it too).
          if (is(6)) {
            const unknown = await api(env.server.url, "/api/financing/offers/00000000-0000-4000-8000-000000000000/withdraw", {
              method: "POST",
              token: token(),
            });
            return expect(unknown.status).to.equal(404);
          }
          expect(r.status).to.equal(404);
        });

        it("GET /api/financing/receivables/:id: who may see the receivable and the parties of its financing", async () => {
          const r = await api(env.server.url, `/api/financing/receivables/${auction}`, { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(1, 3, ...FINANCIERS, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator)) return expect(r.status).to.equal(404);
          expect(r.status).to.equal(200);
          expect(r.body.listings[0].lister).to.equal(addressOf(1));
          const p = await api(env.server.url, `/api/financing/receivables/${pledged}`, { token: token() });
          // Pledged: seller 2 (holder), buyer 3, lender 5, auditors, the operator (confirmed: attestable).
          if (!is(2, 3, 5, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.operator)) return expect(p.status).to.equal(404);
          expect(p.body.loans[0]).to.include({ lender: addressOf(5), borrower: addressOf(2), status: "open" });
        });

        it("GET /api/financing/loans: lender and borrower; auditors all", async () => {
          const r = await api(env.server.url, "/api/financing/loans", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          expect(r.status).to.equal(200);
          expect(r.body.items.map((l: any) => l.receivableId)).to.deep.equal(is(2, 5, DEMO_ACCOUNTS.auditor) ? [pledged] : []);
        });

        it("GET /api/financing/portfolio/financier: financiers", async () => {
          const r = await api(env.server.url, "/api/financing/portfolio/financier", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(...FINANCIERS)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.loans.length).to.equal(is(5) ? 1 : 0);
        });

        it("GET /api/financing/portfolio/seller: sellers", async () => {
          const r = await api(env.server.url, "/api/financing/portfolio/seller", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(...SELLERS)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.loans.count).to.equal(is(2) ? 1 : 0);
        });

        it("GET /api/credit/profiles: financiers, insurers, auditors, the operator", async () => {
          const r = await api(env.server.url, "/api/credit/profiles", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(DEMO_ACCOUNTS.operator, ...FINANCIERS, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.insurer)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.items.map((p: any) => p.address)).to.include(addressOf(3));
        });

        it("GET /api/credit/profiles/:address: the party itself plus financiers, insurers, auditors, the operator", async () => {
          const r = await api(env.server.url, `/api/credit/profiles/${addressOf(3)}`, { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(3, DEMO_ACCOUNTS.operator, ...FINANCIERS, DEMO_ACCOUNTS.auditor, DEMO_ACCOUNTS.insurer)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.address).to.equal(addressOf(3));
          expect(BigInt(r.body.exposure) > 0n).to.equal(true);
        });

        it("PUT /api/credit/limits/:address: the operator only", async () => {
          const r = await api(env.server.url, `/api/credit/limits/${addressOf(3)}`, {
            method: "PUT",
            token: token(),
            body: { limit: (1_000_000n * UNIT).toString() },
          });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(DEMO_ACCOUNTS.operator)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.limit).to.equal((1_000_000n * UNIT).toString());
        });
      });
    }

    // ─────────────────────────────────────────────────────────────── issue 9 ──

    /** `count` fresh receivables of seller 1 to buyer 3 (50,000.00 each), confirmed unless `confirmed` is false. */
    async function freshReceivables(count: number, confirmed = true): Promise<string[]> {
      const ids = await registerMany(env.provider, env.deployment, { count, sellerIndex: 1, buyerIndex: 3, amount: 50_000n * UNIT });
      if (confirmed) for (const id of ids) await confirmAs(env.provider, env.deployment, 3, id);
      await waitForHead(env);
      return ids.map(idHex);
    }
    const signer = async (index: number, abi: any, address: string) => new Contract(address, abi, await env.provider.getSigner(index));
    async function list(index: number, id: string) {
      const market = await signer(index, factoringMarketAbi, env.deployment.contracts.FactoringMarket!);
      await (await market.getFunction("list")(BigInt(id), 40_000n * UNIT, (await now()) + 7 * DAY_S, false, 0)).wait();
      await waitForHead(env);
    }
    async function bid(index: number, id: string, price: bigint): Promise<any> {
      const r = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(index), body: await factoringBody(index, id, price) });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      return r.body;
    }
    const offerIds = async (index: number, id: string) =>
      (await api(env.server.url, `/api/financing/receivables/${id}/offers`, { token: tokens.get(index) })).body.items.map((o: any) => o.id).sort();
    async function loanBody(index: number, id: string) {
      const n = nonce++;
      const expiry = (await now()) + 2 * DAY_S;
      const signature = await account(index).signTypedData({
        domain: {
          name: "PledgeLoans",
          version: "1",
          chainId: env.deployment.chainId,
          verifyingContract: env.deployment.contracts.PledgeLoans as `0x${string}`,
        },
        types: LOAN_OFFER_TYPES,
        primaryType: "LoanOffer",
        message: { id: BigInt(id), lender: account(index).address, advanceBps: 7_000, rateBps: 900, nonce: n, expiry: BigInt(expiry) },
      });
      return { kind: "loan", receivableId: id, advanceBps: 7_000, rateBps: 900, nonce: n.toString(), expiry, signature };
    }
    const AUDITOR = DEMO_ACCOUNTS.auditor;

    describe("offers belong to their listing (issue 9 items 7 and 21)", () => {
      let id: string;
      const b: Record<string, any> = {};
      before(async () => {
        [id] = (await freshReceivables(1)) as [string];
        await list(1, id);
        b.l1f5 = await bid(5, id, 45_000n * UNIT);
        b.l1f6 = await bid(6, id, 46_000n * UNIT);
      });

      it("auditors see no bid of a listing that is still open", async () => {
        expect(await offerIds(AUDITOR, id)).to.deep.equal([]);
        expect(await offerIds(1, id)).to.deep.equal([b.l1f5.id, b.l1f6.id].sort());
      });

      it("after the sale the losing bid shows as lost to its bidder, and auditors see the closed listing's bids", async () => {
        const token6 = await signer(6, settlementTokenAbi, env.deployment.contracts.SettlementToken);
        await (await token6.getFunction("approve")(env.deployment.contracts.FactoringMarket, 10n ** 30n)).wait();
        const market = await signer(1, factoringMarketAbi, env.deployment.contracts.FactoringMarket!);
        const o = b.l1f6.onChain.offer;
        await (
          await market.getFunction("acceptOffer")(
            { id: BigInt(o.id), listing: Number(o.listing), financier: o.financier, price: BigInt(o.price), nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) },
            b.l1f6.signature,
          )
        ).wait();
        await waitForHead(env);
        const mine5 = (await api(env.server.url, `/api/financing/offers?receivableId=${id}`, { token: tokens.get(5) })).body.items;
        expect(mine5.map((x: any) => [x.id, x.state])).to.deep.equal([[b.l1f5.id, "lost"]]);
        const mine6 = (await api(env.server.url, `/api/financing/offers?receivableId=${id}`, { token: tokens.get(6) })).body.items;
        expect(mine6.map((x: any) => [x.id, x.state])).to.deep.equal([[b.l1f6.id, "accepted"]]);
        const seen = (await api(env.server.url, `/api/financing/receivables/${id}/offers`, { token: tokens.get(AUDITOR) })).body.items;
        expect(seen.map((x: any) => [x.id, x.state]).sort()).to.deep.equal(
          [
            [b.l1f5.id, "lost"],
            [b.l1f6.id, "accepted"],
          ].sort(),
        );
        expect(seen.every((x: any) => x.rank === null)).to.equal(true);
      });

      it("a later listing's bids go to its lister only, not to earlier listers, and to auditors once it closed", async () => {
        // Financier 6 now holds it and lists it again; financier 5 bids on the new listing.
        await list(6, id);
        b.l2f5 = await bid(5, id, 47_000n * UNIT);
        expect(await offerIds(1, id), "seller 1, lister of the first listing").to.deep.equal([b.l1f5.id, b.l1f6.id].sort());
        expect(await offerIds(6, id), "financier 6, lister of the second listing (and a bidder on the first)").to.deep.equal([b.l1f6.id, b.l2f5.id].sort());
        expect(await offerIds(AUDITOR, id), "auditor, while the second listing is open").to.deep.equal([b.l1f5.id, b.l1f6.id].sort());
        expect(await offerIds(5, id), "financier 5, its own bids").to.deep.equal([b.l1f5.id, b.l2f5.id].sort());
        // The lister withdraws the listing: the bid on it is closed, for its bidder and for auditors.
        const market = await signer(6, factoringMarketAbi, env.deployment.contracts.FactoringMarket!);
        await (await market.getFunction("closeListing")(BigInt(id))).wait();
        await waitForHead(env);
        const mine = (await api(env.server.url, `/api/financing/offers?receivableId=${id}`, { token: tokens.get(5) })).body.items;
        expect(mine.find((x: any) => x.id === b.l2f5.id).state).to.equal("closed");
        expect(await offerIds(AUDITOR, id)).to.deep.equal([b.l1f5.id, b.l1f6.id, b.l2f5.id].sort());
        expect(await offerIds(1, id)).to.deep.equal([b.l1f5.id, b.l1f6.id].sort());
      });
    });

    describe("invisible means 404, whatever the route (issue 9 item 9)", () => {
      let hidden: string;
      let unconfirmed: string;
      before(async () => {
        [hidden] = (await freshReceivables(1)) as [string];
        [unconfirmed] = (await freshReceivables(1, false)) as [string];
      });

      it("a loan offer on a receivable the financier may not see is 404, not stored, and says nothing about it", async () => {
        const body = await loanBody(6, hidden);
        const r = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(6), body });
        expect(r.status).to.equal(404);
        expect(r.body).to.not.have.property("daysToMaturity");
        expect(r.body.error.message).to.equal(`receivable ${hidden} not found`);
        const mine = (await api(env.server.url, "/api/financing/offers?kind=loan", { token: tokens.get(6) })).body.items;
        expect(mine.map((o: any) => o.nonce)).to.not.include(body.nonce);
      });

      it("a loan offer on an unconfirmed receivable it may not see is 404, not a 409 naming its status", async () => {
        const r = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(6), body: await loanBody(6, unconfirmed) });
        expect(r.status).to.equal(404);
        expect(JSON.stringify(r.body)).to.not.match(/Registered|confirmed/);
      });

      it("a factoring offer on an unlisted receivable it may not see is 404, not a 409 saying it is not listed", async () => {
        const r = await api(env.server.url, "/api/financing/offers", {
          method: "POST",
          token: tokens.get(6),
          body: await factoringBody(6, hidden, 45_000n * UNIT),
        });
        expect(r.status).to.equal(404);
        expect(r.body.error.message).to.equal(`receivable ${hidden} not found`);
      });

      it("every receivable route answers 404 alike for an invisible and for an unknown id", async () => {
        const unknown = "0x" + "ab".repeat(32);
        for (const path of ["", "/document", "/offers", "/offers?kind=loan"]) {
          const base = path.startsWith("/offers") ? "/api/financing/receivables/" : "/api/receivables/";
          for (const rid of [hidden, unknown]) {
            const r = await api(env.server.url, `${base}${rid}${path}`, { token: tokens.get(6) });
            expect(r.status, `${base}${rid}${path}`).to.equal(404);
          }
        }
        for (const rid of [hidden, unknown]) {
          expect((await api(env.server.url, `/api/financing/receivables/${rid}`, { token: tokens.get(6) })).status).to.equal(404);
          expect((await api(env.server.url, `/api/financing/receivables/${rid}/loan-request`, { method: "POST", token: tokens.get(6) })).status).to.equal(404);
        }
      });

      it("the holder's loan request shows the receivable to active financiers until withdrawn", async () => {
        const notHolder = await api(env.server.url, `/api/financing/receivables/${hidden}/loan-request`, { method: "POST", token: tokens.get(3) });
        expect(notHolder.status, "the buyer sees it but does not hold it").to.equal(403);
        const ask = await api(env.server.url, `/api/financing/receivables/${hidden}/loan-request`, { method: "POST", token: tokens.get(1) });
        expect(ask.status).to.equal(200);
        expect(ask.body).to.include({ receivableId: hidden, holder: addressOf(1), open: true });
        const listed = (await api(env.server.url, "/api/receivables?limit=500", { token: tokens.get(6) })).body.items.map((x: any) => x.id);
        expect(listed).to.include(hidden);
        expect((await api(env.server.url, `/api/receivables/${hidden}`, { token: tokens.get(6) })).status).to.equal(200);
        expect((await api(env.server.url, `/api/receivables/${hidden}`, { token: tokens.get(9) })).status, "not a financier").to.equal(404);
        const offer = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(6), body: await loanBody(6, hidden) });
        expect(offer.status, JSON.stringify(offer.body)).to.equal(201);
        const holderSees = (await api(env.server.url, `/api/financing/receivables/${hidden}/offers?kind=loan`, { token: tokens.get(1) })).body.items.map(
          (o: any) => o.id,
        );
        expect(holderSees).to.deep.equal([offer.body.id]);
        expect((await api(env.server.url, `/api/financing/receivables/${hidden}`, { token: tokens.get(1) })).body.loanRequest).to.include({ open: true });
        const stop = await api(env.server.url, `/api/financing/receivables/${hidden}/loan-request/withdraw`, { method: "POST", token: tokens.get(1) });
        expect(stop.status).to.equal(200);
        expect(stop.body.open).to.equal(false);
        expect((await api(env.server.url, `/api/receivables/${hidden}`, { token: tokens.get(6) })).status).to.equal(404);
      });

      it("a loan request needs a confirmed receivable: 409 to its holder", async () => {
        const r = await api(env.server.url, `/api/financing/receivables/${unconfirmed}/loan-request`, { method: "POST", token: tokens.get(1) });
        expect(r.status).to.equal(409);
        expect(r.body.error.message).to.include("Registered");
      });
    });

    describe("visibility follows involvement (issue 9 item 18)", () => {
      it("the lender sees the receivable it lent against (its lien), other financiers do not", async () => {
        const r = await api(env.server.url, `/api/receivables/${pledged}`, { token: tokens.get(5) });
        expect(r.status).to.equal(200);
        expect(r.body.lockedBy).to.equal(env.deployment.contracts.PledgeLoans!.toLowerCase());
        expect((await api(env.server.url, "/api/receivables?limit=500", { token: tokens.get(5) })).body.items.map((x: any) => x.id)).to.include(pledged);
        expect((await api(env.server.url, `/api/receivables/${pledged}`, { token: tokens.get(6) })).status).to.equal(404);
      });

      it("the insurer sees the receivable it offered a policy on, and only that one", async () => {
        const [insured] = (await freshReceivables(1)) as [string];
        const insurer = DEMO_ACCOUNTS.insurer;
        expect((await api(env.server.url, `/api/receivables/${insured}`, { token: tokens.get(insurer) })).status).to.equal(404);
        // The demo insurer has no settlement tokens: a financier lends it the escrow.
        const token6 = await signer(6, settlementTokenAbi, env.deployment.contracts.SettlementToken);
        await (await token6.getFunction("transfer")(addressOf(insurer), 50_000n * UNIT)).wait();
        const tokenI = await signer(insurer, settlementTokenAbi, env.deployment.contracts.SettlementToken);
        await (await tokenI.getFunction("approve")(env.deployment.contracts.CreditInsurance, 10n ** 30n)).wait();
        const ins = await signer(insurer, creditInsuranceAbi, env.deployment.contracts.CreditInsurance!);
        await (await ins.getFunction("offerPolicy")(BigInt(insured), 8_000, 500n * UNIT, (await now()) + 30 * DAY_S)).wait();
        await waitForHead(env);
        expect((await api(env.server.url, `/api/receivables/${insured}`, { token: tokens.get(insurer) })).status).to.equal(200);
        const listed = (await api(env.server.url, "/api/receivables?limit=500", { token: tokens.get(insurer) })).body.items.map((x: any) => x.id);
        expect(listed).to.deep.equal([insured]);
      });

      it("the operator sees what it can attest on and what it attested, not registered ones nor documents", async () => {
        const op = DEMO_ACCOUNTS.operator;
        const [attest] = (await freshReceivables(1)) as [string];
        const [registered] = (await freshReceivables(1, false)) as [string];
        expect((await api(env.server.url, `/api/receivables/${attest}`, { token: tokens.get(op) })).status).to.equal(200);
        expect((await api(env.server.url, `/api/receivables/${registered}`, { token: tokens.get(op) })).status).to.equal(404);
        expect((await api(env.server.url, `/api/receivables/${attest}/document`, { token: tokens.get(op) })).status).to.equal(403);
        // A bank payment of the whole amount: Paid, and still visible to the operator that attested it.
        const ledger = await signer(op, receivableLedgerAbi, env.deployment.contracts.ReceivableLedger);
        await (await ledger.getFunction("attestBankPayment")(BigInt(attest), 50_000n * UNIT, "0x" + "0e".repeat(32))).wait();
        await waitForHead(env);
        const r = await api(env.server.url, `/api/receivables/${attest}`, { token: tokens.get(op) });
        expect(r.status).to.equal(200);
        expect(r.body.status).to.equal("Paid");
        const listed = (await api(env.server.url, "/api/receivables?limit=500&status=Paid", { token: tokens.get(op) })).body.items.map((x: any) => x.id);
        expect(listed).to.deep.equal([attest]);
      });
    });

    it("every financing and credit endpoint is in the OpenAPI description", async () => {
      const doc = (await api(env.server.url, "/api/openapi.json")).body;
      for (const [path, method] of [
        ["/api/financing/marketplace", "get"],
        ["/api/financing/offers", "post"],
        ["/api/financing/offers", "get"],
        ["/api/financing/receivables/{id}/offers", "get"],
        ["/api/financing/offers/{offerId}/withdraw", "post"],
        ["/api/financing/receivables/{id}", "get"],
        ["/api/financing/loans", "get"],
        ["/api/financing/portfolio/financier", "get"],
        ["/api/financing/portfolio/seller", "get"],
        ["/api/credit/profiles", "get"],
        ["/api/credit/profiles/{address}", "get"],
        ["/api/credit/limits/{address}", "put"],
      ] as const) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).to.exist;
      }
      expect(doc.paths["/api/financing/offers"].post.requestBody).to.exist;
      expect(doc.paths["/api/financing/marketplace"].get.summary).to.match(/discount = \(face − price\) \/ face/);
    });
  });
}
