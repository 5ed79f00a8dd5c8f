import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers, networkHelpers, deployConsortium, addressesOf, Role, DAY_S } from "./helpers.ts";

describe("MemberRegistry", () => {
  async function fixture() {
    return deployConsortium();
  }

  describe("initialize", () => {
    it("sets operator, governance and ledger, and cannot run twice", async () => {
      const { registry, operator, timelock, core } = await networkHelpers.loadFixture(fixture);
      expect(await registry.operator()).to.equal(await operator.getAddress());
      expect(await registry.governance()).to.equal(await timelock.getAddress());
      expect(await registry.ledger()).to.equal(core.ReceivableLedger);
      await expect(registry.initialize(await operator.getAddress(), await timelock.getAddress(), core.ReceivableLedger)).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
    });

    it("rejects a zero operator, governance or ledger", async () => {
      const { core, operator } = await networkHelpers.loadFixture(fixture);
      const impl = await ethers.getContractAt("MemberRegistry", core.implementations.MemberRegistry);
      const Proxy = await ethers.getContractFactory("LedgerProxy");
      const op = await operator.getAddress();
      const L = core.ReceivableLedger;
      const init = (a: string, b: string, c: string) =>
        Proxy.deploy(core.implementations.MemberRegistry, impl.interface.encodeFunctionData("initialize", [a, b, c]));
      await expect(init(ZeroAddress, op, L))
        .to.be.revertedWithCustomError(impl, "RegistryInvalidMember")
        .withArgs(ZeroAddress);
      await expect(init(op, ZeroAddress, L))
        .to.be.revertedWithCustomError(impl, "RegistryUnauthorizedGovernance")
        .withArgs(ZeroAddress);
      await expect(init(op, op, ZeroAddress))
        .to.be.revertedWithCustomError(impl, "RegistryInvalidMember")
        .withArgs(ZeroAddress);
    });

    it("cannot initialize the implementation itself", async () => {
      const { core, operator } = await networkHelpers.loadFixture(fixture);
      const impl = await ethers.getContractAt("MemberRegistry", core.implementations.MemberRegistry);
      const op = await operator.getAddress();
      await expect(impl.initialize(op, op, core.ReceivableLedger)).to.be.revertedWithCustomError(impl, "InvalidInitialization");
    });
  });

  describe("ledger mirror", () => {
    it("only the registry writes the ledger's mirror of admissions", async () => {
      const { ledger, operator, outsider } = await networkHelpers.loadFixture(fixture);
      const op = await operator.getAddress();
      await expect(ledger.connect(operator).syncMember(await outsider.getAddress(), 1, 2n ** 40n, false, 99))
        .to.be.revertedWithCustomError(ledger, "LedgerNotRegistry")
        .withArgs(op);
    });
  });

  describe("admit", () => {
    it("admits a member with roles and expiry and emits MemberAdmitted", async () => {
      const { registry, outsider, now } = await networkHelpers.loadFixture(fixture);
      const who = await outsider.getAddress();
      const expiry = now + 30 * DAY_S;
      await expect(registry.admit(who, Role.Financier | Role.Insurer, expiry))
        .to.emit(registry, "MemberAdmitted")
        .withArgs(who, Role.Financier | Role.Insurer, expiry);
      expect(await registry.memberOf(who)).to.deep.equal([BigInt(Role.Financier | Role.Insurer), BigInt(expiry), false]);
      expect(await registry.hasActiveRoles(who, Role.Financier)).to.equal(true);
      expect(await registry.hasActiveRoles(who, Role.Seller)).to.equal(false);
    });

    it("assigns a stable index at first admission and keeps it on re-admission", async () => {
      const { registry, outsider, now } = await networkHelpers.loadFixture(fixture);
      const who = await outsider.getAddress();
      await registry.admit(who, Role.Seller, now + DAY_S);
      const index = await registry.activeIndex(who, Role.Seller);
      expect(index).to.be.greaterThan(0n);
      expect(await registry.memberAt(index)).to.equal(who);
      await registry.admit(who, Role.Seller | Role.Buyer, now + 2 * DAY_S);
      expect(await registry.activeIndex(who, Role.Seller)).to.equal(index);
    });

    it("reverts when the caller is not the operator", async () => {
      const { registry, outsider, now } = await networkHelpers.loadFixture(fixture);
      const who = await outsider.getAddress();
      await expect(registry.connect(outsider).admit(who, Role.Seller, now + DAY_S))
        .to.be.revertedWithCustomError(registry, "RegistryUnauthorizedOperator")
        .withArgs(who);
    });

    it("reverts on the zero address, empty or unknown roles, and a past expiry", async () => {
      const { registry, outsider, now } = await networkHelpers.loadFixture(fixture);
      const who = await outsider.getAddress();
      await expect(registry.admit(ZeroAddress, Role.Seller, now + DAY_S))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidMember")
        .withArgs(ZeroAddress);
      await expect(registry.admit(who, 0, now + DAY_S))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidRoles")
        .withArgs(0);
      await expect(registry.admit(who, 32, now + DAY_S))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidRoles")
        .withArgs(32);
      const next = (await networkHelpers.time.latest()) + 10;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await expect(registry.admit(who, Role.Seller, next))
        .to.be.revertedWithCustomError(registry, "RegistryInvalidExpiry")
        .withArgs(next, next);
    });
  });

  describe("suspend and reinstate", () => {
    it("suspends: the member is no longer active; reinstates: it is again", async () => {
      const { registry, seller } = await networkHelpers.loadFixture(fixture);
      const who = await seller.getAddress();
      await expect(registry.suspend(who)).to.emit(registry, "MemberSuspended").withArgs(who);
      expect(await registry.hasActiveRoles(who, Role.Seller)).to.equal(false);
      expect(await registry.hasAnyActiveRole(who, 31)).to.equal(false);
      expect(await registry.activeIndex(who, Role.Seller)).to.equal(0n);
      await expect(registry.reinstate(who)).to.emit(registry, "MemberReinstated").withArgs(who);
      expect(await registry.hasActiveRoles(who, Role.Seller)).to.equal(true);
    });

    it("reverts for an address never admitted", async () => {
      const { registry, outsider } = await networkHelpers.loadFixture(fixture);
      const who = await outsider.getAddress();
      await expect(registry.suspend(who)).to.be.revertedWithCustomError(registry, "RegistryUnknownMember").withArgs(who);
      await expect(registry.reinstate(who)).to.be.revertedWithCustomError(registry, "RegistryUnknownMember").withArgs(who);
    });

    it("reverts when the caller is not the operator", async () => {
      const { registry, seller, outsider } = await networkHelpers.loadFixture(fixture);
      const who = await seller.getAddress();
      await expect(registry.connect(outsider).suspend(who))
        .to.be.revertedWithCustomError(registry, "RegistryUnauthorizedOperator")
        .withArgs(await outsider.getAddress());
      await expect(registry.connect(outsider).reinstate(who))
        .to.be.revertedWithCustomError(registry, "RegistryUnauthorizedOperator")
        .withArgs(await outsider.getAddress());
    });
  });

  describe("expiry", () => {
    it("a member is inactive once its admission expires", async () => {
      const { registry, seller, expiry } = await networkHelpers.loadFixture(fixture);
      const who = await seller.getAddress();
      await networkHelpers.time.increaseTo(expiry);
      expect(await registry.hasActiveRoles(who, Role.Seller)).to.equal(false);
      expect(await registry.firstInactive([who], 31)).to.equal(0n);
    });
  });

  describe("views", () => {
    it("hasActiveRoles needs every bit, hasAnyActiveRole one bit; zero roles is never active", async () => {
      const { registry, buyer } = await networkHelpers.loadFixture(fixture);
      const who = await buyer.getAddress();
      expect(await registry.hasActiveRoles(who, Role.Buyer | Role.Seller)).to.equal(true);
      expect(await registry.hasActiveRoles(who, Role.Buyer | Role.Financier)).to.equal(false);
      expect(await registry.hasAnyActiveRole(who, Role.Buyer | Role.Financier)).to.equal(true);
      expect(await registry.hasActiveRoles(who, 0)).to.equal(false);
      expect(await registry.activeIndex(who, 0)).to.equal(0n);
    });

    it("firstInactive names the first inactive party or returns max", async () => {
      const { registry, seller, buyer, auditor, outsider } = await networkHelpers.loadFixture(fixture);
      const [s, b, a, o] = await addressesOf(seller, buyer, auditor, outsider);
      expect(await registry.firstInactive([s, b], 23)).to.equal(2n ** 256n - 1n);
      expect(await registry.firstInactive([s, a, b], 23)).to.equal(1n);
      expect(await registry.firstInactive([s, b, o], 23)).to.equal(2n);
    });
  });

  describe("operator rotation", () => {
    it("rotates in two steps: propose, then the new key accepts", async () => {
      const { registry, operator, outsider } = await networkHelpers.loadFixture(fixture);
      const [op, next] = await addressesOf(operator, outsider);
      await expect(registry.transferOperator(next)).to.emit(registry, "OperatorTransferStarted").withArgs(op, next);
      expect(await registry.pendingOperator()).to.equal(next);
      expect(await registry.operator()).to.equal(op);
      await expect(registry.connect(outsider).acceptOperator()).to.emit(registry, "OperatorTransferred").withArgs(op, next);
      expect(await registry.operator()).to.equal(next);
      expect(await registry.pendingOperator()).to.equal(ZeroAddress);
      await expect(registry.admit(op, Role.Seller, (await networkHelpers.time.latest()) + DAY_S))
        .to.be.revertedWithCustomError(registry, "RegistryUnauthorizedOperator")
        .withArgs(op);
    });

    it("reverts when anyone but the pending operator accepts, or nothing is pending", async () => {
      const { registry, seller, outsider } = await networkHelpers.loadFixture(fixture);
      const [s, next] = await addressesOf(seller, outsider);
      await expect(registry.connect(outsider).acceptOperator())
        .to.be.revertedWithCustomError(registry, "RegistryNotPendingOperator")
        .withArgs(next, ZeroAddress);
      await registry.transferOperator(next);
      await expect(registry.connect(seller).acceptOperator()).to.be.revertedWithCustomError(registry, "RegistryNotPendingOperator").withArgs(s, next);
    });

    it("reverts when a non-operator proposes, or proposes the zero address", async () => {
      const { registry, outsider } = await networkHelpers.loadFixture(fixture);
      const o = await outsider.getAddress();
      await expect(registry.connect(outsider).transferOperator(o)).to.be.revertedWithCustomError(registry, "RegistryUnauthorizedOperator").withArgs(o);
      await expect(registry.transferOperator(ZeroAddress)).to.be.revertedWithCustomError(registry, "RegistryInvalidMember").withArgs(ZeroAddress);
    });
  });
});
