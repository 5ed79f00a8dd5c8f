// Recourse and credit insurance through the API: a receivable sold with recourse and insured defaults; the
// recourse claim is visible to everyone who may see the receivable, the insurance claim pays out once, the
// seller repurchases, and the buyer's credit profile shows the default.
import { expect } from "chai";
import { Contract } from "ethers";
import { factoringMarketAbi, creditInsuranceAbi, settlementTokenAbi, receivableLedgerAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { OFFER_TYPES } from "../../server/financing/chain.ts";
import { startEnv, api, login, account, addressOf, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const UNIT = 1_000_000n;
import { DAY_S } from "../../common/units.ts";

for (const database of DATABASES) {
  describe(`recourse and insurance through the API (${database})`, function () {
    let env: TestEnv;
    let id: bigint;
    const tokens = new Map<number, string>();
    const t = (i: number) => tokens.get(i)!;
    const insurer = DEMO_ACCOUNTS.insurer;
    const auditor = DEMO_ACCOUNTS.auditor;
    const price = 115_000n * UNIT;
    const face = 125_000n * UNIT;
    const now = async () => Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    const contract = async (address: string, abi: unknown, index: number) => new Contract(address, abi as any, await env.provider.getSigner(index));

    before(async function () {
      env = await startEnv({ database });
      for (const i of [0, 1, 2, 3, 5, 6, auditor, insurer]) tokens.set(i, await login(env.server.url, i));
      id = env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "INV-2026-0001")]!;
      const token0 = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, 0);
      await (await token0.getFunction("mint")(addressOf(insurer), 1_000_000n * UNIT)).wait();
    });
    after(async () => env?.stop());

    it("an insured listing shows its policy in the marketplace", async () => {
      const market = await contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi, 1);
      await (await market.getFunction("list")(id, 100_000n * UNIT, (await now()) + 7 * DAY_S, true, 1_000)).wait();
      const ins = await contract(env.deployment.contracts.CreditInsurance!, creditInsuranceAbi, insurer);
      const tokenI = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, insurer);
      await (await tokenI.getFunction("approve")(env.deployment.contracts.CreditInsurance, face)).wait();
      await (await ins.getFunction("offerPolicy")(id, 8_000, 1_000n * UNIT, (await now()) + 200 * DAY_S)).wait();
      await waitForHead(env);
      const m = await api(env.server.url, "/api/financing/marketplace", { token: t(5) });
      const item = m.body.items.find((x: any) => x.receivable.id === idHex(id));
      expect(item.insurance).to.have.length(1);
      expect(item.insurance[0]).to.include({
        insurer: addressOf(insurer),
        coverageBps: 8_000,
        premium: (1_000n * UNIT).toString(),
        status: "offered",
        escrow: ((face * 8_000n) / 10_000n).toString(),
      });
    });

    it("sold with recourse, insured by the new holder, defaulted: recourse claim and insurance claim are visible", async () => {
      const nonce = 7n;
      const expiry = (await now()) + DAY_S;
      const signature = await account(5).signTypedData({
        domain: {
          name: "FactoringMarket",
          version: "1",
          chainId: env.deployment.chainId,
          verifyingContract: env.deployment.contracts.FactoringMarket as `0x${string}`,
        },
        types: OFFER_TYPES,
        primaryType: "Offer",
        message: { id, listing: 0, financier: account(5).address, price, nonce, expiry: BigInt(expiry) },
      });
      const posted = await api(env.server.url, "/api/financing/offers", {
        method: "POST",
        token: t(5),
        body: { kind: "factoring", receivableId: idHex(id), price: price.toString(), nonce: "7", expiry, signature },
      });
      expect(posted.status, JSON.stringify(posted.body)).to.equal(201);
      const token5 = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, 5);
      await (await token5.getFunction("approve")(env.deployment.contracts.FactoringMarket, price)).wait();
      await (await token5.getFunction("approve")(env.deployment.contracts.CreditInsurance, 1_000n * UNIT)).wait();
      const market = await contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi, 1);
      await (
        await market.getFunction("acceptOffer")({ id, listing: 0, financier: account(5).address, price, nonce, expiry: BigInt(expiry) }, signature)
      ).wait();
      const ins5 = await contract(env.deployment.contracts.CreditInsurance!, creditInsuranceAbi, 5);
      await waitForHead(env);
      // The live stream tells the holder about a change that only the financing modules log (policy accepted).
      const ctrl = new AbortController();
      const res = await fetch(`${env.server.url}/api/stream`, { headers: { authorization: `Bearer ${t(5)}` }, signal: ctrl.signal });
      const reader = res.body!.getReader();
      let text = "";
      const read = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
          if (text.includes(idHex(id))) return;
        }
      })().catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      await (await ins5.getFunction("acceptPolicy")(id)).wait();
      await Promise.race([read, new Promise((r) => setTimeout(r, 10_000))]);
      ctrl.abort();
      expect(text, "stream").to.include(idHex(id));
      // 60 days later the buyer has not paid: the holder marks it defaulted and claims recourse and insurance.
      await env.provider.send("evm_increaseTime", [60 * DAY_S]);
      await env.provider.send("evm_mine", []);
      const ledger5 = await contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi, 5);
      await (await ledger5.getFunction("markDefaulted")(id)).wait();
      const market5 = await contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi, 5);
      await (await market5.getFunction("claimRecourse")(id)).wait();
      await (await ins5.getFunction("claim")(id)).wait();
      await waitForHead(env);

      // Everyone who may see the receivable sees the unpaid recourse claim: its seller, its buyer, the holder, auditors.
      for (const i of [1, 3, 5, auditor]) {
        const r = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(i) });
        expect(r.status, `viewer ${i}`).to.equal(200);
        expect(r.body.receivable.status).to.equal("Defaulted");
        const sale = r.body.sales[0];
        expect(sale.recourse.status).to.equal("claimed");
        // price + price × 10% × 60/365 (whole days), less the insurer's payout: the insurance proceeds are credited
        // to the seller (FactoringMarket.recourseDue), so the financier does not recover twice.
        const payout = (face * 8_000n) / 10_000n;
        expect(sale.recourse.amount).to.equal((price + (price * 1_000n * 60n) / (10_000n * 365n) - payout).toString());
        expect(r.body.policies[0]).to.include({ status: "claimed", holder: addressOf(5), payout: ((face * 8_000n) / 10_000n).toString() });
      }
      // The insurer is a party of the policy: it sees the record too; another financier and seller do not.
      expect((await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(insurer) })).status).to.equal(200);
      expect((await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(6) })).status).to.equal(404);
      expect((await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(2) })).status).to.equal(404);

      const pf = await api(env.server.url, "/api/financing/portfolio/financier", { token: t(5) });
      expect(pf.body.totals.overdueCount, JSON.stringify(pf.body)).to.equal(1);
      expect(pf.body.holdings[0]).to.include({ overdue: true });
      expect(pf.body.holdings[0].daysOverdue).to.be.within(19, 21);
      // One definition of overdue (issue 9, item 19): the buyer's list and the receivable's page say what the
      // financier's portfolio says, judged at the chain's time (by the wall clock the due date is still ahead).
      const asBuyer = await api(env.server.url, `/api/receivables?buyer=${addressOf(3)}&limit=500`, { token: t(3) });
      const listed = asBuyer.body.items.find((x: any) => x.id === idHex(id));
      expect(new Date(listed.dueDate).getTime()).to.be.greaterThan(Date.now());
      expect(listed).to.include({ overdue: true, daysOverdue: pf.body.holdings[0].daysOverdue });
      const detail = await api(env.server.url, `/api/receivables/${idHex(id)}`, { token: t(3) });
      expect(detail.body).to.include({ overdue: true, daysOverdue: pf.body.holdings[0].daysOverdue });
      for (const x of asBuyer.body.items.filter((x: any) => x.status === "Paid" || x.status === "Cancelled"))
        expect(x, x.id).to.include({ overdue: false, daysOverdue: 0 });

      const profile = await api(env.server.url, `/api/credit/profiles/${addressOf(3)}`, { token: t(5) });
      expect(profile.body.defaults).to.equal(1);
      expect(profile.body.tier).to.equal("C");
      expect(profile.body.reasons.join(" ")).to.match(/defaulted/);
    });

    it("the seller repurchases: the claim is settled and the receivable returns to the seller", async () => {
      const r0 = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(1) });
      const amount = BigInt(r0.body.sales[0].recourse.amount);
      const token1 = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, 3);
      // Seller 1 has no tokens in the demo: the buyer (a core enterprise) funds it.
      await (await token1.getFunction("transfer")(addressOf(1), amount)).wait();
      const t1 = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, 1);
      await (await t1.getFunction("approve")(env.deployment.contracts.FactoringMarket, amount)).wait();
      const market = await contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi, 1);
      const token0 = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, 0);
      const f0 = BigInt(await token0.getFunction("balanceOf")(addressOf(5)));
      await (await market.getFunction("repurchase")(id)).wait();
      await waitForHead(env);
      // The financier got the insurer's payout and now the rest: together the recourse amount, once.
      const gross = price + (price * 1_000n * 60n) / (10_000n * 365n);
      expect(BigInt(await token0.getFunction("balanceOf")(addressOf(5))) - f0).to.equal(amount);
      expect(amount + (face * 8_000n) / 10_000n).to.equal(gross);
      const r = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(1) });
      expect(r.body.sales[0].recourse).to.include({ status: "settled", amount: amount.toString() });
      expect(r.body.receivable.holder).to.equal(addressOf(1));
      expect(r.body.receivable.lockedBy).to.equal(null);
      const sp = await api(env.server.url, "/api/financing/portfolio/seller", { token: t(1) });
      expect(sp.body.factoring.sales[0]).to.include({ recourse: "settled", recourseAmount: amount.toString() });
    });

    it("after the insurer paid its claim, the buyer's late payment is shared: the insurer is subrogated for its share", async () => {
      const token = async (i: number) => contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, i);
      const balance = async (i: number) => BigInt(await (await token(0)).getFunction("balanceOf")(addressOf(i)));
      const payout = (face * 8_000n) / 10_000n; // what the insurer paid; nothing had been paid: face was outstanding
      const before = { buyer: await balance(3), insurer: await balance(insurer), holder: await balance(1) };
      const offer = face * 2n; // more than is due with late interest: the rest is refunded
      await (await (await token(3)).getFunction("approve")(env.deployment.contracts.ReceivableLedger, offer)).wait();
      await (await (await contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi, 3)).getFunction("pay")(id, offer)).wait();
      await waitForHead(env);
      const taken = before.buyer - (await balance(3));
      const toInsurer = (taken * payout + face - 1n) / face; // ceil(taken × paid / outstanding at the claim)
      expect(taken).to.be.greaterThan(face); // face plus late interest
      expect((await balance(insurer)) - before.insurer).to.equal(toInsurer);
      expect((await balance(1)) - before.holder).to.equal(taken - toInsurer);
      // The holder never recovers more than it was owed: the claim payout plus its share is at most what was due.
      expect(payout + (taken - toInsurer)).to.be.at.most(taken);
      const r = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(insurer) });
      expect(r.body.receivable.status).to.equal("Paid");
      expect(r.body.policies[0]).to.include({ status: "claimed", payout: payout.toString(), recovered: toInsurer.toString() });
      const history = (await api(env.server.url, `/api/receivables/${idHex(id)}`, { token: t(auditor) })).body.events.map((e: any) => e.type);
      expect(history).to.include.members(["ReceivableSubrogated", "RecoveryShared"]);
    });
  });
}
