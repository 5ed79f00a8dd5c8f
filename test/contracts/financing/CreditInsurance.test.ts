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
      await expect(insurance.connect(seller).acceptPolicy(id)).to.emit(insurance, "PolicyAccepted").withArgs(id, sellerAddr, insurerAddr, 100n * UNIT);
      expect((await token.balanceOf(insurerAddr)) - i0).to.equal(100n * UNIT);
    });

    it("rejects a non-insurer, a second policy, bad terms and a non-holder acceptance", async () => {
      const { insurance, insurer, seller, financier, id, expiry, now, sellerAddr, finAddr, insurerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(insurance.connect(financier).offerPolicy(id, 9_000, 1n, expiry)).to.be.revertedWithCustomError(insurance, "InsuranceNotInsurer").withArgs(finAddr);
      await expect(insurance.connect(insurer).offerPolicy(id, 10_001, 1n, expiry)).to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy").withArgs(id, "coverageBps");
      await expect(insurance.connect(insurer).offerPolicy(id, 9_000, 1n, now - 1)).to.be.revertedWithCustomError(insurance, "InsuranceInvalidPolicy").withArgs(id, "expiry");
      await insurance.connect(insurer).offerPolicy(id, 9_000, 1n, expiry);
      await expect(insurance.connect(insurer).offerPolicy(id, 9_000, 1n, expiry)).to.be.revertedWithCustomError(insurance, "InsuranceAlreadyCovered").withArgs(id, insurerAddr);
      await expect(insurance.connect(financier).acceptPolicy(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotHolder").withArgs(id, finAddr, sellerAddr);
      await insurance.connect(seller).acceptPolicy(id);
      await expect(insurance.connect(seller).acceptPolicy(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
    });
  });

  describe("claim", () => {
    it("pays the covered share of the outstanding amount once, after default", async () => {
      const { insurance, ledger, token, seller, insurer, id, inv, sellerAddr, insurerAddr } = await covered();
      await expect(insurance.connect(seller).claim(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotClaimable").withArgs(id, 2);
      await networkHelpers.time.increaseTo(inv.dueDate + 6 * DAY_S);
      await ledger.connect(seller).markDefaulted(id);
      const s0 = await token.balanceOf(sellerAddr);
      await expect(insurance.connect(seller).claim(id)).to.emit(insurance, "PolicyClaimed").withArgs(id, sellerAddr, insurerAddr, (FACE * 9n) / 10n);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal((FACE * 9n) / 10n);
      await expect(insurance.connect(seller).claim(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
      await insurance.connect(insurer).release(id);
      expect((await insurance.policy(id)).insurer).to.equal("0x0000000000000000000000000000000000000000");
    });
  });

  describe("release", () => {
    it("returns the escrow once the receivable is paid; not before", async () => {
      const { insurance, ledger, token, insurer, buyer, seller, id, insurerAddr } = await covered();
      await expect(insurance.connect(insurer).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotReleasable").withArgs(id);
      await expect(insurance.connect(seller).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNotReleasable").withArgs(id);
      await ledger.connect(buyer).pay(id, FACE);
      const i0 = await token.balanceOf(insurerAddr);
      await expect(insurance.connect(insurer).release(id)).to.emit(insurance, "PolicyReleased").withArgs(id, insurerAddr, 9_000n * UNIT);
      expect((await token.balanceOf(insurerAddr)) - i0).to.equal(9_000n * UNIT);
      await expect(insurance.connect(insurer).release(id)).to.be.revertedWithCustomError(insurance, "InsuranceNoPolicy").withArgs(id);
    });
  });
});
