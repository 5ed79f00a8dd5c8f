// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IReceivableLedger} from "../../interfaces/IReceivableLedger.sol";
import {ReceivableLedger} from "../../ReceivableLedger.sol";
import {SettlementToken} from "../../SettlementToken.sol";
import {FactoringMarket} from "../../financing/FactoringMarket.sol";
import {PledgeLoans} from "../../financing/PledgeLoans.sol";
import {IFactoringMarket} from "../../financing/interfaces/IFactoringMarket.sol";
import {IPledgeLoans} from "../../financing/interfaces/IPledgeLoans.sol";
import {LedgerSetup, IVm} from "../utils/LedgerSetup.sol";

/// @notice Random sequences of listings, sales, loans, payments and withdrawals over a few receivables.
contract FinancingHandler {
    IVm internal constant VM = IVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    ReceivableLedger internal immutable ledger;
    SettlementToken internal immutable token;
    FactoringMarket internal immutable market;
    PledgeLoans internal immutable loans;
    address internal immutable seller;
    address internal immutable buyer;
    address internal immutable financier;
    uint256 internal immutable financierKey;
    uint256[] public ids;
    uint256 internal nonce;

    constructor(
        ReceivableLedger ledger_,
        FactoringMarket market_,
        PledgeLoans loans_,
        address seller_,
        address buyer_,
        address financier_,
        uint256 financierKey_,
        uint256[] memory ids_
    ) {
        ledger = ledger_;
        token = SettlementToken(ledger_.settlementToken());
        market = market_;
        loans = loans_;
        seller = seller_;
        buyer = buyer_;
        financier = financier_;
        financierKey = financierKey_;
        ids = ids_;
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function list(uint256 idSeed, bool withRecourse) external {
        uint256 id = ids[idSeed % ids.length];
        address holder = ledger.receivable(id).holder;
        VM.prank(holder);
        market.list(id, 1, uint32(block.timestamp + 2 days), withRecourse, withRecourse ? 500 : 0);
    }

    function accept(uint256 idSeed, uint96 price) external {
        uint256 id = ids[idSeed % ids.length];
        uint32 n = market.deal(id).listings;
        IFactoringMarket.Offer memory offer = IFactoringMarket.Offer({
            id: id,
            listing: n == 0 ? 0 : n - 1,
            financier: financier,
            price: uint96(1 + (price % 1e12)),
            nonce: ++nonce,
            expiry: block.timestamp + 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(financierKey, market.offerDigest(offer));
        VM.prank(market.deal(id).party);
        market.acceptOffer(offer, abi.encodePacked(r, s, v));
    }

    function closeListing(uint256 idSeed) external {
        uint256 id = ids[idSeed % ids.length];
        VM.prank(market.deal(id).party);
        market.closeListing(id);
    }

    function openLoan(uint256 idSeed, uint16 advanceBps) external {
        uint256 id = ids[idSeed % ids.length];
        IPledgeLoans.LoanOffer memory offer = IPledgeLoans.LoanOffer({
            id: id,
            lender: financier,
            advanceBps: uint16(1 + (advanceBps % 10_000)),
            rateBps: 1_000,
            nonce: ++nonce,
            expiry: block.timestamp + 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(financierKey, loans.offerDigest(offer));
        VM.prank(ledger.receivable(id).holder);
        loans.openLoan(offer, abi.encodePacked(r, s, v));
    }

    function repay(uint256 idSeed) external {
        uint256 id = ids[idSeed % ids.length];
        VM.prank(seller);
        loans.repay(id);
    }

    function pay(uint256 idSeed, uint256 amount) external {
        uint256 id = ids[idSeed % ids.length];
        VM.prank(buyer);
        ledger.pay(id, 1 + (amount % 2e12));
    }

    function transfer(uint256 idSeed, bool toFinancier) external {
        uint256 id = ids[idSeed % ids.length];
        address holder = ledger.receivable(id).holder;
        VM.prank(holder);
        ledger.transfer(id, toFinancier ? financier : seller);
    }

    function warp(uint16 hoursAhead) external {
        VM.warp(block.timestamp + (uint256(hoursAhead) % 72) * 1 hours);
    }
}

/// @notice Invariants of the financing modules.
contract FinancingInvariantTest is LedgerSetup {
    FactoringMarket internal market;
    PledgeLoans internal loans;
    FinancingHandler internal handler;
    uint256 internal supply;

    function setUp() public {
        _deploy();
        market = new FactoringMarket(ledger);
        loans = new PledgeLoans(ledger);
        ledger.setFinancingModule(address(market), true);
        ledger.setFinancingModule(address(loans), true);
        token.mint(financier, 1e30);
        token.mint(seller, 1e30);
        VM.startPrank(financier);
        token.approve(address(market), type(uint256).max);
        token.approve(address(loans), type(uint256).max);
        VM.stopPrank();
        VM.prank(seller);
        token.approve(address(loans), type(uint256).max);
        uint256[] memory ids = new uint256[](4);
        for (uint256 i; i < 4; ++i) ids[i] = _registerConfirmed(seller, keccak256(abi.encode("fin", i)), 1e12);
        handler = new FinancingHandler(ledger, market, loans, seller, buyer, financier, FINANCIER_KEY, ids);
        supply = token.totalSupply();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Money is conserved: the modules and the ledger never keep money between transactions; nothing is minted.
    function invariant_modulesHoldNoMoney() public view {
        assertEq(token.balanceOf(address(market)), 0, "market holds nothing");
        assertEq(token.balanceOf(address(loans)), 0, "loan module holds nothing");
        assertEq(token.balanceOf(address(ledger)), 0, "ledger holds nothing");
        assertEq(token.totalSupply(), supply, "supply unchanged");
    }

    /// No receivable is listed/sold with recourse and pledged at once; the ledger's lien names the module whose
    /// deal is live (a paid-off loan or listing may leave nothing, never two).
    function invariant_oneLienAtATime() public view {
        uint256 n = handler.idCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.ids(i);
            bool marketDeal = market.deal(id).state != FactoringMarket.State.None;
            bool loanOpen = loans.loan(id).lenderIndex != 0;
            address lockedBy = ledger.receivable(id).lockedBy;
            IReceivableLedger.Status s = ledger.receivable(id).status;
            assertTrue(!(marketDeal && loanOpen && lockedBy != address(0)), "two liens");
            if (lockedBy == address(market)) assertTrue(marketDeal, "market lien without a deal");
            if (lockedBy == address(loans)) assertTrue(loanOpen, "loan lien without a loan");
            if (marketDeal && s != IReceivableLedger.Status.Paid) assertTrue(lockedBy == address(market), "deal without lien");
        }
    }
}
