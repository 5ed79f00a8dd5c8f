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
        keccak256("Offer(uint256 id,uint32 listing,address financier,uint96 price,uint256 nonce,uint256 expiry)");

    enum State {
        None,
        Listed,
        SoldWithRecourse,
        RecourseClaimed
    }

    /// @dev Two slots, reused from listing to sale so a sale writes no fresh slot. A deal is live while `party` is
    /// set: ending one clears slot 0 only, so slot 1 keeps `listings` (listing numbers never repeat for a
    /// receivable) and its other fields are stale until the next listing rewrites them (read them via `_stateOf`
    /// and `deal`).
    struct Deal {
        // slot 0
        address party; // the lister, then the seller
        uint96 amount; // the reserve, then the price, then the recourse amount once claimed
        // slot 1
        uint32 time; // the listing deadline, then the sale time
        uint16 recourseRateBps;
        bool withRecourse;
        State state;
        uint32 listings; // how many times the receivable was listed here; the open listing is number listings - 1
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
        if (_stateOf(d) != State.None) revert MarketInvalidListing(id, "state");
        uint32 listing = d.listings;
        ledger.lock(id, msg.sender); // checks the caller holds it, it is confirmed and not locked
        _deals[id] = Deal({
            party: msg.sender,
            amount: reserve,
            time: deadline,
            recourseRateBps: recourseRateBps,
            withRecourse: withRecourse,
            state: State.Listed,
            listings: listing + 1
        });
        emit Listed(id, msg.sender, listing, reserve, deadline, withRecourse, recourseRateBps);
    }

    /// @inheritdoc IFactoringMarket
    function closeListing(uint256 id) external {
        Deal storage d = _deals[id];
        if (_stateOf(d) != State.Listed) revert MarketNotListed(id);
        address lister = d.party;
        if (msg.sender != lister && block.timestamp <= d.time) revert MarketListingOpen(id, d.time);
        _endDeal(d);
        emit ListingClosed(id, lister);
        ledger.unlock(id);
    }

    /// @inheritdoc IFactoringMarket
    function acceptOffer(Offer calldata offer, bytes calldata signature) external nonReentrant {
        uint256 id = offer.id;
        Deal storage d = _deals[id];
        if (_stateOf(d) != State.Listed) revert MarketNotListed(id);
        address seller = d.party;
        if (msg.sender != seller) revert MarketNotLister(id, msg.sender, seller);
        // state == Listed: listings >= 1.
        uint32 current = d.listings - 1;
        if (offer.listing != current) revert MarketWrongListing(id, offer.listing, current);
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
            _endDeal(d);
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
        if (_stateOf(d) != State.SoldWithRecourse) revert MarketNoRecourse(id);
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        if (msg.sender != v.holder) revert MarketNotHolder(id, msg.sender, v.holder);
        if (v.status != IReceivableLedger.Status.Defaulted) revert MarketRecourseNotClaimable(id, uint8(v.status));
        // Price plus simple interest at the agreed rate from the sale to now (actual/365, whole days).
        uint256 price = d.amount;
        uint256 elapsedDays = (block.timestamp - d.time) / 1 days;
        uint256 gross = price + (price * d.recourseRateBps * elapsedDays) / (BPS * 365);
        // Stored gross: an insurer's payout is credited when the seller pays, whenever the insurer paid.
        d.amount = SafeCast.toUint96(gross); // reverts rather than truncate an absurd claim
        d.state = State.RecourseClaimed;
        amount = _lessInsurance(id, gross);
        emit RecourseClaimed(id, v.holder, d.party, amount);
    }

    /// @inheritdoc IFactoringMarket
    function repurchase(uint256 id) external nonReentrant {
        Deal storage d = _deals[id];
        if (_stateOf(d) != State.RecourseClaimed) revert MarketNoRecourse(id);
        address seller = d.party;
        uint256 amount = _lessInsurance(id, d.amount);
        address holder = ledger.receivable(id).holder;
        _endDeal(d);
        emit RecourseSettled(id, seller, holder, amount);
        if (amount != 0) token.safeTransferFrom(msg.sender, holder, amount);
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
            _endDeal(_deals[id]);
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

    /// @inheritdoc IFactoringMarket
    function recourseDue(uint256 id) external view returns (uint256) {
        Deal storage d = _deals[id];
        return _stateOf(d) == State.RecourseClaimed ? _lessInsurance(id, d.amount) : 0;
    }

    /// @notice The deal recorded for a receivable (listing or recourse sale).
    /// Between deals every field is zero but `listings`.
    function deal(uint256 id) external view returns (Deal memory d) {
        d = _deals[id];
        if (d.party == address(0)) {
            d = Deal({
                party: address(0),
                amount: 0,
                time: 0,
                recourseRateBps: 0,
                withRecourse: false,
                state: State.None,
                listings: d.listings
            });
        }
    }

    function _offerDigest(Offer calldata off) internal view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(OFFER_TYPEHASH, off.id, off.listing, off.financier, off.price, off.nonce, off.expiry))
        );
    }

    /// @dev Ends a listing or a deal: clears slot 0 (`party` unset means no deal); slot 1 keeps the listing count.
    function _endDeal(Deal storage d) internal {
        d.party = address(0);
        d.amount = 0;
    }

    /// @dev The deal's state: None whenever `party` is unset, whatever slot 1 still says.
    function _stateOf(Deal storage d) internal view returns (State) {
        return d.party == address(0) ? State.None : d.state;
    }

    /// @dev A recourse amount less what a subrogated insurer paid on the receivable (see `repurchase`), >= 0.
    function _lessInsurance(uint256 id, uint256 amount) internal view returns (uint256) {
        (address insurer, uint256 paidByInsurer, ) = ledger.subrogation(id);
        if (insurer == address(0)) return amount;
        return amount > paidByInsurer ? amount - paidByInsurer : 0;
    }

    /// @dev Nonces are a bitmap: 256 per storage word, so a busy financier rarely pays for a fresh slot.
    function _useNonce(address financier, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = _usedNonces[financier][nonce >> 8];
        if (word & bit != 0) revert MarketOfferUsed(financier, nonce);
        _usedNonces[financier][nonce >> 8] = word | bit;
    }
}
