// Every financing and credit endpoint with every role and with no session: exactly who may see and do what.
import { expect } from "chai";
import { Contract } from "ethers";
import { factoringMarketAbi, pledgeLoansAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { OFFER_TYPES, LOAN_OFFER_TYPES } from "../../server/financing/chain.ts";
import { startEnv, api, login, account, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const DAY_S = 86_400;
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
    async function factoringBody(index: number, id: string, price: bigint) {
      const n = nonce++;
      const expiry = (await now()) + 2 * DAY_S;
      const signature = await account(index).signTypedData({
        domain: { name: "FactoringMarket", version: "1", chainId: env.deployment.chainId, verifyingContract: env.deployment.contracts.FactoringMarket as `0x${string}` },
        types: OFFER_TYPES,
        primaryType: "Offer",
        message: { id: BigInt(id), financier: account(index).address, price, nonce: n, expiry: BigInt(expiry) },
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
        const r = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(f), body: await factoringBody(f, auction, (110_000n + BigInt(f)) * UNIT) });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        bids.set(f, r.body.id);
      }
      // Financier 5 lends to seller 2 against BP-77120.
      const n = nonce++;
      const expiry = (await now()) + 2 * DAY_S;
      const signature = await account(5).signTypedData({
        domain: { name: "PledgeLoans", version: "1", chainId: env.deployment.chainId, verifyingContract: env.deployment.contracts.PledgeLoans as `0x${string}` },
        types: LOAN_OFFER_TYPES,
        primaryType: "LoanOffer",
        message: { id: BigInt(pledged), lender: account(5).address, advanceBps: 5_000, rateBps: 800, nonce: n, expiry: BigInt(expiry) },
      });
      const lo = await api(env.server.url, "/api/financing/offers", { method: "POST", token: tokens.get(5), body: { kind: "loan", receivableId: pledged, advanceBps: 5_000, rateBps: 800, nonce: n.toString(), expiry, signature } });
      expect(lo.status, JSON.stringify(lo.body)).to.equal(201);
      const token5 = new Contract(env.deployment.contracts.SettlementToken, settlementTokenAbi as any, await env.provider.getSigner(5));
      await (await token5.getFunction("approve")(env.deployment.contracts.PledgeLoans, 10n ** 30n)).wait();
      const loans = new Contract(env.deployment.contracts.PledgeLoans!, pledgeLoansAbi as any, await env.provider.getSigner(2));
      const o = lo.body.onChain.offer;
      await (await loans.getFunction("openLoan")({ id: BigInt(o.id), lender: o.lender, advanceBps: o.advanceBps, rateBps: o.rateBps, nonce: BigInt(o.nonce), expiry: BigInt(o.expiry) }, lo.body.signature)).wait();
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
          // Who may see the receivable: its seller (1), its buyer (3), financiers (listed), auditors.
          if (!is(1, 3, ...FINANCIERS, DEMO_ACCOUNTS.auditor)) return expect(r.status).to.equal(404);
          expect(r.status).to.equal(200);
          const open = r.body.items.filter((o: any) => o.state === "open").map((o: any) => o.id);
          if (is(1)) expect(open).to.deep.equal([bids.get(6), bids.get(5)]); // ranked by price
          else if (is(...FINANCIERS)) expect(open).to.deep.equal([bids.get(a.index!)]);
          else expect(r.body.items).to.deep.equal([]);
          // Loan offers on the pledged receivable: the holder (borrower) and the lender see it.
          const l = await api(env.server.url, `/api/financing/receivables/${pledged}/offers?kind=loan`, { token: token() });
          if (!is(2, 3, 5, DEMO_ACCOUNTS.auditor)) return expect(l.status).to.equal(404);
          expect(l.status).to.equal(200);
          expect(l.body.items.length, "loan offers seen").to.equal(is(2, 5, DEMO_ACCOUNTS.auditor) ? 1 : 0);
        });

        it("POST /api/financing/offers/:offerId/withdraw: only the bidder", async () => {
          const r = await api(env.server.url, `/api/financing/offers/${bids.get(6)}/withdraw`, { method: "POST", token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          // Financier 6 would withdraw its bid: checked without doing it (an unknown id is 404 for it too).
          if (is(6)) {
            const unknown = await api(env.server.url, "/api/financing/offers/00000000-0000-4000-8000-000000000000/withdraw", { method: "POST", token: token() });
            return expect(unknown.status).to.equal(404);
          }
          expect(r.status).to.equal(404);
        });

        it("GET /api/financing/receivables/:id: who may see the receivable and the parties of its financing", async () => {
          const r = await api(env.server.url, `/api/financing/receivables/${auction}`, { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(1, 3, ...FINANCIERS, DEMO_ACCOUNTS.auditor)) return expect(r.status).to.equal(404);
          expect(r.status).to.equal(200);
          expect(r.body.listings[0].lister).to.equal(addressOf(1));
          const p = await api(env.server.url, `/api/financing/receivables/${pledged}`, { token: token() });
          // Pledged: seller 2 (holder), buyer 3, lender 5, auditors.
          if (!is(2, 3, 5, DEMO_ACCOUNTS.auditor)) return expect(p.status).to.equal(404);
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
          const r = await api(env.server.url, `/api/credit/limits/${addressOf(3)}`, { method: "PUT", token: token(), body: { limit: (1_000_000n * UNIT).toString() } });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (!is(DEMO_ACCOUNTS.operator)) return expect(r.status).to.equal(403);
          expect(r.status).to.equal(200);
          expect(r.body.limit).to.equal((1_000_000n * UNIT).toString());
        });
      });
    }

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
