import { expect } from "chai";
import { networkHelpers, deployWithFinancing, signTyped, OFFER_TYPES, Status, DAY_S, UNIT } from "../helpers.ts";

const FACE = 10_000n * UNIT;

describe("FactoringMarket", () => {
  async function fixture() {
    const c = await deployWithFinancing();
    const marketAddr = await c.market.getAddress();
    const deadline = c.now + 7 * DAY_S;
    const offer = { id: c.id, financier: c.finAddr, price: 9_500n * UNIT, nonce: 1n, expiry: BigInt(c.now + 3 * DAY_S) };
    const sig = await signTyped(c.financier, "FactoringMarket", marketAddr, OFFER_TYPES, offer);
    return { ...c, marketAddr, deadline, offer, sig };
  }
  async function listed(withRecourse = false) {
    const c = await networkHelpers.loadFixture(fixture);
    await c.market.connect(c.seller).list(c.id, 9_000n * UNIT, c.deadline, withRecourse, withRecourse ? 1_000 : 0);
    return c;
  }

  describe("list", () => {
    it("lists and locks the receivable", async () => {
      const { market, ledger, seller, id, sellerAddr, deadline, marketAddr } = await networkHelpers.loadFixture(fixture);
      await expect(market.connect(seller).list(id, 9_000n * UNIT, deadline, true, 1_000))
        .to.emit(market, "Listed")
        .withArgs(id, sellerAddr, 9_000n * UNIT, deadline, true, 1_000);
      expect((await ledger.receivable(id)).lockedBy).to.equal(marketAddr);
    });

    it("reverts for a past deadline, a rate without recourse, a second listing, or a non-holder", async () => {
      const { market, ledger, seller, financier, id, now, deadline, finAddr, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(market.connect(seller).list(id, 1n, now - 1, false, 0)).to.be.revertedWithCustomError(market, "MarketInvalidListing").withArgs(id, "deadline");
      await expect(market.connect(seller).list(id, 1n, deadline, false, 5)).to.be.revertedWithCustomError(market, "MarketInvalidListing").withArgs(id, "recourseRateBps");
      await expect(market.connect(financier).list(id, 1n, deadline, false, 0)).to.be.revertedWithCustomError(ledger, "LedgerNotHolder").withArgs(id, finAddr, sellerAddr);
      await market.connect(seller).list(id, 1n, deadline, false, 0);
      await expect(market.connect(seller).list(id, 1n, deadline, false, 0)).to.be.revertedWithCustomError(market, "MarketInvalidListing").withArgs(id, "state");
    });
  });

  describe("acceptOffer", () => {
    it("settles atomically: price to the seller, receivable to the financier, unlocked", async () => {
      const { market, ledger, token, seller, id, offer, sig, sellerAddr, finAddr } = await listed();
      const [s0, f0] = [await token.balanceOf(sellerAddr), await token.balanceOf(finAddr)];
      await expect(market.connect(seller).acceptOffer(offer, sig))
        .to.emit(market, "Sold")
        .withArgs(id, sellerAddr, finAddr, offer.price, false, offer.nonce);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal(offer.price);
      expect(f0 - (await token.balanceOf(finAddr))).to.equal(offer.price);
      const v = await ledger.receivable(id);
      expect(v.holder).to.equal(finAddr);
      expect(v.lockedBy).to.equal(ethersZero);
      expect(await market.isNonceUsed(finAddr, offer.nonce)).to.equal(true);
    });

    it("from then on the buyer's payment goes to the financier", async () => {
      const { market, ledger, token, seller, buyer, id, offer, sig, finAddr, inv } = await listed();
      await market.connect(seller).acceptOffer(offer, sig);
      await networkHelpers.time.increaseTo(inv.issueDate + 11 * DAY_S);
      const f0 = await token.balanceOf(finAddr);
      await ledger.connect(buyer).pay(id, FACE);
      expect((await token.balanceOf(finAddr)) - f0).to.equal(FACE);
    });

    it("rejects a reused, cancelled or expired offer, a bad signature and a price below the reserve", async () => {
      const { market, seller, financier, id, offer, sig, finAddr, marketAddr } = await listed();
      await market.connect(financier).cancelOffer(offer.nonce);
      await expect(market.connect(seller).acceptOffer(offer, sig)).to.be.revertedWithCustomError(market, "MarketOfferUsed").withArgs(finAddr, offer.nonce);
      const low = { ...offer, nonce: 2n, price: 1n };
      await expect(market.connect(seller).acceptOffer(low, await signTyped(financier, "FactoringMarket", marketAddr, OFFER_TYPES, low)))
        .to.be.revertedWithCustomError(market, "MarketBelowReserve")
        .withArgs(id, 1n, 9_000n * UNIT);
      const forged = { ...offer, nonce: 3n };
      await expect(market.connect(seller).acceptOffer(forged, await signTyped(seller, "FactoringMarket", marketAddr, OFFER_TYPES, forged)))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(id, finAddr);
      const late = { ...offer, nonce: 4n };
      const lateSig = await signTyped(financier, "FactoringMarket", marketAddr, OFFER_TYPES, late);
      await networkHelpers.time.increaseTo(Number(offer.expiry) + 1);
      await expect(market.connect(seller).acceptOffer(late, lateSig)).to.be.revertedWithCustomError(market, "MarketOfferExpired").withArgs(id, offer.expiry);
    });

    it("rejects a non-lister, an unlisted receivable, an expired listing and a non-financier", async () => {
      const c = await networkHelpers.loadFixture(fixture);
      await expect(c.market.connect(c.seller).acceptOffer(c.offer, c.sig)).to.be.revertedWithCustomError(c.market, "MarketNotListed").withArgs(c.id);
      await c.market.connect(c.seller).list(c.id, 1n, c.deadline, false, 0);
      await expect(c.market.connect(c.financier).acceptOffer(c.offer, c.sig)).to.be.revertedWithCustomError(c.market, "MarketNotLister").withArgs(c.id, c.finAddr, c.sellerAddr);
      const bySupplier = { ...c.offer, financier: await c.supplier.getAddress() };
      await expect(c.market.connect(c.seller).acceptOffer(bySupplier, c.sig)).to.be.revertedWithCustomError(c.market, "MarketNotFinancier").withArgs(bySupplier.financier);
      await networkHelpers.time.increaseTo(c.deadline + 1);
      await expect(c.market.connect(c.seller).acceptOffer(c.offer, c.sig)).to.be.revertedWithCustomError(c.market, "MarketListingExpired").withArgs(c.id, c.deadline);
    });
  });

  describe("closeListing", () => {
    it("the lister withdraws, or anyone closes after the deadline; the receivable unlocks", async () => {
      const { market, ledger, seller, financier, id, sellerAddr, deadline } = await listed();
      await expect(market.connect(financier).closeListing(id)).to.be.revertedWithCustomError(market, "MarketListingOpen").withArgs(id, deadline);
      await networkHelpers.time.increaseTo(deadline + 1);
      await expect(market.connect(financier).closeListing(id)).to.emit(market, "ListingClosed").withArgs(id, sellerAddr);
      expect((await ledger.receivable(id)).lockedBy).to.equal(ethersZero);
      await expect(market.connect(seller).closeListing(id)).to.be.revertedWithCustomError(market, "MarketNotListed").withArgs(id);
    });
  });

  describe("payments while listed", () => {
    it("are forwarded to the holder; full payment ends the listing", async () => {
      const { market, ledger, token, buyer, id, sellerAddr } = await listed();
      const s0 = await token.balanceOf(sellerAddr);
      await expect(ledger.connect(buyer).pay(id, FACE)).to.emit(market, "PaymentForwarded");
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal((FACE * 98n) / 100n);
      expect((await market.deal(id)).state).to.equal(0n);
      expect((await ledger.receivable(id)).lockedBy).to.equal(ethersZero);
      await expect(market.onReceivablePayment(id, sellerAddr, 1n, 0n)).to.be.revertedWithCustomError(market, "MarketOnlyLedger");
    });
  });

  describe("recourse", () => {
    it("a defaulted receivable sold with recourse returns to the seller against price plus interest", async () => {
      const { market, ledger, token, seller, financier, id, offer, sig, sellerAddr, finAddr, inv } = await listed(true);
      await market.connect(seller).acceptOffer(offer, sig);
      expect((await ledger.receivable(id)).holder).to.equal(finAddr);
      await expect(market.connect(financier).claimRecourse(id)).to.be.revertedWithCustomError(market, "MarketRecourseNotClaimable").withArgs(id, Status.Confirmed);
      await networkHelpers.time.increaseTo(inv.dueDate + 6 * DAY_S);
      await ledger.connect(financier).markDefaulted(id);
      await expect(market.connect(seller).claimRecourse(id)).to.be.revertedWithCustomError(market, "MarketNotHolder").withArgs(id, sellerAddr, finAddr);
      const tx = await market.connect(financier).claimRecourse(id);
      const amount = (await market.deal(id)).amount;
      await expect(tx).to.emit(market, "RecourseClaimed").withArgs(id, finAddr, sellerAddr, amount);
      expect(amount).to.be.greaterThan(offer.price);
      const f0 = await token.balanceOf(finAddr);
      await expect(market.connect(seller).repurchase(id)).to.emit(market, "RecourseSettled").withArgs(id, sellerAddr, finAddr, amount);
      expect((await token.balanceOf(finAddr)) - f0).to.equal(amount);
      const v = await ledger.receivable(id);
      expect(v.holder).to.equal(sellerAddr);
      expect(v.lockedBy).to.equal(ethersZero);
    });

    it("reverts without a recourse sale or an unpaid claim", async () => {
      const { market, seller, id } = await listed(false);
      await expect(market.connect(seller).claimRecourse(id)).to.be.revertedWithCustomError(market, "MarketNoRecourse").withArgs(id);
      await expect(market.connect(seller).repurchase(id)).to.be.revertedWithCustomError(market, "MarketNoRecourse").withArgs(id);
    });
  });
});

const ethersZero = "0x0000000000000000000000000000000000000000";
