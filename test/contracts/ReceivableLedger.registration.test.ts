import { expect } from "chai";
import { ZeroAddress, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import {
  ethers,
  networkHelpers,
  deployConsortium,
  addressesOf,
  makeInvoice,
  signConfirmation,
  signRaw,
  Role,
  Status,
  DAY_S,
  TERMS,
  USD,
  EUR,
} from "./helpers.ts";
import { splitPartId, isSplitPartId, PART_ID_TAG_HEX } from "../../common/ids.ts";
import { invoiceFingerprint, DEMO_CONSORTIUM_SALT } from "../../common/fingerprint.ts";

describe("ReceivableLedger: registration, confirmation, dispute, cancel", () => {
  async function fixture() {
    const c = await deployConsortium();
    const [sellerAddr, buyerAddr] = await addressesOf(c.seller, c.buyer);
    const wallet = await (await ethers.getContractFactory("ERC1271WalletMock")).deploy(buyerAddr);
    await c.registry.admit(await wallet.getAddress(), Role.Buyer, c.expiry);
    return { ...c, sellerAddr, buyerAddr, wallet };
  }

  describe("register", () => {
    it("stores the receivable under its fingerprint and emits ReceivableRegistered with the document hash", async () => {
      const { ledger, seller, sellerAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      await expect(ledger.connect(seller).register(inv))
        .to.emit(ledger, "ReceivableRegistered")
        .withArgs(inv.fingerprint, sellerAddr, buyerAddr, inv.amount, USD, inv.issueDate, inv.dueDate, Object.values(TERMS), inv.documentHash);
      const v = await ledger.receivable(inv.fingerprint);
      expect(v.seller).to.equal(sellerAddr);
      expect(v.buyer).to.equal(buyerAddr);
      expect(v.holder).to.equal(sellerAddr);
      expect(v.status).to.equal(Status.Registered);
      expect(v.faceAmount).to.equal(inv.amount);
      expect(v.paid).to.equal(0n);
      expect(v.issueDate).to.equal(BigInt(inv.issueDate));
      expect(v.dueDate).to.equal(BigInt(inv.dueDate));
      expect(v.terms.discountBps).to.equal(200n);
      expect(v.terms.graceDays).to.equal(5n);
      expect(v.parentId).to.equal(0n);
      expect(v.lockedBy).to.equal(ZeroAddress);
    });

    it("returns the id (the fingerprint)", async () => {
      const { ledger, seller, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      expect(await ledger.connect(seller).register.staticCall(inv)).to.equal(BigInt(inv.fingerprint));
    });

    it("reverts on a second registration of the same fingerprint, whoever sends it", async () => {
      const { ledger, seller, supplier, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(inv);
      await expect(ledger.connect(seller).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerDuplicateFingerprint").withArgs(inv.fingerprint);
      await expect(ledger.connect(supplier).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerDuplicateFingerprint").withArgs(inv.fingerprint);
    });

    it("reverts when the caller is not an active seller", async () => {
      const { ledger, registry, seller, financier, sellerAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      const fin = await financier.getAddress();
      await expect(ledger.connect(financier).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(fin, Role.Seller);
      await registry.suspend(sellerAddr);
      await expect(ledger.connect(seller).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, Role.Seller);
    });

    it("reverts when the buyer is not an active buyer", async () => {
      const { ledger, seller, financier, now } = await networkHelpers.loadFixture(fixture);
      const fin = await financier.getAddress();
      const inv = makeInvoice(fin, now);
      await expect(ledger.connect(seller).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(fin, Role.Buyer);
    });

    it("reverts on an invalid fingerprint, amount, due date, terms or buyer", async () => {
      const { ledger, seller, buyer, sellerAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const cases: [Record<string, unknown>, string, boolean?][] = [
        [{ fingerprint: ZeroHash }, "fingerprint"],
        [{ amount: 0n }, "amount"],
        [{ dueDate: now - 1 }, "dueDate"],
        [{ issueDate: now + 50 * DAY_S }, "dueDate"],
        [{ terms: { ...TERMS, discountBps: 10_000 } }, "terms"],
        [{ terms: { ...TERMS, discountDays: 60 } }, "terms"],
        [{ buyer: sellerAddr }, "buyer"],
      ];
      for (const [overrides, field] of cases) {
        const inv = makeInvoice(buyerAddr, now, overrides);
        await expect(ledger.connect(seller).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerInvalidInvoice").withArgs(inv.fingerprint, field);
      }
      // A buyer that is also a seller cannot address an invoice to itself.
      const self = makeInvoice(buyerAddr, now);
      await expect(ledger.connect(buyer).register(self)).to.be.revertedWithCustomError(ledger, "LedgerInvalidInvoice").withArgs(self.fingerprint, "buyer");
    });
  });

  describe("register: currency and id space (issue 9)", () => {
    it("knows its settlement currency", async () => {
      const { ledger } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.settlementCurrency()).to.equal(USD);
    });

    it("reverts when the invoice is in a currency the ledger does not settle, naming both codes", async () => {
      const { ledger, seller, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now, { currency: EUR });
      await expect(ledger.connect(seller).register(inv)).to.be.revertedWithCustomError(ledger, "LedgerUnsupportedCurrency").withArgs(inv.fingerprint, EUR, USD);
      await expect(ledger.connect(seller).registerBatch([makeInvoice(buyerAddr, now), inv]))
        .to.be.revertedWithCustomError(ledger, "LedgerUnsupportedCurrency")
        .withArgs(inv.fingerprint, EUR, USD);
      await expect(ledger.receivable(inv.fingerprint)).to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable");
    });

    it("reverts when the id is in the split parts' id space (a future part of a confirmed receivable)", async () => {
      const { ledger, seller, buyer, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(inv);
      await ledger.connect(buyer).confirm(inv.fingerprint);
      const future = splitPartId(BigInt(inv.fingerprint), 0);
      expect(await ledger.partIdOf(inv.fingerprint, 0)).to.equal(future);
      // Every demo buyer is also a seller: it tries to squat its own debt's future part.
      const squat = makeInvoice(await seller.getAddress(), now, { fingerprint: ethers.toBeHex(future, 32) });
      await expect(ledger.connect(buyer).register(squat)).to.be.revertedWithCustomError(ledger, "LedgerReservedId").withArgs(future);
      await expect(ledger.connect(buyer).registerBatch([squat]))
        .to.be.revertedWithCustomError(ledger, "LedgerReservedId")
        .withArgs(future);
      const deadline = now + DAY_S;
      await expect(ledger.connect(buyer).registerAndConfirm(squat, deadline, "0x"))
        .to.be.revertedWithCustomError(ledger, "LedgerReservedId")
        .withArgs(future);
      expect(isSplitPartId(future)).to.equal(true);
    });

    it("fingerprints computed by common/fingerprint.ts never fall in the parts' id space", () => {
      for (let i = 0; i < 200; i++) {
        const fp = invoiceFingerprint(
          { sellerTaxId: "S1", buyerTaxId: "B1", invoiceNumber: `INV-${i}`, currency: "USD", amount: 1n, issueDate: "2026-01-01" },
          DEMO_CONSORTIUM_SALT,
        );
        expect(isSplitPartId(BigInt(fp))).to.equal(false);
      }
      expect(PART_ID_TAG_HEX).to.equal(Buffer.from("part").toString("hex"));
    });
  });

  describe("registerBatch", () => {
    it("registers many invoices in one transaction and returns their ids", async () => {
      const { ledger, seller, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const invs = Array.from({ length: 5 }, () => makeInvoice(buyerAddr, now));
      const ids = await ledger.connect(seller).registerBatch.staticCall(invs);
      expect(ids).to.deep.equal(invs.map((i) => BigInt(i.fingerprint)));
      const tx = ledger.connect(seller).registerBatch(invs);
      for (const inv of invs)
        await expect(tx)
          .to.emit(ledger, "ReceivableRegistered")
          .withArgs(inv.fingerprint, await seller.getAddress(), buyerAddr, inv.amount, USD, inv.issueDate, inv.dueDate, Object.values(TERMS), inv.documentHash);
      for (const inv of invs) expect((await ledger.receivable(inv.fingerprint)).status).to.equal(Status.Registered);
    });

    it("reverts as a whole when one invoice repeats a fingerprint", async () => {
      const { ledger, seller, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const a = makeInvoice(buyerAddr, now);
      await expect(ledger.connect(seller).registerBatch([a, makeInvoice(buyerAddr, now), a]))
        .to.be.revertedWithCustomError(ledger, "LedgerDuplicateFingerprint")
        .withArgs(a.fingerprint);
    });

    it("reverts when the caller is not an active seller", async () => {
      const { ledger, auditor, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(auditor).registerBatch([makeInvoice(buyerAddr, now)]))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(await auditor.getAddress(), Role.Seller);
    });
  });

  describe("registerAndConfirm", () => {
    it("registers and confirms with the buyer's EIP-712 signature", async () => {
      const { ledger, seller, buyer, sellerAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      const deadline = now + DAY_S;
      const sig = await signConfirmation(await ledger.getAddress(), buyer, {
        id: inv.fingerprint,
        seller: sellerAddr,
        amount: inv.amount,
        dueDate: inv.dueDate,
        documentHash: inv.documentHash,
        deadline,
      });
      const tx = ledger.connect(seller).registerAndConfirm(inv, deadline, sig);
      await expect(tx).to.emit(ledger, "ReceivableRegistered");
      await expect(tx).to.emit(ledger, "ReceivableConfirmed").withArgs(inv.fingerprint, buyerAddr, true);
      expect((await ledger.receivable(inv.fingerprint)).status).to.equal(Status.Confirmed);
    });

    it("accepts an ERC-1271 contract buyer's signature", async () => {
      const { ledger, seller, buyer, sellerAddr, wallet, now } = await networkHelpers.loadFixture(fixture);
      const walletAddr = await wallet.getAddress();
      const inv = makeInvoice(walletAddr, now);
      const deadline = now + DAY_S;
      const digest = await ledger.confirmationDigest(inv.fingerprint, sellerAddr, walletAddr, inv.amount, inv.dueDate, inv.documentHash, deadline);
      const sig = signRaw(await buyer.getAddress(), digest);
      await expect(ledger.connect(seller).registerAndConfirm(inv, deadline, sig))
        .to.emit(ledger, "ReceivableConfirmed")
        .withArgs(inv.fingerprint, walletAddr, true);
    });

    it("reverts on a signature by someone else, for other terms, or past its deadline", async () => {
      const { ledger, seller, buyer, financier, sellerAddr, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      const inv = makeInvoice(buyerAddr, now);
      const deadline = now + DAY_S;
      const v = { id: inv.fingerprint, seller: sellerAddr, amount: inv.amount, dueDate: inv.dueDate, documentHash: inv.documentHash, deadline };
      const byFinancier = await signConfirmation(await ledger.getAddress(), financier, v);
      // signTypedData puts the signer as buyer; the ledger checks against the invoice's buyer.
      await expect(ledger.connect(seller).registerAndConfirm(inv, deadline, byFinancier))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSignature")
        .withArgs(inv.fingerprint, buyerAddr);
      const otherAmount = await signConfirmation(await ledger.getAddress(), buyer, { ...v, amount: inv.amount + 1n });
      await expect(ledger.connect(seller).registerAndConfirm(inv, deadline, otherAmount))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSignature")
        .withArgs(inv.fingerprint, buyerAddr);
      const good = await signConfirmation(await ledger.getAddress(), buyer, v);
      await networkHelpers.time.increaseTo(deadline + 1);
      await expect(ledger.connect(seller).registerAndConfirm(inv, deadline, good))
        .to.be.revertedWithCustomError(ledger, "LedgerSignatureExpired")
        .withArgs(inv.fingerprint, deadline);
    });

    it("reverts when the caller is not an active seller", async () => {
      const { ledger, financier, buyerAddr, now } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(financier).registerAndConfirm(makeInvoice(buyerAddr, now), now + DAY_S, "0x"))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(await financier.getAddress(), Role.Seller);
    });
  });

  async function registered() {
    const c = await networkHelpers.loadFixture(fixture);
    const inv = makeInvoice(c.buyerAddr, c.now);
    await c.ledger.connect(c.seller).register(inv);
    return { ...c, inv, id: BigInt(inv.fingerprint) };
  }

  describe("confirm", () => {
    it("moves Registered to Confirmed and emits ReceivableConfirmed", async () => {
      const { ledger, buyer, buyerAddr, id } = await registered();
      await expect(ledger.connect(buyer).confirm(id)).to.emit(ledger, "ReceivableConfirmed").withArgs(id, buyerAddr, false);
      expect((await ledger.receivable(id)).status).to.equal(Status.Confirmed);
    });

    it("confirms a disputed receivable", async () => {
      const { ledger, buyer, id } = await registered();
      await ledger.connect(buyer).dispute(id, ZeroHash);
      await ledger.connect(buyer).confirm(id);
      expect((await ledger.receivable(id)).status).to.equal(Status.Confirmed);
    });

    it("reverts when the caller is not the invoice's buyer", async () => {
      const { ledger, registry, wallet, buyerAddr, id, expiry } = await registered();
      const [, , , , , , , other] = await ethers.getSigners();
      await registry.admit(await other!.getAddress(), Role.Buyer, expiry);
      await expect(ledger.connect(other!).confirm(id))
        .to.be.revertedWithCustomError(ledger, "LedgerNotBuyer")
        .withArgs(id, await other!.getAddress(), buyerAddr);
      expect(wallet).to.not.equal(undefined);
    });

    it("reverts when the caller is not an active buyer", async () => {
      const { ledger, registry, buyer, seller, buyerAddr, sellerAddr, id } = await registered();
      await expect(ledger.connect(seller).confirm(id)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, Role.Buyer);
      await registry.suspend(buyerAddr);
      await expect(ledger.connect(buyer).confirm(id)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(buyerAddr, Role.Buyer);
    });

    it("reverts for an unknown id and for a second confirmation", async () => {
      const { ledger, buyer, id } = await registered();
      await expect(ledger.connect(buyer).confirm(123n)).to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable").withArgs(123n);
      await ledger.connect(buyer).confirm(id);
      await expect(ledger.connect(buyer).confirm(id))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Confirmed, Status.Registered);
    });
  });

  describe("confirmWithSignature", () => {
    async function signed() {
      const c = await registered();
      const deadline = c.now + DAY_S;
      const sig = await signConfirmation(await c.ledger.getAddress(), c.buyer, {
        id: c.id,
        seller: c.sellerAddr,
        amount: c.inv.amount,
        dueDate: c.inv.dueDate,
        documentHash: c.inv.documentHash,
        deadline,
      });
      return { ...c, deadline, sig };
    }

    it("confirms when anyone submits the buyer's signature", async () => {
      const { ledger, outsider, inv, id, buyerAddr, deadline, sig } = await signed();
      await expect(ledger.connect(outsider).confirmWithSignature(id, inv.documentHash, deadline, sig))
        .to.emit(ledger, "ReceivableConfirmed")
        .withArgs(id, buyerAddr, true);
      expect((await ledger.receivable(id)).status).to.equal(Status.Confirmed);
    });

    it("cannot be replayed: a second submission reverts", async () => {
      const { ledger, inv, id, deadline, sig } = await signed();
      await ledger.confirmWithSignature(id, inv.documentHash, deadline, sig);
      await expect(ledger.confirmWithSignature(id, inv.documentHash, deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Confirmed, Status.Registered);
    });

    it("cannot override a dispute with a signature made before it", async () => {
      const { ledger, buyer, inv, id, deadline, sig } = await signed();
      await ledger.connect(buyer).dispute(id, ZeroHash);
      await expect(ledger.confirmWithSignature(id, inv.documentHash, deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Disputed, Status.Registered);
    });

    it("reverts when the document hash is not the registered one", async () => {
      const { ledger, id, deadline, sig } = await signed();
      await expect(ledger.confirmWithSignature(id, keccak256(toUtf8Bytes("other")), deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidInvoice")
        .withArgs(id, "documentHash");
    });

    it("reverts on an invalid or expired signature", async () => {
      const { ledger, seller, inv, id, deadline, sig, buyerAddr } = await signed();
      const wrong = await signConfirmation(await ledger.getAddress(), seller, {
        id,
        seller: await seller.getAddress(),
        amount: inv.amount,
        dueDate: inv.dueDate,
        documentHash: inv.documentHash,
        deadline,
      });
      await expect(ledger.confirmWithSignature(id, inv.documentHash, deadline, wrong))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidSignature")
        .withArgs(id, buyerAddr);
      await networkHelpers.time.increaseTo(deadline + 1);
      await expect(ledger.confirmWithSignature(id, inv.documentHash, deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerSignatureExpired")
        .withArgs(id, deadline);
    });

    it("reverts when the buyer is no longer active", async () => {
      const { ledger, registry, inv, id, deadline, sig, buyerAddr } = await signed();
      await registry.suspend(buyerAddr);
      await expect(ledger.confirmWithSignature(id, inv.documentHash, deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorized")
        .withArgs(buyerAddr, Role.Buyer);
    });

    it("accepts an ERC-1271 contract buyer's signature", async () => {
      const { ledger, seller, buyer, sellerAddr, wallet, now } = await networkHelpers.loadFixture(fixture);
      const walletAddr = await wallet.getAddress();
      const inv = makeInvoice(walletAddr, now);
      await ledger.connect(seller).register(inv);
      const deadline = now + DAY_S;
      const digest = await ledger.confirmationDigest(inv.fingerprint, sellerAddr, walletAddr, inv.amount, inv.dueDate, inv.documentHash, deadline);
      await expect(ledger.confirmWithSignature(inv.fingerprint, inv.documentHash, deadline, signRaw(await buyer.getAddress(), digest)))
        .to.emit(ledger, "ReceivableConfirmed")
        .withArgs(inv.fingerprint, walletAddr, true);
    });

    it("reverts for an unknown id", async () => {
      const { ledger, inv, deadline, sig } = await signed();
      await expect(ledger.confirmWithSignature(7n, inv.documentHash, deadline, sig))
        .to.be.revertedWithCustomError(ledger, "LedgerUnknownReceivable")
        .withArgs(7n);
    });
  });

  describe("dispute", () => {
    it("moves Registered to Disputed with the reason hash", async () => {
      const { ledger, buyer, buyerAddr, id } = await registered();
      const reason = keccak256(toUtf8Bytes("goods damaged"));
      await expect(ledger.connect(buyer).dispute(id, reason)).to.emit(ledger, "ReceivableDisputed").withArgs(id, buyerAddr, reason);
      expect((await ledger.receivable(id)).status).to.equal(Status.Disputed);
    });

    it("reverts when the caller is not the buyer, not an active buyer, or the receivable is confirmed", async () => {
      const { ledger, registry, buyer, seller, sellerAddr, buyerAddr, id, expiry } = await registered();
      await expect(ledger.connect(seller).dispute(id, ZeroHash)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(sellerAddr, Role.Buyer);
      const [, , , , , , , other] = await ethers.getSigners();
      await registry.admit(await other!.getAddress(), Role.Buyer, expiry);
      await expect(ledger.connect(other!).dispute(id, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerNotBuyer")
        .withArgs(id, await other!.getAddress(), buyerAddr);
      await ledger.connect(buyer).confirm(id);
      await expect(ledger.connect(buyer).dispute(id, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Confirmed, Status.Registered);
    });
  });

  describe("cancel", () => {
    it("lets the seller cancel a registered or disputed receivable", async () => {
      const { ledger, seller, buyer, sellerAddr, id, buyerAddr, now } = await registered();
      await expect(ledger.connect(seller).cancel(id)).to.emit(ledger, "ReceivableCancelled").withArgs(id, sellerAddr);
      expect((await ledger.receivable(id)).status).to.equal(Status.Cancelled);
      const inv2 = makeInvoice(buyerAddr, now);
      await ledger.connect(seller).register(inv2);
      await ledger.connect(buyer).dispute(inv2.fingerprint, ZeroHash);
      await ledger.connect(seller).cancel(inv2.fingerprint);
      expect((await ledger.receivable(inv2.fingerprint)).status).to.equal(Status.Cancelled);
      expect(await ledger.amountDue(inv2.fingerprint, now)).to.equal(0n);
    });

    it("reverts when the caller is not the seller, not a member, or the receivable is confirmed", async () => {
      const { ledger, seller, buyer, buyerAddr, sellerAddr, outsider, id } = await registered();
      await expect(ledger.connect(buyer).cancel(id)).to.be.revertedWithCustomError(ledger, "LedgerNotSeller").withArgs(id, buyerAddr, sellerAddr);
      const o = await outsider.getAddress();
      await expect(ledger.connect(outsider).cancel(id)).to.be.revertedWithCustomError(ledger, "LedgerUnauthorized").withArgs(o, 23);
      await ledger.connect(buyer).confirm(id);
      await expect(ledger.connect(seller).cancel(id))
        .to.be.revertedWithCustomError(ledger, "LedgerInvalidStatus")
        .withArgs(id, Status.Confirmed, Status.Registered);
    });
  });
});
