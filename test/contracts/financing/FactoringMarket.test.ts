import { expect } from "chai";
import { ethers, networkHelpers, deployWithFinancing, signTyped, OFFER_TYPES, Status, DAY_S, UNIT } from "../helpers.ts";

const FACE = 10_000n * UNIT;

describe("FactoringMarket", () => {
  async function fixture() {
    const c = await deployWithFinancing();
    const marketAddr = await c.market.getAddress();
    const deadline = c.now + 7 * DAY_S;
    const offer = { id: c.id, listing: 0, financier: c.finAddr, price: 9_500n * UNIT, nonce: 1n, expiry: BigInt(c.now + 3 * DAY_S) };
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
        .withArgs(id, sellerAddr, 0, 9_000n * UNIT, deadline, true, 1_000);
      expect((await ledger.receivable(id)).lockedBy).to.equal(marketAddr);
    });

    it("reverts for a past deadline, a rate without recourse, a second listing, or a non-holder", async () => {
      const { market, ledger, seller, financier, id, now, deadline, finAddr, sellerAddr } = await networkHelpers.loadFixture(fixture);
      await expect(market.connect(seller).list(id, 1n, now - 1, false, 0))
        .to.be.revertedWithCustomError(market, "MarketInvalidListing")
        .withArgs(id, "deadline");
      await expect(market.connect(seller).list(id, 1n, deadline, false, 5))
        .to.be.revertedWithCustomError(market, "MarketInvalidListing")
        .withArgs(id, "recourseRateBps");
      await expect(market.connect(financier).list(id, 1n, deadline, false, 0))
        .to.be.revertedWithCustomError(ledger, "LedgerNotHolder")
        .withArgs(id, finAddr, sellerAddr);
      await market.connect(seller).list(id, 1n, deadline, false, 0);
      await expect(market.connect(seller).list(id, 1n, deadline, false, 0))
        .to.be.revertedWithCustomError(market, "MarketInvalidListing")
        .withArgs(id, "state");
    });
  });

  describe("acceptOffer", () => {
    it("settles atomically: price to the seller, receivable to the financier, unlocked", async () => {
      const { market, ledger, token, seller, id, offer, sig, sellerAddr, finAddr } = await listed();
      const [s0, f0] = [await token.balanceOf(sellerAddr), await token.balanceOf(finAddr)];
      await expect(market.connect(seller).acceptOffer(offer, sig)).to.emit(market, "Sold").withArgs(id, sellerAddr, finAddr, offer.price, false, offer.nonce);
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
      await expect(c.market.connect(c.financier).acceptOffer(c.offer, c.sig))
        .to.be.revertedWithCustomError(c.market, "MarketNotLister")
        .withArgs(c.id, c.finAddr, c.sellerAddr);
      const bySupplier = { ...c.offer, financier: await c.supplier.getAddress() };
      await expect(c.market.connect(c.seller).acceptOffer(bySupplier, c.sig))
        .to.be.revertedWithCustomError(c.market, "MarketNotFinancier")
        .withArgs(bySupplier.financier);
      await networkHelpers.time.increaseTo(c.deadline + 1);
      await expect(c.market.connect(c.seller).acceptOffer(c.offer, c.sig))
        .to.be.revertedWithCustomError(c.market, "MarketListingExpired")
        .withArgs(c.id, c.deadline);
    });
  });

  describe("an offer names its listing (issue 9 follow-up, defect A)", () => {
    it("an old bid is refused on a later listing of the same receivable with MarketWrongListing, and works on its own", async () => {
      const { market, token, seller, financier, id, offer, sig, sellerAddr, finAddr, marketAddr, deadline } = await listed();
      // Listing 0 closes unsold; the receivable is listed again, now with recourse: listing 1.
      await market.connect(seller).closeListing(id);
      expect((await market.deal(id)).listings).to.equal(1n);
      await expect(market.connect(seller).list(id, 9_000n * UNIT, deadline, true, 1_000))
        .to.emit(market, "Listed")
        .withArgs(id, sellerAddr, 1, 9_000n * UNIT, deadline, true, 1_000);
      await expect(market.connect(seller).acceptOffer(offer, sig)).to.be.revertedWithCustomError(market, "MarketWrongListing").withArgs(id, 0, 1);
      // A bid naming a listing that does not exist yet is refused the same way.
      const ahead = { ...offer, listing: 2, nonce: 9n };
      await expect(market.connect(seller).acceptOffer(ahead, await signTyped(financier, "FactoringMarket", marketAddr, OFFER_TYPES, ahead)))
        .to.be.revertedWithCustomError(market, "MarketWrongListing")
        .withArgs(id, 2, 1);
      // Re-labelling the old bid for listing 1 breaks its signature.
      await expect(market.connect(seller).acceptOffer({ ...offer, listing: 1 }, sig))
        .to.be.revertedWithCustomError(market, "MarketInvalidSignature")
        .withArgs(id, finAddr);
      // The old offer's nonce is still unused: nothing was redeemed.
      expect(await market.isNonceUsed(finAddr, offer.nonce)).to.equal(false);
      // A bid made on listing 1 is accepted on listing 1.
      const fresh = { ...offer, listing: 1, nonce: 2n };
      const s0 = await token.balanceOf(sellerAddr);
      await expect(market.connect(seller).acceptOffer(fresh, await signTyped(financier, "FactoringMarket", marketAddr, OFFER_TYPES, fresh)))
        .to.emit(market, "Sold")
        .withArgs(id, sellerAddr, finAddr, fresh.price, true, fresh.nonce);
      expect((await token.balanceOf(sellerAddr)) - s0).to.equal(fresh.price);
    });

    it("after a sale and a relisting by the new holder, the first lister's old bids are refused", async () => {
      const { market, seller, financier, id, offer, sig, marketAddr, finAddr, deadline } = await listed();
      const spare = { ...offer, nonce: 5n, price: 9_900n * UNIT };
      const spareSig = await signTyped(financier, "FactoringMarket", marketAddr, OFFER_TYPES, spare);
      await market.connect(seller).acceptOffer(offer, sig); // listing 0 sold, no recourse: the financier holds it
      await market.connect(financier).list(id, 1n, deadline, false, 0); // listing 1, by the financier
      await expect(market.connect(financier).acceptOffer(spare, spareSig)).to.be.revertedWithCustomError(market, "MarketWrongListing").withArgs(id, 0, 1);
      expect((await market.deal(id)).listings).to.equal(2n);
      expect(await market.isNonceUsed(finAddr, spare.nonce)).to.equal(false);
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
      await expect(market.connect(financier).claimRecourse(id))
        .to.be.revertedWithCustomError(market, "MarketRecourseNotClaimable")
        .withArgs(id, Status.Confirmed);
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

describe("FactoringMarket recourse with credit insurance (issue 9 follow-up, defect B)", () => {
  const PRICE = 9_500n * UNIT;
  const RATE = 1_000n;
  async function insuredSoldWithRecourse(coverageBps = 9_000) {
    const c = await deployWithFinancing();
    const marketAddr = await c.market.getAddress();
    // The seller insures the receivable (pays the premium), then sells it with recourse at 10% a year.
    await c.insurance.connect(c.insurer).offerPolicy(c.id, coverageBps, 100n * UNIT, c.inv.dueDate + 60 * DAY_S);
    await c.insurance.connect(c.seller).acceptPolicy(c.id);
    await c.market.connect(c.seller).list(c.id, 9_000n * UNIT, c.now + 7 * DAY_S, true, Number(RATE));
    const offer = { id: c.id, listing: 0, financier: c.finAddr, price: PRICE, nonce: 1n, expiry: BigInt(c.now + 3 * DAY_S) };
    const sale = await c.market.connect(c.seller).acceptOffer(offer, await signTyped(c.financier, "FactoringMarket", marketAddr, OFFER_TYPES, offer));
    const soldAt = (await ethers.provider.getBlock((await sale.wait())!.blockNumber))!.timestamp;
    await networkHelpers.time.increaseTo(c.inv.dueDate + 6 * DAY_S);
    await c.ledger.connect(c.financier).markDefaulted(c.id);
    const parties = [c.sellerAddr, c.finAddr, c.insurerAddr, c.buyerAddr, marketAddr, await c.insurance.getAddress(), await c.ledger.getAddress()];
    // seller, financier, insurer, buyer, market, insurance module, ledger
    const balances = async () => (await Promise.all(parties.map((a) => c.token.balanceOf(a)))) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    return { ...c, soldAt, balances, total: async () => (await balances()).reduce((x, y) => x + y, 0n) };
  }
  /** Price plus simple interest at 10% a year for the whole days from the sale to `t` (actual/365), by hand. */
  const grossAt = (soldAt: number, t: number) => PRICE + (PRICE * RATE * BigInt(Math.floor((t - soldAt) / DAY_S))) / (10_000n * 365n);

  it("insurer paid first: the seller repurchases for the recourse amount less the payout; the financier gets the recourse amount once", async () => {
    const c = await insuredSoldWithRecourse();
    const total0 = await c.total();
    const [, f0, , , , e0] = await c.balances();
    await c.insurance.connect(c.financier).claim(c.id); // the financier holds it at the claim: 90% of 10,000
    const payout = 9_000n * UNIT;
    expect((await c.ledger.subrogation(c.id)).paidByInsurer).to.equal(payout);
    const t = (await networkHelpers.time.latest()) + 10;
    await networkHelpers.time.setNextBlockTimestamp(t);
    const gross = grossAt(c.soldAt, t);
    const net = gross - payout;
    await expect(c.market.connect(c.financier).claimRecourse(c.id)).to.emit(c.market, "RecourseClaimed").withArgs(c.id, c.finAddr, c.sellerAddr, net);
    expect(await c.market.recourseDue(c.id)).to.equal(net);
    const [s1] = await c.balances();
    await expect(c.market.connect(c.seller).repurchase(c.id)).to.emit(c.market, "RecourseSettled").withArgs(c.id, c.sellerAddr, c.finAddr, net);
    const [s2, f2, , , , e2] = await c.balances();
    expect(s1 - s2).to.equal(net);
    // Insurer's payout (from its escrow) plus the seller's repurchase: exactly the recourse amount, not both.
    expect(f2 - f0).to.equal(gross);
    expect(e0 - e2).to.equal(payout);
    expect(await c.total()).to.equal(total0);
    const v = await c.ledger.receivable(c.id);
    expect(v.holder).to.equal(c.sellerAddr);
    expect(v.lockedBy).to.equal(ethersZero);
    // Still subrogated: the buyer's late payment is shared between the insurer and the seller, nothing kept.
    const due = await c.ledger.amountDue(c.id, (await networkHelpers.time.latest()) + 1);
    await networkHelpers.time.setNextBlockTimestamp((await networkHelpers.time.latest()) + 1);
    const [s3, , i3, b3] = await c.balances();
    await c.ledger.connect(c.buyer).pay(c.id, due);
    const [s4, f4, i4, b4, m4, ins4] = await c.balances();
    const toInsurer = (due * payout + 10_000n * UNIT - 1n) / (10_000n * UNIT);
    expect(b3 - b4).to.equal(due);
    expect(i4 - i3).to.equal(toInsurer);
    expect(s4 - s3).to.equal(due - toInsurer);
    expect(f4).to.equal(f2);
    expect([m4, ins4]).to.deep.equal([0n, 0n]);
    expect(await c.total()).to.equal(total0);
  });

  it("insurer paid after the recourse claim: the repurchase still credits the payout", async () => {
    const c = await insuredSoldWithRecourse();
    const [, f0] = await c.balances();
    const t = (await networkHelpers.time.latest()) + 10;
    await networkHelpers.time.setNextBlockTimestamp(t);
    const gross = grossAt(c.soldAt, t);
    await expect(c.market.connect(c.financier).claimRecourse(c.id)).to.emit(c.market, "RecourseClaimed").withArgs(c.id, c.finAddr, c.sellerAddr, gross);
    expect(await c.market.recourseDue(c.id)).to.equal(gross);
    await c.insurance.connect(c.financier).claim(c.id);
    const payout = 9_000n * UNIT;
    expect(await c.market.recourseDue(c.id)).to.equal(gross - payout);
    await expect(c.market.connect(c.seller).repurchase(c.id))
      .to.emit(c.market, "RecourseSettled")
      .withArgs(c.id, c.sellerAddr, c.finAddr, gross - payout);
    const [, f2] = await c.balances();
    expect(f2 - f0).to.equal(gross);
    expect(await c.market.recourseDue(c.id)).to.equal(0n);
  });

  it("a payout at least the recourse amount discharges the recourse: the seller pays nothing, the financier keeps only the payout", async () => {
    const c = await insuredSoldWithRecourse(10_000);
    const total0 = await c.total();
    const [s0, f0] = await c.balances();
    await c.insurance.connect(c.financier).claim(c.id);
    const payout = 10_000n * UNIT;
    const t = (await networkHelpers.time.latest()) + 10;
    await networkHelpers.time.setNextBlockTimestamp(t);
    expect(grossAt(c.soldAt, t)).to.be.lessThan(payout);
    await expect(c.market.connect(c.financier).claimRecourse(c.id)).to.emit(c.market, "RecourseClaimed").withArgs(c.id, c.finAddr, c.sellerAddr, 0n);
    await expect(c.market.connect(c.seller).repurchase(c.id)).to.emit(c.market, "RecourseSettled").withArgs(c.id, c.sellerAddr, c.finAddr, 0n);
    const [s2, f2] = await c.balances();
    expect(s2).to.equal(s0);
    expect(f2 - f0).to.equal(payout);
    expect(await c.total()).to.equal(total0);
    expect((await c.ledger.receivable(c.id)).holder).to.equal(c.sellerAddr);
  });

  it("repurchase before any insurance claim: the seller pays the full amount and, now the holder, claims the policy itself", async () => {
    const c = await insuredSoldWithRecourse();
    const [s0, f0, , , , e0] = await c.balances();
    const t = (await networkHelpers.time.latest()) + 10;
    await networkHelpers.time.setNextBlockTimestamp(t);
    const gross = grossAt(c.soldAt, t);
    await c.market.connect(c.financier).claimRecourse(c.id);
    await c.market.connect(c.seller).repurchase(c.id);
    await expect(c.insurance.connect(c.financier).claim(c.id)).to.be.revertedWithCustomError(c.insurance, "InsuranceNotHolder");
    await c.insurance.connect(c.seller).claim(c.id);
    const [s2, f2, , , , e2] = await c.balances();
    expect(f2 - f0).to.equal(gross);
    expect(s2 - s0).to.equal(9_000n * UNIT - gross);
    expect(e0 - e2).to.equal(9_000n * UNIT);
  });
});

const ethersZero = "0x0000000000000000000000000000000000000000";
