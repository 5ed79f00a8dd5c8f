import { expect } from "chai";
import { networkHelpers, deployWithFinancing, signTyped, LOAN_OFFER_TYPES, Status, DAY_S, UNIT } from "../helpers.ts";

const FACE = 10_000n * UNIT;
const ZERO = "0x0000000000000000000000000000000000000000";

describe("PledgeLoans", () => {
  async function fixture() {
    const c = await deployWithFinancing();
    const loansAddr = await c.loans.getAddress();
    const offer = { id: c.id, lender: c.finAddr, advanceBps: 8_000, rateBps: 1_000, nonce: 1n, expiry: BigInt(c.now + DAY_S) };
    const sig = await signTyped(c.financier, "PledgeLoans", loansAddr, LOAN_OFFER_TYPES, offer);
    return { ...c, loansAddr, offer, sig };
  }
  async function opened() {
    const c = await networkHelpers.loadFixture(fixture);
    await c.loans.connect(c.seller).openLoan(c.offer, c.sig);
    return c;
  }

  describe("openLoan", () => {
    it("advances 80% of the outstanding amount to the holder and locks the receivable", async () => {
      const { loans, ledger, token, seller, id, offer, sig, sellerAddr, finAddr, loansAddr } = await networkHelpers.loadFixture(fixture);
      const s0 = await token.balanceOf(sellerAddr);
      await expect(loans.connect(seller).openLoan(offer, sig))
        .to.emit(loans, "LoanOpened")
        .withArgs(id, sellerAddr, finAddr, 8_000n * UNIT, 1_000, 1n);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal(8_000n * UNIT);
      expect((await ledger.receivable(id)).lockedBy).to.equal(loansAddr);
      expect(await loans.owed(id)).to.equal(8_000n * UNIT);
    });

    it("a pledged receivable cannot be transferred, split, sold or pledged again", async () => {
      const { loans, ledger, market, seller, financier, id, offer, sig, finAddr, sellerAddr, loansAddr, now } = await opened();
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerLocked").withArgs(id, loansAddr);
      await expect(ledger.connect(seller).split(id, [1n, FACE - 1n], [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerLocked")
        .withArgs(id, loansAddr);
      await expect(market.connect(seller).list(id, 1n, now + DAY_S, false, 0))
        .to.be.revertedWithCustomError(ledger, "LedgerLocked")
        .withArgs(id, loansAddr);
      const again = { ...offer, nonce: 2n };
      await expect(loans.connect(seller).openLoan(again, await signTyped(financier, "PledgeLoans", loansAddr, LOAN_OFFER_TYPES, again)))
        .to.be.revertedWithCustomError(ledger, "LedgerLocked")
        .withArgs(id, loansAddr);
      await expect(loans.connect(seller).openLoan(offer, sig)).to.be.revertedWithCustomError(loans, "LoanOfferUsed").withArgs(finAddr, 1n);
    });

    it("rejects an expired offer, a bad advance, a non-financier lender and a bad signature", async () => {
      const { loans, seller, financier, id, offer, sig, loansAddr, finAddr, sellerAddr } = await networkHelpers.loadFixture(fixture);
      const bad = { ...offer, advanceBps: 10_001, nonce: 5n };
      await expect(loans.connect(seller).openLoan(bad, sig)).to.be.revertedWithCustomError(loans, "LoanInvalidOffer").withArgs(id, "advanceBps");
      const notLender = { ...offer, lender: sellerAddr };
      await expect(loans.connect(seller).openLoan(notLender, sig)).to.be.revertedWithCustomError(loans, "LoanInvalidOffer").withArgs(id, "lender");
      const other = { ...offer, nonce: 7n };
      await expect(loans.connect(seller).openLoan(other, sig)).to.be.revertedWithCustomError(loans, "LoanInvalidSignature").withArgs(id, finAddr);
      await loans.connect(financier).cancelOffer(9n);
      const cancelled = { ...offer, nonce: 9n };
      await expect(loans.connect(seller).openLoan(cancelled, await signTyped(financier, "PledgeLoans", loansAddr, LOAN_OFFER_TYPES, cancelled)))
        .to.be.revertedWithCustomError(loans, "LoanOfferUsed")
        .withArgs(finAddr, 9n);
      await networkHelpers.time.increaseTo(Number(offer.expiry) + 1);
      await expect(loans.connect(seller).openLoan(offer, sig)).to.be.revertedWithCustomError(loans, "LoanOfferExpired").withArgs(id, offer.expiry);
    });
  });

  describe("waterfall", () => {
    it("the buyer's payment repays the lender first, the surplus goes to the holder, and unlocks", async () => {
      const { loans, ledger, token, buyer, id, sellerAddr, finAddr, inv } = await opened();
      await networkHelpers.time.increaseTo(inv.issueDate + 30 * DAY_S);
      const owedNow = 8_000n * UNIT + (8_000n * UNIT * 1_000n * 24n) / (10_000n * 365n); // 24 whole days (opened just after `now`) at 10%
      const [s0, f0] = [await token.balanceOf(sellerAddr), await token.balanceOf(finAddr)];
      await expect(ledger.connect(buyer).pay(id, FACE))
        .to.emit(loans, "LoanRepayment")
        .withArgs(id, finAddr, owedNow, FACE - owedNow, 0n);
      expect((await token.balanceOf(finAddr)) - f0).to.equal(owedNow);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal(FACE - owedNow);
      expect(await token.balanceOf(await loans.getAddress())).to.equal(0n);
      const v = await ledger.receivable(id);
      expect(v.status).to.equal(Status.Paid);
      expect(v.lockedBy).to.equal(ZERO);
    });

    it("a partial payment below the debt all goes to the lender; the loan stays open", async () => {
      const { loans, ledger, token, buyer, id, finAddr, inv } = await opened();
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      const f0 = await token.balanceOf(finAddr);
      await ledger.connect(buyer).pay(id, 3_000n * UNIT);
      expect((await token.balanceOf(finAddr)) - f0).to.equal(3_000n * UNIT);
      // 5 whole days of interest at 10% on 8,000 are settled first; the rest reduces the principal.
      const left = 8_000n * UNIT + (8_000n * UNIT * 1_000n * 5n) / (10_000n * 365n) - 3_000n * UNIT;
      expect((await loans.loan(id)).principal).to.equal(left);
      expect(await loans.owed(id)).to.equal(left);
      expect(await loans.lenderOf(id)).to.equal(finAddr);
      expect((await ledger.receivable(id)).lockedBy).to.equal(await loans.getAddress());
      await expect(loans.onReceivablePayment(id, finAddr, 1n, 0n)).to.be.revertedWithCustomError(loans, "LoanOnlyLedger");
    });
  });

  describe("repay", () => {
    it("the borrower repays early and the receivable unlocks", async () => {
      const { loans, ledger, token, seller, id, finAddr } = await opened();
      const f0 = await token.balanceOf(finAddr);
      await expect(loans.connect(seller).repay(id)).to.emit(loans, "LoanClosed").withArgs(id, finAddr);
      expect((await token.balanceOf(finAddr)) - f0).to.equal(8_000n * UNIT);
      expect((await ledger.receivable(id)).lockedBy).to.equal(ZERO);
      await expect(loans.connect(seller).repay(id)).to.be.revertedWithCustomError(loans, "LoanNone").withArgs(id);
    });
  });

  describe("shortfall", () => {
    it("a 100% advance with interest leaves a shortfall when the receivable is paid: unlocked, still owed, not seizable", async () => {
      const { loans, ledger, seller, buyer, financier, id, offer, loansAddr, finAddr, inv } = await networkHelpers.loadFixture(fixture);
      const full = { ...offer, advanceBps: 10_000, nonce: 11n };
      await loans.connect(seller).openLoan(full, await signTyped(financier, "PledgeLoans", loansAddr, LOAN_OFFER_TYPES, full));
      expect(await loans.isNonceUsed(finAddr, 11n)).to.equal(true);
      await networkHelpers.time.increaseTo(inv.issueDate + 30 * DAY_S);
      await ledger.connect(buyer).pay(id, FACE);
      expect((await ledger.receivable(id)).lockedBy).to.equal(ZERO);
      expect(await loans.owed(id)).to.be.greaterThan(0n);
      await expect(loans.connect(financier).seize(id)).to.be.revertedWithCustomError(loans, "LoanNotDefaulted").withArgs(id, Status.Paid);
      await loans.connect(seller).repay(id);
      expect(await loans.owed(id)).to.equal(0n);
    });

    it("rejects an advance that rounds to nothing", async () => {
      const { loans, ledger, seller, buyer, financier, loansAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const { makeInvoice } = await import("../helpers.ts");
      const tiny = makeInvoice(buyerAddr, now, { amount: 1n });
      await ledger.connect(seller).register(tiny);
      await ledger.connect(buyer).confirm(tiny.fingerprint);
      const o = { id: BigInt(tiny.fingerprint), lender: await financier.getAddress(), advanceBps: 1, rateBps: 0, nonce: 12n, expiry: BigInt(now + DAY_S) };
      await expect(loans.connect(seller).openLoan(o, await signTyped(financier, "PledgeLoans", loansAddr, LOAN_OFFER_TYPES, o)))
        .to.be.revertedWithCustomError(loans, "LoanInvalidOffer")
        .withArgs(o.id, "principal");
    });
  });

  describe("bank payment while pledged", () => {
    it("an attested off-chain payment in full releases the receivable; the loan stays owed", async () => {
      const { loans, ledger, id, finAddr } = await opened();
      const ref = "0x" + "ab".repeat(32);
      await expect(ledger.attestBankPayment(id, (FACE * 98n) / 100n, ref))
        .to.emit(loans, "LoanRepayment")
        .withArgs(id, finAddr, 0n, 0n, 8_000n * UNIT);
      const v = await ledger.receivable(id);
      expect(v.status).to.equal(Status.Paid);
      expect(v.lockedBy).to.equal(ZERO);
      expect(await loans.owed(id)).to.equal(8_000n * UNIT);
    });
  });

  describe("seize", () => {
    it("on default the lender takes the receivable", async () => {
      const { loans, ledger, seller, financier, id, finAddr, sellerAddr, inv } = await opened();
      await expect(loans.connect(seller).seize(id)).to.be.revertedWithCustomError(loans, "LoanNotLender").withArgs(id, sellerAddr, finAddr);
      await expect(loans.connect(financier).seize(id)).to.be.revertedWithCustomError(ledger, "LedgerNotOverdue");
      await networkHelpers.time.increaseTo(inv.dueDate + 6 * DAY_S);
      await expect(loans.connect(financier).seize(id)).to.emit(loans, "CollateralSeized");
      const v = await ledger.receivable(id);
      expect(v.holder).to.equal(finAddr);
      expect(v.status).to.equal(Status.Defaulted);
      expect(v.lockedBy).to.equal(ZERO);
      await expect(loans.connect(financier).seize(id)).to.be.revertedWithCustomError(loans, "LoanNone").withArgs(id);
    });
  });
});
