import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { networkHelpers, deployConsortium, addressesOf, makeInvoice, Status, DAY_S, UNIT, NO_TERMS } from "./helpers.ts";

const FACE = 10_000n * UNIT;
/** 12% a year, actual/365, on the full face for `days` whole days. */
const interest = (outstanding: bigint, days: number) => (outstanding * 1200n * BigInt(days)) / (10_000n * 365n);

describe("ReceivableLedger: payment", () => {
  async function fixture() {
    const c = await deployConsortium();
    const [sellerAddr, buyerAddr, operatorAddr] = await addressesOf(c.seller, c.buyer, c.operator);
    const inv = makeInvoice(buyerAddr, c.now); // issued 5 days ago, due in 40, 2/10, 12% late after 5 days grace
    await c.ledger.connect(c.seller).register(inv);
    await c.ledger.connect(c.buyer).confirm(inv.fingerprint);
    const id = BigInt(inv.fingerprint);
    const lateFrom = inv.dueDate + 5 * DAY_S;
    return { ...c, sellerAddr, buyerAddr, operatorAddr, inv, id, lateFrom };
  }

  const balances = async <const T extends readonly string[]>(token: any, ...who: T) =>
    (await Promise.all(who.map((w) => token.balanceOf(w) as Promise<bigint>))) as { -readonly [K in keyof T]: bigint };

  describe("pay", () => {
    it("settles in full inside the discount window for 98% and never takes the overpayment", async () => {
      const { ledger, token, buyer, id, sellerAddr, buyerAddr } = await networkHelpers.loadFixture(fixture);
      const [s0, b0] = await balances(token, sellerAddr, buyerAddr);
      const due = (FACE * 9_800n) / 10_000n;
      await expect(ledger.connect(buyer).pay(id, FACE))
        .to.emit(ledger, "ReceivablePaid")
        .withArgs(id, buyerAddr, sellerAddr, due, FACE, 0n, 0n, FACE - due);
      const [s1, b1] = await balances(token, sellerAddr, buyerAddr);
      expect(s1 - s0).to.equal(due);
      expect(b0 - b1).to.equal(due);
      const v = await ledger.receivable(id);
      expect(v.status).to.equal(Status.Paid);
      expect(v.paid).to.equal(FACE);
      expect(await token.balanceOf(await ledger.getAddress())).to.equal(0n);
    });

    it("returns what it took", async () => {
      const { ledger, buyer, id } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.connect(buyer).pay.staticCall(id, 2n * FACE)).to.equal((FACE * 9_800n) / 10_000n);
    });

    it("a partial payment inside the window settles amount / 98%", async () => {
      const { ledger, buyer, id, sellerAddr, buyerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(buyer).pay(id, 4_900n * UNIT))
        .to.emit(ledger, "ReceivablePaid")
        .withArgs(id, buyerAddr, sellerAddr, 4_900n * UNIT, 5_000n * UNIT, 0n, 5_000n * UNIT, 0n);
      expect((await ledger.receivable(id)).paid).to.equal(5_000n * UNIT);
    });

    it("accepts partial payments at face value after the window, then settles the rest", async () => {
      const { ledger, buyer, id, sellerAddr, buyerAddr, inv } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      await expect(ledger.connect(buyer).pay(id, 3_000n * UNIT))
        .to.emit(ledger, "ReceivablePaid")
        .withArgs(id, buyerAddr, sellerAddr, 3_000n * UNIT, 3_000n * UNIT, 0n, 7_000n * UNIT, 0n);
      expect((await ledger.receivable(id)).status).to.equal(Status.Confirmed);
      await ledger.connect(buyer).pay(id, 8_000n * UNIT);
      const v = await ledger.receivable(id);
      expect(v.status).to.equal(Status.Paid);
      expect(v.paid).to.equal(FACE);
    });

    it("adds late interest (actual/365, simple) after the grace period", async () => {
      const { ledger, token, buyer, id, sellerAddr, buyerAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      const t = lateFrom + 10 * DAY_S + 100;
      expect(await ledger.amountDue(id, t)).to.equal(FACE + interest(FACE, 10));
      await networkHelpers.time.setNextBlockTimestamp(t);
      const [s0] = await balances(token, sellerAddr);
      await expect(ledger.connect(buyer).pay(id, 2n * FACE))
        .to.emit(ledger, "ReceivablePaid")
        .withArgs(id, buyerAddr, sellerAddr, FACE + interest(FACE, 10), FACE, interest(FACE, 10), 0n, FACE - interest(FACE, 10));
      const [s1] = await balances(token, sellerAddr);
      expect(s1 - s0).to.equal(FACE + interest(FACE, 10));
    });

    it("charges no interest inside the grace period", async () => {
      const { ledger, id, inv, lateFrom } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.amountDue(id, inv.dueDate + DAY_S)).to.equal(FACE);
      expect(await ledger.amountDue(id, lateFrom)).to.equal(FACE);
    });

    it("a late partial payment must cover the interest, and interest is not charged twice", async () => {
      const { ledger, buyer, id, lateFrom } = await networkHelpers.loadFixture(fixture);
      const t1 = lateFrom + 10 * DAY_S;
      await networkHelpers.time.setNextBlockTimestamp(t1);
      await expect(ledger.connect(buyer).pay(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount").withArgs(id, 1n, interest(FACE, 10));
      await networkHelpers.time.setNextBlockTimestamp(t1 + 1);
      await ledger.connect(buyer).pay(id, interest(FACE, 10) + 4_000n * UNIT);
      // Ten days later: interest only on the 6,000 left, for those ten days.
      const t2 = t1 + 10 * DAY_S;
      expect(await ledger.amountDue(id, t2)).to.equal(6_000n * UNIT + interest(6_000n * UNIT, 10));
    });

    it("routes the payment to the current holder", async () => {
      const { ledger, token, seller, buyer, financier, id } = await networkHelpers.loadFixture(fixture);
      const fin = await financier.getAddress();
      await ledger.connect(seller).transfer(id, fin);
      const [f0] = await balances(token, fin);
      await ledger.connect(buyer).pay(id, FACE);
      const [f1] = await balances(token, fin);
      expect(f1 - f0).to.equal((FACE * 9_800n) / 10_000n);
    });

    it("can pay a defaulted receivable", async () => {
      const { ledger, seller, buyer, id, lateFrom } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await ledger.connect(seller).markDefaulted(id);
      await ledger.connect(buyer).pay(id, 2n * FACE);
      expect((await ledger.receivable(id)).status).to.equal(Status.Paid);
    });

    it("reverts on a zero amount", async () => {
      const { ledger, buyer, id } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(buyer).pay(id, 0)).to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount").withArgs(id, 0n, FACE);
    });

    it("reverts when the receivable is not confirmed, already paid, or unknown", async () => {
      const { ledger, seller, buyer, buyerAddr, id, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(inv);
      await expect(ledger.connect(buyer).pay(inv.fingerprint, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(inv.fingerprint, Status.Registered, Status.Confirmed);
      await ledger.connect(buyer).pay(id, FACE);
      await expect(ledger.connect(buyer).pay(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus").withArgs(id, Status.Paid, Status.Confirmed);
      await expect(ledger.connect(buyer).pay(5n, 1n)).to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable").withArgs(5n);
    });

    it("reverts when the payer is not an active member (an auditor acts on nothing)", async () => {
      const { ledger, auditor, outsider, id } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(auditor).pay(id, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(await auditor.getAddress(), 23);
      await expect(ledger.connect(outsider).pay(id, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(await outsider.getAddress(), 23);
    });

    it("reverts when the payer has not approved enough", async () => {
      const { ledger, token, buyer, id } = await networkHelpers.loadFixture(fixture);
      await token.connect(buyer).approve(await ledger.getAddress(), 1n);
      await expect(ledger.connect(buyer).pay(id, FACE)).to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance");
    });
  });

  describe("attestBankPayment", () => {
    const REF = keccak256(toUtf8Bytes("CAMT053/2026-11-20/0001"));

    it("records an off-chain payment once per bank reference, moving no token", async () => {
      const { ledger, token, id, sellerAddr, inv } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      const [s0] = await balances(token, sellerAddr);
      await expect(ledger.attestBankPayment(id, 4_000n * UNIT, REF))
        .to.emit(ledger, "BankPaymentAttested")
        .withArgs(id, REF, 4_000n * UNIT, 4_000n * UNIT, 0n, 6_000n * UNIT);
      expect(await ledger.isBankReferenceUsed(REF)).to.equal(true);
      expect((await ledger.receivable(id)).paid).to.equal(4_000n * UNIT);
      const [s1] = await balances(token, sellerAddr);
      expect(s1).to.equal(s0);
      await expect(ledger.attestBankPayment(id, 1n, REF))
        .to.be.revertedWithCustomError(ledger, "LedgerBankReferenceUsed")
        .withArgs(REF);
      await ledger.attestBankPayment(id, 6_000n * UNIT, keccak256(REF));
      expect((await ledger.receivable(id)).status).to.equal(Status.Paid);
    });

    it("reverts when the caller is not the operator", async () => {
      const { ledger, seller, sellerAddr, operatorAddr, id } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).attestBankPayment(id, 1n, REF))
        .to.be.revertedWithCustomError(ledger, "LedgerNotOperator")
        .withArgs(sellerAddr, operatorAddr);
    });

    it("reverts when the amount exceeds what is due", async () => {
      const { ledger, id } = await networkHelpers.loadFixture(fixture);
      const due = (FACE * 9_800n) / 10_000n;
      await expect(ledger.attestBankPayment(id, FACE, REF))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount")
        .withArgs(id, FACE, due);
    });
  });

  describe("amountDue", () => {
    it("is the face amount for a registered receivable and without terms", async () => {
      const { ledger, seller, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now, { terms: NO_TERMS });
      await ledger.connect(seller).register(inv);
      expect(await ledger.amountDue(inv.fingerprint, now)).to.equal(FACE);
      expect(await ledger.amountDue(inv.fingerprint, inv.dueDate + 100 * DAY_S)).to.equal(FACE);
    });

    it("applies the discount inside the window, face after it, interest after grace", async () => {
      const { ledger, id, inv, lateFrom } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.amountDue(id, inv.issueDate + 10 * DAY_S)).to.equal((FACE * 9_800n) / 10_000n);
      expect(await ledger.amountDue(id, inv.issueDate + 10 * DAY_S + 1)).to.equal(FACE);
      expect(await ledger.amountDue(id, lateFrom + 365 * DAY_S)).to.equal(FACE + (FACE * 12n) / 100n);
    });

    it("is zero once paid, and reverts for an unknown id", async () => {
      const { ledger, buyer, id, now } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(buyer).pay(id, FACE);
      expect(await ledger.amountDue(id, now)).to.equal(0n);
      await expect(ledger.amountDue(9n, now)).to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable").withArgs(9n);
    });
  });

  describe("views", () => {
    it("exposes the token, registry, governance and the EIP-712 typehash", async () => {
      const { ledger, core } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.settlementToken()).to.equal(core.SettlementToken);
      const token = await (await import("./helpers.ts")).ethers.getContractAt("SettlementToken", core.SettlementToken);
      expect(await token.decimals()).to.equal(6n);
      expect(await ledger.registry()).to.equal(core.MemberRegistry);
      expect(await ledger.governance()).to.equal(core.Timelock);
      expect(await ledger.CONFIRMATION_TYPEHASH()).to.equal(
        keccak256(toUtf8Bytes("Confirmation(uint256 id,address seller,address buyer,uint96 amount,uint32 dueDate,bytes32 documentHash,uint256 deadline)")),
      );
    });
  });
});
