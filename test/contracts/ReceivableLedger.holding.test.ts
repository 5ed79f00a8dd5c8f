import { expect } from "chai";
import { ZeroAddress, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import { splitPartId } from "../../common/ids.ts";
import { ethers, networkHelpers, deployConsortium, addressesOf, makeInvoice, viaTimelock, Role, Status, DAY_S, UNIT } from "./helpers.ts";

const FACE = 10_000n * UNIT;
const partId = (id: bigint, i: number) => splitPartId(id, i);

describe("ReceivableLedger: transfer, split, credit notes, default, financing hooks", () => {
  async function fixture() {
    const c = await deployConsortium();
    const [sellerAddr, buyerAddr, finAddr, supplierAddr] = await addressesOf(c.seller, c.buyer, c.financier, c.supplier);
    const inv = makeInvoice(buyerAddr, c.now);
    await c.ledger.connect(c.seller).register(inv);
    await c.ledger.connect(c.buyer).confirm(inv.fingerprint);
    const id = BigInt(inv.fingerprint);
    const module = await (await ethers.getContractFactory("FinancingModuleMock")).deploy(c.core.ReceivableLedger);
    const moduleAddr = await module.getAddress();
    await viaTimelock(c.timelock, c.governor, c.core.ReceivableLedger, c.ledger.interface.encodeFunctionData("setFinancingModule", [moduleAddr, true]));
    const lateFrom = inv.dueDate + 5 * DAY_S;
    return { ...c, sellerAddr, buyerAddr, finAddr, supplierAddr, inv, id, module, moduleAddr, lateFrom };
  }

  describe("transfer", () => {
    it("moves the receivable to an admitted member and emits ReceivableTransferred", async () => {
      const { ledger, seller, financier, id, sellerAddr, finAddr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.emit(ledger, "ReceivableTransferred").withArgs(id, sellerAddr, finAddr);
      expect((await ledger.receivable(id)).holder).to.equal(finAddr);
      await ledger.connect(financier).transfer(id, sellerAddr);
      expect((await ledger.receivable(id)).holder).to.equal(sellerAddr);
    });

    it("reverts when the caller is not the holder", async () => {
      const { ledger, financier, id, sellerAddr, finAddr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(financier).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotHolder").withArgs(id, finAddr, sellerAddr);
    });

    it("reverts when the recipient is not an active member or only an auditor", async () => {
      const { ledger, registry, seller, auditor, outsider, id, finAddr } = await networkHelpers.loadFixture(fixture);
      for (const to of [await outsider.getAddress(), await auditor.getAddress()]) {
        await expect(ledger.connect(seller).transfer(id, to)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(to, 23);
      }
      await registry.suspend(finAddr);
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(finAddr, 23);
    });

    it("reverts when the holder is suspended or expired", async () => {
      const { ledger, registry, seller, id, sellerAddr, finAddr, expiry } = await networkHelpers.loadFixture(fixture);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, 23);
      await registry.reinstate(sellerAddr);
      await networkHelpers.time.increaseTo(expiry);
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, 23);
    });

    it("reverts for an unconfirmed receivable (nothing unconfirmed moves)", async () => {
      const { ledger, seller, buyerAddr, finAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(inv);
      await expect(ledger.connect(seller).transfer(inv.fingerprint, finAddr))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(inv.fingerprint, Status.Registered, Status.Confirmed);
    });

    it("reverts while locked by a financing module", async () => {
      const { ledger, seller, module, moduleAddr, id, finAddr } = await networkHelpers.loadFixture(fixture);
      await module.connect(seller).lock(id);
      await expect(ledger.connect(seller).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerLocked").withArgs(id, moduleAddr);
    });

    it("the operator can never move a receivable", async () => {
      const { ledger, operator, id, sellerAddr, finAddr } = await networkHelpers.loadFixture(fixture);
      const op = await operator.getAddress();
      await expect(ledger.connect(operator).transfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(op, 23);
      expect((await ledger.receivable(id)).holder).to.equal(sellerAddr);
    });
  });

  describe("split", () => {
    it("splits into parts that are receivables of their own; the parent becomes Split", async () => {
      const { ledger, seller, id, sellerAddr, buyerAddr, supplierAddr, inv } = await networkHelpers.loadFixture(fixture);
      const amounts = [6_000n * UNIT, 4_000n * UNIT];
      const ids = [partId(id, 0), partId(id, 1)];
      expect(await ledger.connect(seller).split.staticCall(id, amounts, [supplierAddr, sellerAddr])).to.deep.equal(ids);
      await expect(ledger.connect(seller).split(id, amounts, [supplierAddr, sellerAddr]))
        .to.emit(ledger, "ReceivableSplit")
        .withArgs(id, ids, amounts, [supplierAddr, sellerAddr]);
      expect((await ledger.receivable(id)).status).to.equal(Status.Split);
      expect(await ledger.amountDue(id, inv.issueDate)).to.equal(0n);
      const p0 = await ledger.receivable(ids[0]!);
      expect(p0.seller).to.equal(sellerAddr);
      expect(p0.buyer).to.equal(buyerAddr);
      expect(p0.holder).to.equal(supplierAddr);
      expect(p0.status).to.equal(Status.Confirmed);
      expect(p0.faceAmount).to.equal(amounts[0]);
      expect(p0.dueDate).to.equal(BigInt(inv.dueDate));
      expect(p0.terms.discountBps).to.equal(200n);
      expect(p0.parentId).to.equal(id);
    });

    it("a debtor cannot hijack a future part: the squat is refused, the part comes out Confirmed and the buyer's pay reaches its holder", async () => {
      const { ledger, seller, buyer, id, sellerAddr, buyerAddr, supplierAddr, now } = await networkHelpers.loadFixture(fixture);
      // The buyer (also a seller) registers an invoice of its own under the id the split's first part will get.
      const squat = makeInvoice(sellerAddr, now, { fingerprint: ethers.toBeHex(partId(id, 0), 32), amount: 1n });
      await expect(ledger.connect(buyer).register(squat)).to.be.revertedWithCustomError(ledger, "LedgerReservedId").withArgs(partId(id, 0));
      await ledger.connect(seller).split(id, [6_000n * UNIT, 4_000n * UNIT], [supplierAddr, sellerAddr]);
      const p0 = await ledger.receivable(partId(id, 0));
      expect(p0.status).to.equal(Status.Confirmed);
      expect(p0.buyer).to.equal(buyerAddr);
      expect(p0.holder).to.equal(supplierAddr);
      await networkHelpers.time.increaseTo(Number(p0.dueDate));
      await expect(ledger.connect(buyer).pay(partId(id, 0), 6_000n * UNIT)).to.emit(ledger, "ReceivablePaid");
    });

    it("each part is paid on its own to its own holder, with the parent's terms", async () => {
      const { ledger, token, seller, buyer, id, sellerAddr, supplierAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(seller).split(id, [6_000n * UNIT, 4_000n * UNIT], [supplierAddr, sellerAddr]);
      const s0 = await token.balanceOf(supplierAddr);
      await ledger.connect(buyer).pay(partId(id, 0), 6_000n * UNIT);
      expect((await token.balanceOf(supplierAddr)) - s0).to.equal(5_880n * UNIT); // 2% discount applies
      expect((await ledger.receivable(partId(id, 0))).status).to.equal(Status.Paid);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await ledger.connect(seller).markDefaulted(partId(id, 1));
      expect((await ledger.receivable(partId(id, 1))).status).to.equal(Status.Defaulted);
    });

    it("splits a part again (multi-tier) and splits what is left after a partial payment", async () => {
      const { ledger, seller, supplier, buyer, id, sellerAddr, supplierAddr, finAddr, buyerAddr, inv } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      await ledger.connect(buyer).pay(id, 2_000n * UNIT);
      await ledger.connect(seller).split(id, [5_000n * UNIT, 3_000n * UNIT], [supplierAddr, sellerAddr]);
      const p0 = partId(id, 0);
      await ledger.connect(supplier).split(p0, [1_000n * UNIT, 4_000n * UNIT], [finAddr, supplierAddr]);
      const q = await ledger.receivable(partId(p0, 0));
      expect(q.parentId).to.equal(p0);
      expect(q.buyer).to.equal(buyerAddr);
      expect(q.holder).to.equal(finAddr);
      expect(q.faceAmount).to.equal(1_000n * UNIT);
      await ledger.connect(buyer).issueCreditNote(partId(p0, 0), 100n * UNIT, ZeroHash);
    });

    it("reverts on fewer than two parts, too many, or mismatched lengths", async () => {
      const { ledger, seller, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).split(id, [FACE], [sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "parts");
      await expect(ledger.connect(seller).split(id, [FACE - 1n, 1n], [sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "parts");
      const many = Array.from({ length: 65 }, () => 1n);
      await expect(
        ledger.connect(seller).split(
          id,
          many,
          many.map(() => sellerAddr),
        ),
      )
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "parts");
    });

    it("reverts when the parts do not sum to the outstanding amount or one is zero", async () => {
      const { ledger, seller, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).split(id, [FACE, 1n], [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "sum");
      await expect(ledger.connect(seller).split(id, [FACE, 0n], [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "amount");
    });

    it("reverts when the caller is not an active member", async () => {
      const { ledger, registry, seller, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).split(id, [FACE - 1n, 1n], [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(sellerAddr, 23);
    });

    it("reverts when a part's holder is not an active member", async () => {
      const { ledger, seller, outsider, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      const o = await outsider.getAddress();
      await expect(ledger.connect(seller).split(id, [FACE - 1n, 1n], [sellerAddr, o]))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(o, 23);
    });

    it("reverts for a non-holder, an unconfirmed, a locked or an overdue receivable", async () => {
      const { ledger, seller, financier, module, moduleAddr, id, sellerAddr, finAddr, buyerAddr, now, inv } = await networkHelpers.loadFixture(fixture);
      const two = [FACE - 1n, 1n];
      await expect(ledger.connect(financier).split(id, two, [finAddr, finAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerNotHolder")
        .withArgs(id, finAddr, sellerAddr);
      const reg = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(reg);
      await expect(ledger.connect(seller).split(reg.fingerprint, two, [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(reg.fingerprint, Status.Registered, Status.Confirmed);
      await networkHelpers.time.increaseTo(inv.dueDate + 1);
      await expect(ledger.connect(seller).split(id, two, [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSplit")
        .withArgs(id, "overdue");
      await module.connect(seller).lock(id);
      await expect(ledger.connect(seller).split(id, two, [sellerAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerLocked")
        .withArgs(id, moduleAddr);
    });
  });

  describe("issueCreditNote and acceptCreditNote", () => {
    it("the buyer issues, the holder accepts: the face amount drops", async () => {
      const { ledger, seller, buyer, id, inv } = await networkHelpers.loadFixture(fixture);
      const reason = keccak256(toUtf8Bytes("3 units returned"));
      await expect(ledger.connect(buyer).issueCreditNote(id, 1_000n * UNIT, reason))
        .to.emit(ledger, "CreditNoteIssued")
        .withArgs(id, 1n, 1_000n * UNIT, reason);
      expect(await ledger.creditNote(1n)).to.deep.equal([id, 1_000n * UNIT, true]);
      expect((await ledger.receivable(id)).faceAmount).to.equal(FACE);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n))
        .to.emit(ledger, "CreditNoteAccepted")
        .withArgs(id, 1n, 9_000n * UNIT);
      expect((await ledger.receivable(id)).faceAmount).to.equal(9_000n * UNIT);
      expect(await ledger.amountDue(id, inv.issueDate + 20 * DAY_S)).to.equal(9_000n * UNIT);
      expect((await ledger.creditNote(1n))[2]).to.equal(false);
    });

    it("a credit note for everything outstanding settles the receivable", async () => {
      const { ledger, seller, buyer, id, inv } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      await ledger.connect(buyer).pay(id, 4_000n * UNIT);
      await ledger.connect(buyer).issueCreditNote(id, 6_000n * UNIT, ZeroHash);
      await ledger.connect(seller).acceptCreditNote(id, 1n);
      const v = await ledger.receivable(id);
      expect(v.status).to.equal(Status.Paid);
      expect(v.paid).to.equal(4_000n * UNIT);
      expect(v.faceAmount).to.equal(4_000n * UNIT);
    });

    it("issue reverts for a non-buyer, an inactive buyer, a bad amount or an unconfirmed receivable", async () => {
      const { ledger, registry, seller, buyer, id, sellerAddr, buyerAddr, now, expiry } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).issueCreditNote(id, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(sellerAddr, Role.Buyer);
      const [, , , , , , , other] = await ethers.getSigners();
      await registry.admit(await other!.getAddress(), Role.Buyer, expiry);
      await expect(ledger.connect(other!).issueCreditNote(id, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerNotBuyer")
        .withArgs(id, await other!.getAddress(), buyerAddr);
      await expect(ledger.connect(buyer).issueCreditNote(id, 0n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount")
        .withArgs(id, 0n, FACE);
      await expect(ledger.connect(buyer).issueCreditNote(id, FACE + 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount")
        .withArgs(id, FACE + 1n, FACE);
      const reg = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(reg);
      await expect(ledger.connect(buyer).issueCreditNote(reg.fingerprint, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(reg.fingerprint, Status.Registered, Status.Confirmed);
    });

    it("accept reverts for a non-holder, an unknown, used or foreign note, too large a note, or a locked receivable", async () => {
      const { ledger, seller, buyer, financier, module, moduleAddr, id, sellerAddr, finAddr, buyerAddr, now, inv } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(buyer).issueCreditNote(id, 9_000n * UNIT, ZeroHash);
      await expect(ledger.connect(financier).acceptCreditNote(id, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerNotHolder")
        .withArgs(id, finAddr, sellerAddr);
      await expect(ledger.connect(seller).acceptCreditNote(id, 2n)).to.be.revertedWithCustomError(ledger, "LedgerUnknownCreditNote").withArgs(id, 2n);
      const other = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(other);
      await ledger.connect(buyer).confirm(other.fingerprint);
      await expect(ledger.connect(seller).acceptCreditNote(other.fingerprint, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerUnknownCreditNote")
        .withArgs(other.fingerprint, 1n);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      await ledger.connect(buyer).pay(id, 2_000n * UNIT);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidAmount")
        .withArgs(id, 9_000n * UNIT, 8_000n * UNIT);
      await module.connect(seller).lock(id);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerLocked").withArgs(id, moduleAddr);
    });

    it("accept reverts when the holder is no longer an active member", async () => {
      const { ledger, registry, seller, buyer, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(buyer).issueCreditNote(id, 1n, ZeroHash);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, 23);
    });

    it("accept reverts once the receivable is paid", async () => {
      const { ledger, seller, buyer, id } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(buyer).issueCreditNote(id, 1n, ZeroHash);
      await ledger.connect(buyer).pay(id, FACE);
      await expect(ledger.connect(seller).acceptCreditNote(id, 1n))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Paid, Status.Confirmed);
    });
  });

  describe("markDefaulted and writeOff", () => {
    it("the holder marks default after due date plus grace, then writes off", async () => {
      const { ledger, seller, id, sellerAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).markDefaulted(id)).to.be.revertedWithCustomError(ledger, "LedgerNotOverdue").withArgs(id, lateFrom);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await expect(ledger.connect(seller).markDefaulted(id)).to.emit(ledger, "ReceivableDefaulted").withArgs(id, sellerAddr, FACE);
      await expect(ledger.connect(seller).writeOff(id)).to.emit(ledger, "ReceivableWrittenOff").withArgs(id, sellerAddr, FACE);
      expect((await ledger.receivable(id)).status).to.equal(Status.WrittenOff);
      expect(await ledger.amountDue(id, lateFrom + 2)).to.equal(0n);
    });

    it("a defaulted receivable can still be transferred (e.g. to a collector)", async () => {
      const { ledger, seller, id, finAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await ledger.connect(seller).markDefaulted(id);
      await ledger.connect(seller).transfer(id, finAddr);
      expect((await ledger.receivable(id)).holder).to.equal(finAddr);
    });

    it("markDefaulted reverts for a non-holder, an inactive holder, or a receivable not confirmed", async () => {
      const { ledger, registry, seller, financier, id, sellerAddr, finAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await expect(ledger.connect(financier).markDefaulted(id)).to.be.revertedWithCustomError(ledger, "LedgerNotHolder").withArgs(id, finAddr, sellerAddr);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).markDefaulted(id)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, 23);
      await registry.reinstate(sellerAddr);
      await ledger.connect(seller).markDefaulted(id);
      await expect(ledger.connect(seller).markDefaulted(id))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Defaulted, Status.Confirmed);
    });

    it("writeOff reverts when the holder is no longer an active member", async () => {
      const { ledger, registry, seller, id, sellerAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await ledger.connect(seller).markDefaulted(id);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).writeOff(id)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, 23);
    });

    it("writeOff reverts for a non-holder, a receivable not defaulted, or a locked one", async () => {
      const { ledger, seller, financier, module, moduleAddr, id, sellerAddr, finAddr, lateFrom } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).writeOff(id))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Confirmed, Status.Defaulted);
      await module.connect(seller).lock(id);
      await networkHelpers.time.increaseTo(lateFrom + 1);
      await module.markDefaulted(id); // the lien holder may enforce
      await expect(ledger.connect(financier).writeOff(id)).to.be.revertedWithCustomError(ledger, "LedgerNotHolder").withArgs(id, finAddr, sellerAddr);
      await expect(ledger.connect(seller).writeOff(id)).to.be.revertedWithCustomError(ledger, "LedgerLocked").withArgs(id, moduleAddr);
    });
  });

  describe("financing hooks", () => {
    it("only governance (the timelock) approves modules — never the operator", async () => {
      const { ledger, operator, timelock, governor, core, finAddr } = await networkHelpers.loadFixture(fixture);
      const op = await operator.getAddress();
      await expect(ledger.connect(operator).setFinancingModule(finAddr, true))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorizedGovernance")
        .withArgs(op);
      const data = ledger.interface.encodeFunctionData("setFinancingModule", [finAddr, true]);
      await expect(viaTimelock(timelock, governor, core.ReceivableLedger, data))
        .to.emit(ledger, "FinancingModuleSet")
        .withArgs(finAddr, true);
      expect(await ledger.isFinancingModule(finAddr)).to.equal(true);
    });

    it("a module locks for the holder; payments go to it and it is called back", async () => {
      const { ledger, token, seller, buyer, module, moduleAddr, id, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(module.connect(seller).lock(id)).to.emit(ledger, "ReceivableLocked").withArgs(id, moduleAddr, sellerAddr);
      expect((await ledger.receivable(id)).lockedBy).to.equal(moduleAddr);
      const s0 = await token.balanceOf(sellerAddr);
      await ledger.connect(buyer).pay(id, FACE);
      expect(await module.lastAmount()).to.equal((FACE * 9_800n) / 10_000n);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal((FACE * 9_800n) / 10_000n);
    });

    it("pay is guarded against re-entry from a module's callback", async () => {
      const { ledger, registry, seller, buyer, module, moduleAddr, id, expiry } = await networkHelpers.loadFixture(fixture);
      await registry.admit(moduleAddr, 4, expiry);
      await module.connect(seller).lock(id);
      await module.setReenter(true);
      await expect(ledger.connect(buyer).pay(id, 1_000n * UNIT)).to.be.revertedWithCustomError(ledger, "ReentrancyGuardReentrantCall");
    });

    it("lock reverts for a non-module, a non-holder, an unconfirmed or an already locked receivable", async () => {
      const { ledger, seller, financier, module, moduleAddr, id, sellerAddr, finAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(seller).lock(id, sellerAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(sellerAddr);
      await expect(module.connect(financier).lock(id)).to.be.revertedWithCustomError(ledger, "LedgerNotHolder").withArgs(id, finAddr, sellerAddr);
      const reg = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(reg);
      await expect(module.connect(seller).lock(reg.fingerprint))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(reg.fingerprint, Status.Registered, Status.Confirmed);
      await module.connect(seller).lock(id);
      await expect(module.connect(seller).lock(id)).to.be.revertedWithCustomError(ledger, "LedgerLocked").withArgs(id, moduleAddr);
    });

    it("the module moves the locked receivable and unlocks it; nobody else can", async () => {
      const { ledger, seller, module, moduleAddr, id, sellerAddr, finAddr, outsider } = await networkHelpers.loadFixture(fixture);
      await expect(module.moveTo(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(moduleAddr);
      await expect(module.unlock(id)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(moduleAddr);
      await module.connect(seller).lock(id);
      await expect(ledger.connect(seller).unlock(id)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(sellerAddr);
      await expect(ledger.connect(seller).moduleTransfer(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(sellerAddr);
      const o = await outsider.getAddress();
      await expect(module.moveTo(id, o)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(o, 23);
      await expect(module.moveTo(id, finAddr)).to.emit(ledger, "ReceivableTransferred").withArgs(id, sellerAddr, finAddr);
      await expect(module.unlock(id)).to.emit(ledger, "ReceivableUnlocked").withArgs(id, moduleAddr);
      const v = await ledger.receivable(id);
      expect(v.holder).to.equal(finAddr);
      expect(v.lockedBy).to.equal(ZeroAddress);
    });

    it("a revoked module can release its lien but not move the receivable", async () => {
      const { ledger, timelock, governor, core, seller, buyer, module, moduleAddr, id, finAddr } = await networkHelpers.loadFixture(fixture);
      await module.connect(seller).lock(id);
      await viaTimelock(timelock, governor, core.ReceivableLedger, ledger.interface.encodeFunctionData("setFinancingModule", [moduleAddr, false]));
      await expect(module.moveTo(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(moduleAddr);
      await module.unlock(id);
      await ledger.connect(buyer).pay(id, FACE);
      expect((await ledger.receivable(id)).status).to.equal(Status.Paid);
      await expect(module.moveTo(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerNotFinancingModule").withArgs(moduleAddr);
    });

    it("moduleTransfer reverts once the receivable is paid", async () => {
      const { ledger, seller, buyer, module, id, finAddr } = await networkHelpers.loadFixture(fixture);
      await module.connect(seller).lock(id);
      await ledger.connect(buyer).pay(id, FACE);
      await expect(module.moveTo(id, finAddr)).to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus").withArgs(id, Status.Paid, Status.Confirmed);
    });
  });

  describe("receivable", () => {
    it("reverts for an unknown id", async () => {
      const { ledger } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.receivable(1n)).to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable").withArgs(1n);
    });
  });
});
