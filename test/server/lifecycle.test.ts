// The full lifecycle on the real ledger: dispute, cancel, split into parts, credit note issued and accepted, bank
// payment attested, partial payment, default and write-off. Every event is projected; the database ends equal to
// the chain and the API shows each state with its history.
import { expect } from "chai";
import { Contract } from "ethers";
import { keccak256, toHex } from "viem";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES } from "../../scripts/demo.ts";
import { splitPartId } from "../../common/ids.ts";
import { startEnv, api, login, addressOf, payAs, headNumber, assertDbEqualsChain, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

for (const database of DATABASES) {
  describe(`lifecycle projection (${database})`, function () {
    let env: TestEnv;
    let auditor: string;
    const ledgerAs = async (index: number) =>
      new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(index));
    const sync = async () => env.server.waitForBlock(await headNumber(env.provider));
    const show = async (id: bigint) => (await api(env.server.url, `/api/receivables/${idHex(id)}`, { token: auditor })).body;
    const demo = (then: string, seller: number) => {
      const i = DEMO_INVOICES.findIndex((x) => x.then === then && x.seller === seller);
      return { id: env.ids[i]!, inv: DEMO_INVOICES[i]! };
    };

    before(async () => {
      env = await startEnv({ database });
      auditor = await login(env.server.url, 7);
    });
    after(async () => env?.stop());

    it("projects a dispute and a cancellation", async () => {
      const { id, inv } = demo("registered", 1);
      await (await (await ledgerAs(inv.buyer)).getFunction("dispute")(id, keccak256(toHex("wrong quantity")))).wait();
      await sync();
      expect((await show(id)).status).to.equal("Disputed");
      await (await (await ledgerAs(inv.seller)).getFunction("cancel")(id)).wait();
      await sync();
      const r = await show(id);
      expect(r.status).to.equal("Cancelled");
      expect(r.events.map((e: any) => e.type)).to.deep.equal(["ReceivableRegistered", "ReceivableDisputed", "ReceivableCancelled"]);
    });

    it("refuses a squat on a future split part's id, so the split's parts are what the chain holds", async () => {
      const { id, inv } = demo("confirmed", 1);
      const now = Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
      const squat = (fingerprint: bigint) => ({
        fingerprint: idHex(fingerprint),
        documentHash: keccak256(toHex("squat")),
        buyer: addressOf(inv.buyer),
        amount: 1n,
        currency: "0x555344",
        issueDate: now - 86_400,
        dueDate: now + 86_400,
        terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
      });
      // Seller 2 (any seller) tries to take part 0's slot before the split, under the id the ledger will give it.
      const partId = splitPartId(id, 0);
      const ledger2 = await ledgerAs(2);
      const error = await ledger2
        .getFunction("register")
        .staticCall(squat(partId))
        .then(
          () => null,
          (e: any) => e,
        );
      expect(error?.revert?.name, String(error)).to.equal("LedgerReservedId");
      expect(BigInt(await (await ledgerAs(1)).getFunction("partIdOf")(id, 0))).to.equal(partId);
    });

    it("projects a split into parts with their own ids, holders and history", async () => {
      const { id, inv } = demo("confirmed", 1);
      const before = await show(id);
      const face = BigInt(before.faceAmount);
      const amounts = [face / 4n, face - face / 4n];
      await (await (await ledgerAs(inv.seller)).getFunction("split")(id, amounts, [addressOf(2), addressOf(1)])).wait();
      await sync();
      expect((await show(id)).status).to.equal("Split");
      const parts = (await api(env.server.url, `/api/receivables?limit=500`, { token: auditor })).body.items.filter((x: any) => x.parentId === idHex(id));
      expect(parts).to.have.length(2);
      expect(parts.map((p: any) => BigInt(p.faceAmount)).sort()).to.deep.equal([...amounts].sort());
      const small = parts.find((p: any) => BigInt(p.faceAmount) === amounts[0])!;
      expect(small.holder).to.equal(addressOf(2));
      expect(small.buyer).to.equal(before.buyer);
      expect(small.dueDate).to.equal(before.dueDate);
      const detail = (await api(env.server.url, `/api/receivables/${small.id}`, { token: auditor })).body;
      expect(detail.events[0].type).to.equal("ReceivableSplit");
      expect(parts.map((p: any) => p.id).sort()).to.deep.equal([0, 1].map((i) => idHex(splitPartId(id, i))).sort());
      await assertDbEqualsChain(env);
      // Seller 2 received a part: it now sees it (it holds it).
      const seller2 = await login(env.server.url, 2);
      expect((await api(env.server.url, `/api/receivables/${small.id}`, { token: seller2 })).status).to.equal(200);
      // The buyer pays part of one part.
      await payAs(env.provider, env.deployment, inv.buyer, BigInt(small.id), 1_000_000n);
      await sync();
      expect(BigInt((await api(env.server.url, `/api/receivables/${small.id}`, { token: auditor })).body.paid)).to.be.greaterThan(0n);
    });

    it("projects a credit note issued by the buyer and accepted by the holder", async () => {
      const { id, inv } = demo("confirmed", 2);
      const face = BigInt((await show(id)).faceAmount);
      const buyer = await ledgerAs(inv.buyer);
      const rc = await (await buyer.getFunction("issueCreditNote")(id, 5_000_000n, keccak256(toHex("damaged")))).wait();
      const issued = rc.logs
        .map((l: any) => {
          try {
            return buyer.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((x: any) => x?.name === "CreditNoteIssued");
      await sync();
      expect(BigInt((await show(id)).faceAmount)).to.equal(face);
      await (await (await ledgerAs(inv.seller)).getFunction("acceptCreditNote")(id, issued!.args.noteId)).wait();
      await sync();
      const r = await show(id);
      expect(BigInt(r.faceAmount)).to.equal(face - 5_000_000n);
      expect(r.events.map((e: any) => e.type)).to.include.members(["CreditNoteIssued", "CreditNoteAccepted"]);
    });

    it("projects a bank payment attested by the operator", async () => {
      const { id } = demo("confirmed", 2);
      const before = await show(id);
      await (await (await ledgerAs(0)).getFunction("attestBankPayment")(id, 2_000_000n, keccak256(toHex("BANKREF-1")))).wait();
      await sync();
      const r = await show(id);
      expect(BigInt(r.paid)).to.be.greaterThan(BigInt(before.paid));
      expect(r.events.at(-1).type).to.equal("BankPaymentAttested");
    });

    it("projects default and write-off after maturity", async () => {
      const { id, inv } = demo("confirmed", 2);
      await env.provider.send("evm_increaseTime", [200 * 86_400]);
      await env.provider.send("evm_mine", []);
      await (await (await ledgerAs(inv.seller)).getFunction("markDefaulted")(id)).wait();
      await sync();
      expect((await show(id)).status).to.equal("Defaulted");
      await (await (await ledgerAs(inv.seller)).getFunction("writeOff")(id)).wait();
      await sync();
      expect((await show(id)).status).to.equal("WrittenOff");
    });

    it("ends with the database equal to the chain (events, receivables, aggregates, members)", async () => {
      await sync();
      await assertDbEqualsChain(env);
    });
  });
}
