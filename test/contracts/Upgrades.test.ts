import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, ZeroHash } from "ethers";
import { splitPartId } from "../../common/ids.ts";
import {
  ethers,
  networkHelpers,
  deployConsortium,
  deployWithFinancing,
  makeInvoice,
  viaTimelock,
  signTyped,
  OFFER_TYPES,
  Status,
  UNIT,
  DAY_S,
  TIMELOCK_DELAY_S,
  USD,
  EUR,
} from "./helpers.ts";

describe("Upgrades through the timelock", () => {
  async function fixture() {
    const c = await deployConsortium();
    const buyerAddr = await c.buyer.getAddress();
    const invs = [makeInvoice(buyerAddr, c.now), makeInvoice(buyerAddr, c.now)];
    await c.ledger.connect(c.seller).registerBatch(invs);
    await c.ledger.connect(c.buyer).confirm(invs[0]!.fingerprint);
    await c.ledger.connect(c.buyer).pay(invs[0]!.fingerprint, 1_000n * UNIT);
    await c.ledger.connect(c.seller).transfer(invs[0]!.fingerprint, await c.financier.getAddress());
    await c.ledger.connect(c.buyer).issueCreditNote(invs[0]!.fingerprint, 100n * UNIT, ZeroHash);
    const v2 = await (await ethers.getContractFactory("ReceivableLedgerV2")).deploy(c.core.MemberRegistry, c.core.SettlementToken, USD);
    return { ...c, invs, v2, v2Addr: await v2.getAddress() };
  }

  describe("ReceivableLedger.upgradeToAndCall", () => {
    it("upgrades to V2 through the timelock and finds every receivable intact", async () => {
      const { ledger, timelock, governor, core, invs, v2Addr, registry, seller } = await networkHelpers.loadFixture(fixture);
      const before = await Promise.all(invs.map((i) => ledger.receivable(i.fingerprint)));
      const note = await ledger.creditNote(1n);
      const data = ledger.interface.encodeFunctionData("upgradeToAndCall", [v2Addr, "0x"]);
      await expect(viaTimelock(timelock, governor, core.ReceivableLedger, data))
        .to.emit(ledger, "Upgraded")
        .withArgs(v2Addr);
      const upgraded = await ethers.getContractAt("ReceivableLedgerV2", core.ReceivableLedger);
      expect(await upgraded.version()).to.equal("2");
      const after = await Promise.all(invs.map((i) => upgraded.receivable(i.fingerprint)));
      expect(after).to.deep.equal(before);
      expect(await upgraded.creditNote(1n)).to.deep.equal(note);
      expect(await upgraded.governance()).to.equal(core.Timelock);
      expect(await registry.hasActiveRoles(await seller.getAddress(), 1)).to.equal(true);
      // And it keeps working: the second invoice is confirmed after the upgrade.
      const [, , buyer] = await ethers.getSigners();
      await upgraded.connect(buyer!).confirm(invs[1]!.fingerprint);
      expect((await upgraded.receivable(invs[1]!.fingerprint)).status).to.equal(Status.Confirmed);
    });

    it("reverts when anyone but governance upgrades — the operator included", async () => {
      const { ledger, operator, v2Addr } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(operator).upgradeToAndCall(v2Addr, "0x"))
        .to.be.revertedWithCustomError(ledger, "LedgerUnauthorizedGovernance")
        .withArgs(await operator.getAddress());
    });

    it("cannot execute before the timelock delay", async () => {
      const { ledger, timelock, governor, core, v2Addr } = await networkHelpers.loadFixture(fixture);
      const data = ledger.interface.encodeFunctionData("upgradeToAndCall", [v2Addr, "0x"]);
      await timelock.connect(governor).schedule(core.ReceivableLedger, 0, data, ZeroHash, ZeroHash, TIMELOCK_DELAY_S);
      await expect(timelock.execute(core.ReceivableLedger, 0, data, ZeroHash, ZeroHash)).to.be.revertedWithCustomError(
        timelock,
        "TimelockUnexpectedOperationState",
      );
    });

    it("the implementation cannot be initialised directly, the proxy not twice, and governance is required", async () => {
      const { ledger, core, operator } = await networkHelpers.loadFixture(fixture);
      const impl = await ethers.getContractAt("ReceivableLedger", core.implementations.ReceivableLedger);
      const op = await operator.getAddress();
      await expect(impl.initialize(op)).to.be.revertedWithCustomError(impl, "InvalidInitialization");
      await expect(ledger.initialize(op)).to.be.revertedWithCustomError(ledger, "InvalidInitialization");
      const Proxy = await ethers.getContractFactory("LedgerProxy");
      await expect(Proxy.deploy(core.implementations.ReceivableLedger, impl.interface.encodeFunctionData("initialize", [ethers.ZeroAddress])))
        .to.be.revertedWithCustomError(impl, "LedgerUnauthorizedGovernance")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("from the ledger before issue 9 (test/contracts/fixtures/ReceivableLedger.v1.json)", () => {
    async function v1Fixture() {
      const v1 = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "ReceivableLedger.v1.json"), "utf8"));
      const c = await deployConsortium({ legacyLedger: v1 });
      const old = new Contract(c.core.ReceivableLedger, v1.abi, c.seller);
      const [sellerAddr, buyerAddr, supplierAddr] = await Promise.all([c.seller, c.buyer, c.supplier].map((s) => s.getAddress()));
      // v1's Invoice has no currency.
      const v1Invoice = (overrides: Record<string, unknown> = {}) => {
        const { currency: _currency, ...inv } = makeInvoice(buyerAddr!, c.now, overrides);
        return inv;
      };
      const a = v1Invoice();
      const b = v1Invoice();
      for (const inv of [a, b]) {
        await (await old.getFunction("register")(inv)).wait();
        await (await (old.connect(c.buyer) as Contract).getFunction("confirm")(inv.fingerprint)).wait();
      }
      // On v1 anyone could register under a future part id: the squat of a's first part succeeds there.
      const squatted = splitPartId(BigInt(a.fingerprint), 0);
      await (await old.getFunction("register")(v1Invoice({ fingerprint: ethers.toBeHex(squatted, 32), amount: 1n }))).wait();
      const impl = await (await ethers.getContractFactory("ReceivableLedger")).deploy(c.core.MemberRegistry, c.core.SettlementToken, USD);
      return { ...c, old, a, b, squatted, implAddr: await impl.getAddress(), sellerAddr: sellerAddr!, buyerAddr: buyerAddr!, supplierAddr: supplierAddr! };
    }

    it("upgrades a live v1 ledger through the timelock; receivables intact and the new rules hold", async () => {
      const { ledger, timelock, governor, core, old, a, b, squatted, implAddr, seller, buyerAddr, sellerAddr, supplierAddr, now } =
        await networkHelpers.loadFixture(v1Fixture);
      const ids = [a.fingerprint, b.fingerprint, ethers.toBeHex(squatted, 32)];
      const before = await Promise.all(ids.map((id) => old.getFunction("receivable")(id)));
      const data = ledger.interface.encodeFunctionData("upgradeToAndCall", [implAddr, "0x"]);
      await expect(viaTimelock(timelock, governor, core.ReceivableLedger, data))
        .to.emit(ledger, "Upgraded")
        .withArgs(implAddr);
      const after = await Promise.all(ids.map((id) => ledger.receivable(id)));
      expect(after.map((v: any) => v.toArray())).to.deep.equal(before.map((v: any) => v.toArray()));
      expect(await ledger.settlementCurrency()).to.equal(USD);
      // The currency rule: an invoice in EUR is refused.
      const eur = makeInvoice(buyerAddr, now, { currency: EUR });
      await expect(ledger.connect(seller).register(eur)).to.be.revertedWithCustomError(ledger, "LedgerUnsupportedCurrency").withArgs(eur.fingerprint, EUR, USD);
      // The id-space rule: b's future part cannot be squatted any more.
      const future = splitPartId(BigInt(b.fingerprint), 0);
      await expect(ledger.connect(seller).register(makeInvoice(buyerAddr, now, { fingerprint: ethers.toBeHex(future, 32) })))
        .to.be.revertedWithCustomError(ledger, "LedgerReservedId")
        .withArgs(future);
      // The slot check: a's part slot, squatted under v1, makes a's split revert instead of corrupting the part.
      await expect(ledger.connect(seller).split(a.fingerprint, [6_000n * UNIT, 4_000n * UNIT], [supplierAddr, sellerAddr]))
        .to.be.revertedWithCustomError(ledger, "LedgerPartIdTaken")
        .withArgs(a.fingerprint, squatted);
      expect((await ledger.receivable(a.fingerprint)).status).to.equal(Status.Confirmed);
      // b, whose part ids were never touched, splits into Confirmed parts (new id space).
      await ledger.connect(seller).split(b.fingerprint, [6_000n * UNIT, 4_000n * UNIT], [supplierAddr, sellerAddr]);
      const part = await ledger.receivable(future);
      expect([part.status, part.holder, part.buyer, part.faceAmount]).to.deep.equal([Status.Confirmed, supplierAddr, buyerAddr, 6_000n * UNIT]);
    });
  });

  describe("MemberRegistry.upgradeToAndCall", () => {
    it("upgrades through the timelock keeping members; reverts for the operator", async () => {
      const { registry, timelock, governor, core, operator, seller } = await networkHelpers.loadFixture(fixture);
      const impl2 = await (await ethers.getContractFactory("MemberRegistry")).deploy();
      const impl2Addr = await impl2.getAddress();
      await expect(registry.connect(operator).upgradeToAndCall(impl2Addr, "0x"))
        .to.be.revertedWithCustomError(registry, "RegistryUnauthorizedGovernance")
        .withArgs(await operator.getAddress());
      const before = await registry.memberOf(await seller.getAddress());
      await viaTimelock(timelock, governor, core.MemberRegistry, registry.interface.encodeFunctionData("upgradeToAndCall", [impl2Addr, "0x"]));
      expect(await registry.memberOf(await seller.getAddress())).to.deep.equal(before);
      expect(await registry.operator()).to.equal(await operator.getAddress());
    });
  });

  describe("FactoringMarket (not upgradeable) is replaced by governance", () => {
    it("the timelock approves the new market and revokes the old: the old can no longer list but can close its listings; the new trades", async () => {
      const c = await deployWithFinancing();
      const old = c.market;
      const oldAddr = await old.getAddress();
      await old.connect(c.seller).list(c.id, 9_000n * UNIT, c.now + 7 * DAY_S, false, 0); // an open listing on the old market
      const fresh = await ethers.getContractAt(
        "FactoringMarket",
        await (await (await ethers.getContractFactory("FactoringMarket")).deploy(c.core.ReceivableLedger)).getAddress(),
      );
      const freshAddr = await fresh.getAddress();
      // Only governance approves modules; the operator cannot.
      await expect(c.ledger.connect(c.operator).setFinancingModule(freshAddr, true))
        .to.be.revertedWithCustomError(c.ledger, "LedgerUnauthorizedGovernance")
        .withArgs(await c.operator.getAddress());
      for (const [m, ok] of [
        [freshAddr, true],
        [oldAddr, false],
      ] as const) {
        await viaTimelock(c.timelock, c.governor, c.core.ReceivableLedger, c.ledger.interface.encodeFunctionData("setFinancingModule", [m, ok]));
      }
      expect([await c.ledger.isFinancingModule(freshAddr), await c.ledger.isFinancingModule(oldAddr)]).to.deep.equal([true, false]);
      // The revoked market cannot lock anything new...
      const inv2 = makeInvoice(c.buyerAddr, c.now);
      await c.ledger.connect(c.seller).register(inv2);
      await c.ledger.connect(c.buyer).confirm(inv2.fingerprint);
      await expect(old.connect(c.seller).list(inv2.fingerprint, 1n, c.now + 7 * DAY_S, false, 0))
        .to.be.revertedWithCustomError(c.ledger, "LedgerNotFinancingModule")
        .withArgs(oldAddr);
      // ...but its open listing can still be closed, releasing the receivable, which then trades on the new market.
      await old.connect(c.seller).closeListing(c.id);
      expect((await c.ledger.receivable(c.id)).lockedBy).to.equal(ethers.ZeroAddress);
      await c.token.connect(c.financier).approve(freshAddr, 2n ** 255n);
      await fresh.connect(c.seller).list(c.id, 9_000n * UNIT, c.now + 7 * DAY_S, false, 0);
      const offer = { id: c.id, listing: 0, financier: c.finAddr, price: 9_500n * UNIT, nonce: 1n, expiry: BigInt(c.now + 3 * DAY_S) };
      // An offer signed for the old market's domain is not valid on the new one.
      await expect(fresh.connect(c.seller).acceptOffer(offer, await signTyped(c.financier, "FactoringMarket", oldAddr, OFFER_TYPES, offer)))
        .to.be.revertedWithCustomError(fresh, "MarketInvalidSignature")
        .withArgs(c.id, c.finAddr);
      await expect(fresh.connect(c.seller).acceptOffer(offer, await signTyped(c.financier, "FactoringMarket", freshAddr, OFFER_TYPES, offer))).to.emit(
        fresh,
        "Sold",
      );
      expect((await c.ledger.receivable(c.id)).holder).to.equal(c.finAddr);
    });
  });
});
