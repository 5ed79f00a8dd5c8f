// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {FactoringMarket} from "../../financing/FactoringMarket.sol";
import {PledgeLoans} from "../../financing/PledgeLoans.sol";
import {CreditInsurance} from "../../financing/CreditInsurance.sol";
import {IFactoringMarket} from "../../financing/interfaces/IFactoringMarket.sol";
import {IPledgeLoans} from "../../financing/interfaces/IPledgeLoans.sol";
import {LedgerSetup} from "../utils/LedgerSetup.sol";
import {IReceivableLedger} from "../../interfaces/IReceivableLedger.sol";

/// @notice Fuzz tests of the financing money paths: sale (DvP), loan waterfall, recourse, insurance claims.
contract FinancingFuzzTest is LedgerSetup {
    FactoringMarket internal market;
    PledgeLoans internal loans;
    CreditInsurance internal insurance;
    address internal insurer = address(0x1A5);

    function setUp() public {
        _deploy();
        market = new FactoringMarket(ledger);
        loans = new PledgeLoans(ledger);
        insurance = new CreditInsurance(ledger);
        ledger.setFinancingModule(address(market), true);
        ledger.setFinancingModule(address(loans), true);
        ledger.setFinancingModule(address(insurance), true);
        registry.admit(insurer, 16, uint64(START + 3650 days));
        token.mint(financier, type(uint128).max);
        token.mint(seller, type(uint128).max);
        token.mint(insurer, type(uint128).max);
        VM.startPrank(financier);
        token.approve(address(market), type(uint256).max);
        token.approve(address(loans), type(uint256).max);
        VM.stopPrank();
        VM.startPrank(seller);
        token.approve(address(market), type(uint256).max);
        token.approve(address(loans), type(uint256).max);
        token.approve(address(insurance), type(uint256).max);
        VM.stopPrank();
        VM.prank(insurer);
        token.approve(address(insurance), type(uint256).max);
    }

    function _offer(uint256 id, uint96 price, uint256 nonce, uint256 expiry)
        internal
        view
        returns (IFactoringMarket.Offer memory offer, bytes memory sig)
    {
        uint32 n = market.deal(id).listings; // the open listing's number (0 before the first)
        offer = IFactoringMarket.Offer({
            id: id, listing: n == 0 ? 0 : n - 1, financier: financier, price: price, nonce: nonce, expiry: expiry
        });
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(FINANCIER_KEY, market.offerDigest(offer));
        sig = abi.encodePacked(r, s, v);
    }

    /// Delivery versus payment: the seller receives exactly the price, the financier pays exactly it and gets the
    /// receivable; the market keeps nothing; the same offer cannot be redeemed twice.
    function testFuzz_saleIsAtomicAndConserved(uint96 face, uint96 price, uint96 reserve) public {
        face = uint96(bound(face, 1, type(uint96).max));
        reserve = uint96(bound(reserve, 0, type(uint96).max));
        price = uint96(bound(price, reserve, type(uint96).max));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("sale", face, price)), face);
        VM.prank(seller);
        market.list(id, reserve, uint32(block.timestamp + 1 days), false, 0);
        (IFactoringMarket.Offer memory offer, bytes memory sig) = _offer(id, price, 7, block.timestamp + 1 hours);
        uint256 s0 = token.balanceOf(seller);
        uint256 f0 = token.balanceOf(financier);
        VM.prank(seller);
        market.acceptOffer(offer, sig);
        assertEq(token.balanceOf(seller) - s0, price, "seller got the price");
        assertEq(f0 - token.balanceOf(financier), price, "financier paid the price");
        assertEq(token.balanceOf(address(market)), 0, "market keeps nothing");
        assertTrue(ledger.receivable(id).holder == financier, "financier holds it");
        // Relisted by the financier, the same signed offer is rejected (nonce used).
        VM.prank(financier);
        market.list(id, 0, uint32(block.timestamp + 1 days), false, 0);
        VM.prank(financier);
        VM.expectRevert();
        market.acceptOffer(offer, sig);
    }

    /// Expired offers are rejected.
    function testFuzz_expiredOfferRejected(uint32 lateBy) public {
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("expired", lateBy)), 1_000);
        VM.prank(seller);
        market.list(id, 0, uint32(block.timestamp + 30 days), false, 0);
        (IFactoringMarket.Offer memory offer, bytes memory sig) = _offer(id, 900, 1, block.timestamp + 1 hours);
        VM.warp(block.timestamp + 1 hours + 1 + bound(lateBy, 0, 20 days));
        VM.prank(seller);
        VM.expectRevert(abi.encodeWithSelector(IFactoringMarket.MarketOfferExpired.selector, id, offer.expiry));
        market.acceptOffer(offer, sig);
    }

    /// The loan waterfall conserves value: what the buyer pays = what the lender gets + what the holder gets;
    /// the lender gets min(payment, owed); the module keeps nothing.
    function testFuzz_waterfallConservesValue(uint96 face, uint16 advanceBps, uint16 rateBps, uint256 pay, uint256 warpTo)
        public
    {
        face = uint96(bound(face, 10_000, type(uint96).max));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("loan", face, advanceBps)), face);
        _openLoan(id, uint16(bound(advanceBps, 1, 10_000)), rateBps);
        assertTrue(ledger.receivable(id).lockedBy == address(loans), "locked by the loan module");
        VM.warp(bound(warpTo, block.timestamp, block.timestamp + 35 days)); // before the due date: no late interest
        _payAndCheckWaterfall(id, bound(pay, 1, uint256(face) * 2));
    }

    function _openLoan(uint256 id, uint16 advanceBps, uint16 rateBps) internal {
        IPledgeLoans.LoanOffer memory offer = IPledgeLoans.LoanOffer({
            id: id, lender: financier, advanceBps: advanceBps, rateBps: rateBps, nonce: 1, expiry: block.timestamp + 1 days
        });
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(FINANCIER_KEY, loans.offerDigest(offer));
        VM.prank(seller);
        loans.openLoan(offer, abi.encodePacked(r, s, v));
    }

    function _payAndCheckWaterfall(uint256 id, uint256 amount) internal {
        uint256 owed = loans.owed(id);
        uint256 b0 = token.balanceOf(buyer);
        uint256 l0 = token.balanceOf(financier);
        uint256 h0 = token.balanceOf(seller);
        VM.prank(buyer);
        uint256 taken = ledger.pay(id, amount);
        uint256 toLender = token.balanceOf(financier) - l0;
        assertEq(b0 - token.balanceOf(buyer), taken, "buyer paid what was taken");
        assertEq(toLender + token.balanceOf(seller) - h0, taken, "lender + holder = paid");
        assertEq(toLender, taken < owed ? taken : owed, "lender first");
        assertEq(token.balanceOf(address(loans)), 0, "module keeps nothing");
    }

    /// A locked receivable cannot move, be split, sold or pledged again — by anyone.
    function testFuzz_lockedCannotMove(address to) public {
        VM.assume(to != address(0));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("locked", to)), 1_000_000);
        VM.prank(seller);
        market.list(id, 0, uint32(block.timestamp + 1 days), false, 0);
        VM.prank(seller);
        VM.expectRevert();
        ledger.transfer(id, financier);
        uint96[] memory amounts = new uint96[](2);
        amounts[0] = 1;
        amounts[1] = 999_999;
        address[] memory holders = new address[](2);
        holders[0] = seller;
        holders[1] = seller;
        VM.prank(seller);
        VM.expectRevert();
        ledger.split(id, amounts, holders);
        IPledgeLoans.LoanOffer memory offer = IPledgeLoans.LoanOffer({
            id: id, lender: financier, advanceBps: 5_000, rateBps: 0, nonce: 9, expiry: block.timestamp + 1 days
        });
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(FINANCIER_KEY, loans.offerDigest(offer));
        VM.prank(seller);
        VM.expectRevert();
        loans.openLoan(offer, abi.encodePacked(r, s, v));
        VM.prank(to);
        VM.expectRevert();
        ledger.moduleTransfer(id, to);
        assertTrue(ledger.receivable(id).holder == seller, "still with the seller");
    }

    /// Recourse conserves value and returns the receivable: the seller pays exactly the claim to the holder.
    function testFuzz_recourseConserved(uint96 price, uint16 rateBps, uint32 lateDays) public {
        price = uint96(bound(price, 1, 1e24));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("recourse", price, rateBps)), price);
        VM.prank(seller);
        market.list(id, 0, uint32(block.timestamp + 1 days), true, rateBps);
        (IFactoringMarket.Offer memory offer, bytes memory sig) = _offer(id, price, 3, block.timestamp + 1 hours);
        VM.prank(seller);
        market.acceptOffer(offer, sig);
        VM.warp(block.timestamp + 46 days + bound(lateDays, 0, 400) * 1 days); // past due + grace
        VM.prank(financier);
        ledger.markDefaulted(id);
        VM.prank(financier);
        uint256 claim = market.claimRecourse(id);
        assertLe(price, claim, "claim >= price");
        uint256 s0 = token.balanceOf(seller);
        uint256 f0 = token.balanceOf(financier);
        VM.prank(seller);
        market.repurchase(id);
        assertEq(s0 - token.balanceOf(seller), claim, "seller paid the claim");
        assertEq(token.balanceOf(financier) - f0, claim, "holder received the claim");
        assertTrue(ledger.receivable(id).holder == seller, "back with the seller");
        assertTrue(ledger.receivable(id).lockedBy == address(0), "unlocked");
    }

    /// Recourse after an insurance claim (either order): the insurer's payout is credited to the seller, so the
    /// financier recovers payout + max(0, recourse amount - payout) = max(recourse amount, payout), never both in
    /// full; the seller pays exactly the rest; value is conserved and the market keeps nothing.
    function testFuzz_insuredRecourseNoDoubleRecovery(
        uint96 face,
        uint96 price,
        uint16 coverageBps,
        uint16 rateBps,
        bool insurerFirst
    ) public {
        face = uint96(bound(face, 1_000, 1e24));
        price = uint96(bound(price, 1, face));
        coverageBps = uint16(bound(coverageBps, 1, 10_000));
        uint256 id = _insuredSoldWithRecourseDefaulted(face, price, coverageBps, rateBps);
        uint256[3] memory before = [token.balanceOf(financier), token.balanceOf(seller), _insuredParties()];
        (uint256 payout, uint256 claimed) = _claimBoth(id, insurerFirst);
        assertEq(payout, (uint256(face) * coverageBps) / 10_000, "covered share");
        uint256 gross = price + (uint256(price) * rateBps * 46) / (10_000 * 365);
        uint256 due = gross > payout ? gross - payout : 0;
        assertEq(claimed, insurerFirst ? due : gross, "claim net of a payout already made");
        assertEq(market.recourseDue(id), due, "due = recourse amount less payout");
        VM.prank(seller);
        market.repurchase(id);
        assertEq(token.balanceOf(financier) - before[0], payout + due, "financier: payout plus the net repurchase");
        assertEq(payout + due, gross > payout ? gross : payout, "never payout plus the full recourse amount");
        assertEq(before[1] - token.balanceOf(seller), due, "seller pays the net");
        assertEq(_insuredParties(), before[2], "conserved");
        assertEq(token.balanceOf(address(market)), 0, "market keeps nothing");
        assertTrue(ledger.receivable(id).holder == seller, "back with the seller");
        assertEq(market.recourseDue(id), 0, "nothing due after");
    }

    /// The seller insures a receivable, sells it with recourse, and 46 days later the financier marks it defaulted.
    function _insuredSoldWithRecourseDefaulted(uint96 face, uint96 price, uint16 coverageBps, uint16 rateBps)
        internal
        returns (uint256 id)
    {
        id = _registerConfirmed(seller, keccak256(abi.encode("insrec", face, price, coverageBps)), face);
        VM.prank(insurer);
        insurance.offerPolicy(id, coverageBps, 0, uint32(block.timestamp + 100 days));
        VM.prank(seller);
        insurance.acceptPolicy(id);
        VM.prank(seller);
        market.list(id, 0, uint32(block.timestamp + 1 days), true, rateBps);
        (IFactoringMarket.Offer memory offer, bytes memory sig) = _offer(id, price, 11, block.timestamp + 1 hours);
        VM.prank(seller);
        market.acceptOffer(offer, sig);
        VM.warp(block.timestamp + 46 days); // past due + grace
        VM.prank(financier);
        ledger.markDefaulted(id);
    }

    /// The financier claims insurance and recourse, in the order given.
    function _claimBoth(uint256 id, bool insurerFirst) internal returns (uint256 payout, uint256 claimed) {
        VM.startPrank(financier);
        if (insurerFirst) {
            payout = insurance.claim(id);
            claimed = market.claimRecourse(id);
        } else {
            claimed = market.claimRecourse(id);
            payout = insurance.claim(id);
        }
        VM.stopPrank();
    }

    /// Financier, seller, insurer and the insurance module's escrow together.
    function _insuredParties() internal view returns (uint256) {
        return token.balanceOf(financier) + token.balanceOf(seller) + token.balanceOf(insurer)
            + token.balanceOf(address(insurance));
    }

    /// Insurance: one policy at a time; a claim pays the covered share once; escrow is fully returned.
    function testFuzz_insuranceClaimOnce(uint96 face, uint16 coverageBps) public {
        face = uint96(bound(face, 1, 1e27));
        coverageBps = uint16(bound(coverageBps, 1, 10_000));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("ins", face, coverageBps)), face);
        VM.prank(insurer);
        insurance.offerPolicy(id, coverageBps, 0, uint32(block.timestamp + 100 days));
        VM.prank(insurer);
        VM.expectRevert();
        insurance.offerPolicy(id, coverageBps, 0, uint32(block.timestamp + 100 days));
        VM.prank(seller);
        insurance.acceptPolicy(id);
        VM.warp(block.timestamp + 46 days);
        VM.prank(seller);
        ledger.markDefaulted(id);
        uint256 i0 = token.balanceOf(insurer);
        uint256 s0 = token.balanceOf(seller);
        VM.prank(seller);
        uint256 payout = insurance.claim(id);
        assertEq(payout, (uint256(face) * coverageBps) / 10_000, "covered share");
        assertEq(token.balanceOf(seller) - s0, payout, "holder paid");
        assertEq(token.balanceOf(insurer), i0, "nothing left over to return");
        assertEq(token.balanceOf(address(insurance)), 0, "escrow spent");
        VM.prank(seller);
        VM.expectRevert();
        insurance.claim(id);
    }

    /// Subrogation: after a paid claim every later payment is shared, the insurer getting
    /// ceil(taken * payout / outstanding at the claim). Each payment is conserved (buyer's money = insurer's share +
    /// holder's share, nothing stays in the ledger or the module) and the holder never recovers more in total
    /// than it was owed (face plus the late interest paid).
    function testFuzz_subrogatedRecoveryShared(uint96 face, uint16 coverageBps, uint256 first) public {
        face = uint96(bound(face, 1_000, 1e27));
        coverageBps = uint16(bound(coverageBps, 1, 10_000));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("sub", face, coverageBps)), face);
        VM.prank(insurer);
        insurance.offerPolicy(id, coverageBps, 0, uint32(block.timestamp + 100 days));
        VM.prank(seller);
        insurance.acceptPolicy(id);
        VM.warp(block.timestamp + 46 days);
        VM.prank(seller);
        ledger.markDefaulted(id);
        VM.prank(seller);
        uint256 payout = insurance.claim(id);
        uint256 holderTotal = payout;
        uint256 buyerTotal;
        for (uint256 round; round < 2; ++round) {
            VM.warp(block.timestamp + 3 days);
            uint256 due = ledger.amountDue(id, block.timestamp);
            uint256 amount = round == 0 ? bound(first, due / 2 + 1, due) : due;
            (uint256 taken, uint256 toHolder) = _payShared(id, amount, payout, face);
            holderTotal += toHolder;
            buyerTotal += taken;
            if (ledger.receivable(id).status == IReceivableLedger.Status.Paid) break;
        }
        assertEq(uint8(ledger.receivable(id).status), uint8(IReceivableLedger.Status.Paid), "settled");
        assertLe(holderTotal, buyerTotal, "holder recovers at most what the buyer paid in all (face + interest)");
        assertEq(insurance.subrogation(id).recovered, buyerTotal + payout - holderTotal, "recorded recovery");
    }

    /// One payment of a subrogated receivable, checked: conserved, the insurer's share rounded up, nothing kept.
    function _payShared(uint256 id, uint256 amount, uint256 payout, uint256 base)
        internal
        returns (uint256 taken, uint256 toHolder)
    {
        uint256 b0 = token.balanceOf(buyer);
        uint256 i0 = token.balanceOf(insurer);
        uint256 h0 = token.balanceOf(seller);
        VM.prank(buyer);
        taken = ledger.pay(id, amount);
        uint256 toInsurer = token.balanceOf(insurer) - i0;
        toHolder = token.balanceOf(seller) - h0;
        assertEq(b0 - token.balanceOf(buyer), taken, "buyer pays what is taken");
        assertEq(toInsurer + toHolder, taken, "conserved");
        assertEq(toInsurer, (taken * payout + base - 1) / base, "insurer's pro-rata share, rounded up");
        assertEq(token.balanceOf(address(insurance)), 0, "module keeps nothing");
        assertEq(token.balanceOf(address(ledger)), 0, "ledger keeps nothing");
    }
}
