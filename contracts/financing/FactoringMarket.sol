// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {IFinancingModule} from "../interfaces/IFinancingModule.sol";
import {IFactoringMarket} from "./interfaces/IFactoringMarket.sol";

/// @title FactoringMarket
/// @notice See IFactoringMarket. A financing module of the ledger (approved by governance). A listing locks the
/// receivable; a sale without recourse unlocks it; a sale with recourse keeps the lien until the receivable is
/// paid or repurchased, so the recourse terms fixed at sale follow it. Payments while locked are forwarded to
/// the holder at once. The market holds money only inside a transaction.
contract FactoringMarket is IFactoringMarket, IFinancingModule, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_FINANCIER = 4;
    uint256 internal constant BPS = 10_000;
    bytes32 public constant OFFER_TYPEHASH =
        keccak256("Offer(uint256 id,address financier,uint96 price,uint256 nonce,uint256 expiry)");

    enum State {
        None,
        Listed,
        SoldWithRecourse,
        RecourseClaimed
    }

    /// @dev Two slots, reused from listing to sale so a sale writes no fresh slot.
    struct Deal {
        // slot 0
        address party; // the lister, then the seller
        uint96 amount; // the reserve, then the price, then the recourse amount once claimed
        // slot 1
        uint32 time; // the listing deadline, then the sale time
        uint16 recourseRateBps;
        bool withRecourse;
        State state;
    }

    IReceivableLedger public immutable ledger;
    IERC20 public immutable token;
    mapping(uint256 id => Deal) private _deals;
    mapping(address financier => mapping(uint256 word => uint256 bits)) private _usedNonces;

    constructor(IReceivableLedger ledger_) EIP712("FactoringMarket", "1") {
        ledger = ledger_;
        token = IERC20(ledger_.settlementToken());
    }

    /// @inheritdoc IFactoringMarket
    function list(uint256 id, uint96 reserve, uint32 deadline, bool withRecourse, uint16 recourseRateBps)
        external
    {
        if (deadline <= block.timestamp) revert MarketInvalidListing(id, "deadline");
        if (!withRecourse && recourseRateBps != 0) revert MarketInvalidListing(id, "recourseRateBps");
        Deal storage d = _deals[id];
        if (d.state != State.None) revert MarketInvalidListing(id, "state");
        ledger.lock(id, msg.sender); // checks the caller holds it, it is confirmed and not locked
        d.party = msg.sender;
        d.amount = reserve;
        d.time = deadline;
        d.recourseRateBps = recourseRateBps;
        d.withRecourse = withRecourse;
        d.state = State.Listed;
        emit Listed(id, msg.sender, reserve, deadline, withRecourse, recourseRateBps);
    }

    /// @inheritdoc IFactoringMarket
    function closeListing(uint256 id) external {
        Deal storage d = _deals[id];
        if (d.state != State.Listed) revert MarketNotListed(id);
        address lister = d.party;
        if (msg.sender != lister && block.timestamp <= d.time) revert MarketListingOpen(id, d.time);
        delete _deals[id];
        emit ListingClosed(id, lister);
        ledger.unlock(id);
    }

    /// @inheritdoc IFactoringMarket
    function acceptOffer(Offer calldata offer, bytes calldata signature) external nonReentrant {
        uint256 id = offer.id;
        Deal storage d = _deals[id];
        if (d.state != State.Listed) revert MarketNotListed(id);
        address seller = d.party;
        if (msg.sender != seller) revert MarketNotLister(id, msg.sender, seller);
        if (block.timestamp > d.time) revert MarketListingExpired(id, d.time);
        if (block.timestamp > offer.expiry) revert MarketOfferExpired(id, offer.expiry);
        if (offer.price < d.amount) revert MarketBelowReserve(id, offer.price, d.amount);
        address financier = offer.financier;
        if (!ledger.hasActiveRoles(financier, ROLE_FINANCIER)) revert MarketNotFinancier(financier);
        _useNonce(financier, offer.nonce);
        if (!SignatureChecker.isValidSignatureNowCalldata(financier, _offerDigest(offer), signature)) {
            revert MarketInvalidSignature(id, financier);
        }
        bool withRecourse = d.withRecourse;
        if (withRecourse) {
            d.amount = offer.price;
            d.time = uint32(block.timestamp);
            d.state = State.SoldWithRecourse;
        } else {
            delete _deals[id];
        }
        emit Sold(id, seller, financier, offer.price, withRecourse, offer.nonce);
        // Delivery versus payment: both legs in this transaction or neither.
        token.safeTransferFrom(financier, seller, offer.price);
        ledger.moduleTransfer(id, financier);
        if (!withRecourse) ledger.unlock(id);
    }

    /// @inheritdoc IFactoringMarket
    function cancelOffer(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
        emit OfferCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IFactoringMarket
    function claimRecourse(uint256 id) external returns (uint256 amount) {
        Deal storage d = _deals[id];
        if (d.state != State.SoldWithRecourse) revert MarketNoRecourse(id);
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        if (msg.sender != v.holder) revert MarketNotHolder(id, msg.sender, v.holder);
        if (v.status != IReceivableLedger.Status.Defaulted) revert MarketRecourseNotClaimable(id, uint8(v.status));
        // Price plus simple interest at the agreed rate from the sale to now (actual/365, whole days).
        uint256 price = d.amount;
        uint256 elapsedDays = (block.timestamp - d.time) / 1 days;
        amount = price + (price * d.recourseRateBps * elapsedDays) / (BPS * 365);
        d.amount = SafeCast.toUint96(amount); // reverts rather than truncate an absurd claim
        d.state = State.RecourseClaimed;
        emit RecourseClaimed(id, v.holder, d.party, amount);
    }

    /// @inheritdoc IFactoringMarket
    function repurchase(uint256 id) external nonReentrant {
        Deal storage d = _deals[id];
        if (d.state != State.RecourseClaimed) revert MarketNoRecourse(id);
        address seller = d.party;
        uint256 amount = d.amount;
        address holder = ledger.receivable(id).holder;
        delete _deals[id];
        emit RecourseSettled(id, seller, holder, amount);
        token.safeTransferFrom(msg.sender, holder, amount);
        ledger.moduleTransfer(id, seller);
        ledger.unlock(id);
    }

    /// @inheritdoc IFinancingModule
    /// @dev Payments on a listed or recourse-sold receivable go to the holder at once.
    function onReceivablePayment(uint256 id, address holder, uint256 amount, uint256 outstanding) external {
        if (msg.sender != address(ledger)) revert MarketOnlyLedger(msg.sender);
        emit PaymentForwarded(id, holder, amount);
        token.safeTransfer(holder, amount);
        if (outstanding == 0) {
            delete _deals[id];
            ledger.unlock(id);
        }
    }

    /// @inheritdoc IFactoringMarket
    function offerDigest(Offer calldata offer) external view returns (bytes32) {
        return _offerDigest(offer);
    }

    /// @inheritdoc IFactoringMarket
    function isNonceUsed(address financier, uint256 nonce) external view returns (bool) {
        return _usedNonces[financier][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @notice The deal recorded for a receivable (listing or recourse sale).
    function deal(uint256 id) external view returns (Deal memory) {
        return _deals[id];
    }

    function _offerDigest(Offer calldata off) internal view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(OFFER_TYPEHASH, off.id, off.financier, off.price, off.nonce, off.expiry))
        );
    }

    /// @dev Nonces are a bitmap: 256 per storage word, so a busy financier rarely pays for a fresh slot.
    function _useNonce(address financier, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = _usedNonces[financier][nonce >> 8];
        if (word & bit != 0) revert MarketOfferUsed(financier, nonce);
        _usedNonces[financier][nonce >> 8] = word | bit;
    }
}
