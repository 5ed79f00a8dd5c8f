import { expect } from "chai";
import { networkHelpers, deployWithFinancing, DAY_S, UNIT } from "../helpers.ts";

const FACE = 10_000n * UNIT;

describe("CreditInsurance", () => {
  async function fixture() {
    const c = await deployWithFinancing();
    const expiry = c.inv.dueDate + 60 * DAY_S;
    return { ...c, expiry };
  }
  async function covered() {
    const c = await networkHelpers.loadFixture(fixture);
    await c.insurance.connect(c.insurer).offerPolicy(c.id, 9_000, 100n * UNIT, c.expiry);
    await c.insurance.connect(c.seller).acceptPolicy(c.id);
    return c;
  }

  describe("offerPolicy and acceptPolicy", () => {
    it("the insurer escrows the covered amount; the holder pays the premium", async () => {
      const { insurance, token, insurer, seller, id, expiry, insurerAddr, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(insurance.connect(insurer).offerPolicy(id, 9_000, 100n * UNIT, expiry))
        .to.emit(insurance, "PolicyOffered")
        .withArgs(id, insurerAddr, 9_000, 100n * UNIT, expiry, 9_000n * UNIT);
      expect(await token.balanceOf(await insurance.getAddress())).to.equal(9_000n * UNIT);
      const i0 = await token.balanceOf(insurerAddr);
      await expect(insurance.connect(seller).acceptPolicy(id))
        .to.emit(insurance, "PolicyAccepted")
        .withArgs(id, sellerAddr, insurerAddr, 100n * UNIT);
      expect((await token.balanceOf(insurerAddr)) - i0).to.equal(100n * UNIT);
    });

    it("rejects a non-insurer, a second policy, bad terms and a non-holder acceptance", async () => {
      const { insurance, insurer, seller, financier, id, expiry, now, sellerAddr, finAddr, insurerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(insurance.connect(financier).offerPolicy(id, 9_000, 1n, expiry))
        .to.be.revertedWithCustomError(insurance, "InsuranceNotInsurer")
        .withArgs(finAddr);
      await expect(insurance.connect(insurer).offerPolicy(id, 10_001, 1n, expiry))
        .to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy")
        .withArgs(id, "coverageBps");
      await expect(insurance.connect(insurer).offerPolicy(id, 9_000, 1n, now - 1))
        .to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy")
        .withArgs(id, "expiry");
      await insurance.connect(insurer).offerPolicy(id, 9_000, 1n, expiry);
      await expect(insurance.connect(insurer).offerPolicy(id, 9_000, 1n, expiry))
        .to.be.revertedWithCustomError(insurance, "InsuranceAlreadyCovered")
        .withArgs(id, insurerAddr);
      await expect(insurance.connect(financier).acceptPolicy(id))
        .to.be.revertedWithCustomError(insurance, "InsuranceNotHolder")
        .withArgs(id, finAddr, sellerAddr);
      await insurance.connect(seller).acceptPolicy(id);
      await expect(insurance.connect(seller).acceptPolicy(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
    });
  });

  describe("offer and accept edge cases", () => {
    it("rejects insuring an unconfirmed receivable and accepting an expired offer", async () => {
      const { insurance, ledger, insurer, seller, id, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const { makeInvoice } = await import("../helpers.ts");
      const reg = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(reg);
      await expect(insurance.connect(insurer).offerPolicy(reg.fingerprint, 5_000, 1n, now + 10 * DAY_S))
        .to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy")
        .withArgs(reg.fingerprint, "status");
      const soon = (await networkHelpers.time.latest()) + DAY_S;
      await insurance.connect(insurer).offerPolicy(id, 5_000, 1n, soon);
      await networkHelpers.time.increaseTo(soon + 1);
      await expect(insurance.connect(seller).acceptPolicy(id)).to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy").withArgs(id, "expiry");
      await insurance.connect(insurer).release(id); // an unaccepted offer is released
    });
  });

  describe("claim", () => {
    it("pays only the covered share of what is still outstanding and returns the rest of the escrow", async () => {
      const { insurance, ledger, token, seller, buyer, financier, id, inv, insurerAddr, sellerAddr, finAddr } = await covered();
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      await ledger.connect(buyer).pay(id, 4_000n * UNIT);
      await networkHelpers.time.increaseTo(inv.dueDate + 6 * DAY_S);
      await ledger.connect(seller).markDefaulted(id);
      await expect(insurance.connect(financier).claim(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotHolder").withArgs(id, finAddr, sellerAddr);
      const i0 = await token.balanceOf(insurerAddr);
      await insurance.connect(seller).claim(id);
      const payout = (6_000n * UNIT * 9n) / 10n;
      expect((await token.balanceOf(insurerAddr)) - i0).to.equal(9_000n * UNIT - payout);
    });

    it("pays the covered share of the outstanding amount once, after default", async () => {
      const { insurance, ledger, token, seller, insurer, id, inv, sellerAddr, insurerAddr } = await covered();
      await expect(insurance.connect(seller).claim(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotClaimable").withArgs(id, 2);
      await networkHelpers.time.increaseTo(inv.dueDate + 6 * DAY_S);
      await ledger.connect(seller).markDefaulted(id);
      const s0 = await token.balanceOf(sellerAddr);
      await expect(insurance.connect(seller).claim(id))
        .to.emit(insurance, "PolicyClaimed")
        .withArgs(id, sellerAddr, insurerAddr, (FACE * 9n) / 10n);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal((FACE * 9n) / 10n);
      await expect(insurance.connect(seller).claim(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
      await insurance.connect(insurer).release(id);
      expect((await insurance.policy(id)).insurer).to.equal("0x0000000000000000000000000000000000000000");
    });
  });

  describe("subrogation after a paid claim", () => {
    async function claimed() {
      const c = await covered();
      await networkHelpers.time.increaseTo(c.inv.dueDate + 6 * DAY_S);
      await c.ledger.connect(c.seller).markDefaulted(c.id);
      await c.insurance.connect(c.seller).claim(c.id);
      return { ...c, payout: (FACE * 9n) / 10n };
    }

    it("records the insurer's subrogation on the ledger at the claim", async () => {
      const c = await covered();
      await networkHelpers.time.increaseTo(c.inv.dueDate + 6 * DAY_S);
      await c.ledger.connect(c.seller).markDefaulted(c.id);
      const insuranceAddr = await c.insurance.getAddress();
      await expect(c.insurance.connect(c.seller).claim(c.id))
        .to.emit(c.ledger, "ReceivableSubrogated")
        .withArgs(c.id, insuranceAddr, (FACE * 9n) / 10n, FACE);
      expect(await c.ledger.subrogation(c.id)).to.deep.equal([insuranceAddr, (FACE * 9n) / 10n, FACE]);
      expect(await c.insurance.subrogation(c.id)).to.deep.equal([c.insurerAddr, (FACE * 9n) / 10n, 0n]);
    });

    it("routes the insurer's share of the buyer's later payment to the insurer: the holder recovers what it was owed, not 190%", async () => {
      const { ledger, insurance, token, buyer, id, payout, sellerAddr, insurerAddr } = await claimed();
      const s0 = await token.balanceOf(sellerAddr);
      const i0 = await token.balanceOf(insurerAddr);
      const due = await ledger.amountDue(id, (await networkHelpers.time.latest()) + 1);
      const toInsurer = (due * payout + FACE - 1n) / FACE; // rounded up, for the insurer
      await expect(ledger.connect(buyer).pay(id, due * 2n))
        .to.emit(ledger, "RecoveryShared")
        .withArgs(id, await insurance.getAddress(), toInsurer, due - toInsurer)
        .and.to.emit(insurance, "SubrogationRecovered")
        .withArgs(id, insurerAddr, toInsurer, toInsurer);
      const holderLater = (await token.balanceOf(sellerAddr)) - s0;
      const insurerLater = (await token.balanceOf(insurerAddr)) - i0;
      expect(holderLater + insurerLater).to.equal(due); // value conserved: together they get what the buyer paid
      const interest = due - FACE;
      // Holder: the payout plus its 10% share; never more than the face amount plus its share of the interest.
      expect(payout + holderLater).to.be.at.most(FACE + interest);
      expect(payout + holderLater).to.be.greaterThan(FACE - 1n);
      expect(insurerLater).to.be.at.least(payout); // its 90% of the face amount, and of the late interest
      expect(await token.balanceOf(await insurance.getAddress())).to.equal(0n);
      expect((await insurance.subrogation(id)).recovered).to.equal(insurerLater);
    });

    it("shares every partial recovery pro rata", async () => {
      const { ledger, token, buyer, id, payout, sellerAddr, insurerAddr } = await claimed();
      const s0 = await token.balanceOf(sellerAddr);
      const i0 = await token.balanceOf(insurerAddr);
      let paidTotal = 0n;
      for (const amount of [1_000n * UNIT, 333n * UNIT + 1n]) {
        const taken = await ledger.connect(buyer).pay.staticCall(id, amount);
        await ledger.connect(buyer).pay(id, amount);
        paidTotal += taken;
      }
      const insurerLater = (await token.balanceOf(insurerAddr)) - i0;
      const holderLater = (await token.balanceOf(sellerAddr)) - s0;
      expect(insurerLater + holderLater).to.equal(paidTotal);
      expect(insurerLater * FACE).to.be.at.least(paidTotal * payout);
      expect(holderLater * FACE).to.be.at.most(paidTotal * (FACE - payout));
    });

    it("refuses what would cut the insurer out: a bank attestation, a credit note, a write-off; and a second subrogation", async () => {
      const { ledger, insurance, buyer, seller, operator, id } = await claimed();
      const insuranceAddr = await insurance.getAddress();
      const ref = "0x" + "11".repeat(32);
      await expect(ledger.connect(operator).attestBankPayment(id, 100n * UNIT, ref))
        .to.be.revertedWithCustomError(ledger, "LedgerSubrogated")
        .withArgs(id, insuranceAddr);
      await ledger.connect(buyer).issueCreditNote(id, 100n * UNIT, ref);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerSubrogated").withArgs(id, insuranceAddr);
      await expect(ledger.connect(seller).writeOff(id)).to.be.revertedWithCustomError(ledger, "LedgerSubrogated").withArgs(id, insuranceAddr);
      await expect(ledger.connect(seller).subrogate(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule");
    });

    it("a payment of a receivable without a claim is not shared", async () => {
      const { ledger, insurance, buyer, id } = await covered();
      await expect(ledger.connect(buyer).pay(id, FACE)).to.not.emit(ledger, "RecoveryShared");
      expect((await ledger.subrogation(id))[0]).to.equal("0x0000000000000000000000000000000000000000");
      expect((await insurance.subrogation(id)).insurer).to.equal("0x0000000000000000000000000000000000000000");
    });
  });

  describe("release", () => {
    it("returns the escrow once the receivable is paid; not before", async () => {
      const { insurance, ledger, token, insurer, buyer, seller, id, insurerAddr } = await covered();
      await expect(insurance.connect(insurer).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotReleasable").withArgs(id);
      await expect(insurance.connect(seller).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotReleasable").withArgs(id);
      await ledger.connect(buyer).pay(id, FACE);
      const i0 = await token.balanceOf(insurerAddr);
      await expect(insurance.connect(insurer).release(id))
        .to.emit(insurance, "PolicyReleased")
        .withArgs(id, insurerAddr, 9_000n * UNIT);
      expect((await token.balanceOf(insurerAddr)) - i0).to.equal(9_000n * UNIT);
      await expect(insurance.connect(insurer).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
    });
  });
});
