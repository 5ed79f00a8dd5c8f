import { expect } from "chai";
import { ZeroHash } from "ethers";
import { ethers, networkHelpers, deployConsortium, makeInvoice, viaTimelock, Status, UNIT, TIMELOCK_DELAY_S } from "./helpers.ts";

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
    const v2 = await (await ethers.getContractFactory("ReceivableLedgerV2")).deploy(c.core.MemberRegistry, c.core.SettlementToken);
    return { ...c, invs, v2, v2Addr: await v2.getAddress() };
  }

  describe("ReceivableLedger.upgradeToAndCall", () => {
    it("upgrades to V2 through the timelock and finds every receivable intact", async () => {
      const { ledger, timelock, governor, core, invs, v2Addr, registry, seller } = await networkHelpers.loadFixture(fixture);
      const before = await Promise.all(invs.map((i) => ledger.receivable(i.fingerprint)));
      const note = await ledger.creditNote(1n);
      const data = ledger.interface.encodeFunctionData("upgradeToAndCall", [v2Addr, "0x"]);
      await expect(viaTimelock(timelock, governor, core.ReceivableLedger, data)).to.emit(ledger, "Upgraded").withArgs(v2Addr);
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
      await expect(timelock.execute(core.ReceivableLedger, 0, data, ZeroHash, ZeroHash)).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
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
});
