// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Factoring market: listings, EIP-712 signed offers, atomic sale (DvP) and recourse.
/// @notice A holder lists a confirmed receivable (the listing locks it); financiers sign offers off-chain (held by
/// the server, private to bidder and lister, costing a losing bidder nothing); the lister redeems one on chain:
/// the price moves from the financier to the lister and the receivable to the financier in one transaction.
interface IFactoringMarket {
    /// @notice A financier's signed offer: `price` for receivable `id` on its listing number `listing`, valid until
    /// `expiry`, once per `nonce`. `listing` is the receivable's listing sequence number (0 for its first listing,
    /// counted by this market, emitted in `Listed`): an offer is valid only on the listing it was made on, so a bid
    /// on an earlier listing (maybe by another holder, on other terms) cannot be redeemed on a later one.
    struct Offer {
        uint256 id;
        uint32 listing;
        address financier;
        uint96 price;
        uint256 nonce;
        uint256 expiry;
    }

    event Listed(
        uint256 indexed id,
        address indexed lister,
        uint32 listing,
        uint96 reserve, uint32 deadline, bool withRecourse, uint16 recourseRateBps
    );
    event ListingClosed(uint256 indexed id, address indexed lister);
    event Sold(
        uint256 indexed id, address indexed seller, address indexed financier, uint96 price, bool withRecourse, uint256 nonce
    );
    event OfferCancelled(address indexed financier, uint256 nonce);
    event PaymentForwarded(uint256 indexed id, address indexed holder, uint256 amount);
    event RecourseClaimed(uint256 indexed id, address indexed holder, address indexed seller, uint256 amount);
    event RecourseSettled(uint256 indexed id, address indexed seller, address indexed holder, uint256 amount);

    error MarketNotListed(uint256 id);
    error MarketNotLister(uint256 id, address caller, address lister);
    error MarketListingExpired(uint256 id, uint32 deadline);
    error MarketListingOpen(uint256 id, uint32 deadline);
    error MarketInvalidListing(uint256 id, string field);
    error MarketOfferExpired(uint256 id, uint256 expiry);
    /// @notice The offer names listing `offered` of receivable `id`; the open listing is number `current`.
    error MarketWrongListing(uint256 id, uint32 offered, uint32 current);
    error MarketOfferUsed(address financier, uint256 nonce);
    error MarketBelowReserve(uint256 id, uint96 price, uint96 reserve);
    error MarketNotFinancier(address account);
    error MarketInvalidSignature(uint256 id, address financier);
    error MarketNoRecourse(uint256 id);
    error MarketRecourseNotClaimable(uint256 id, uint8 status);
    error MarketNotHolder(uint256 id, address caller, address holder);
    error MarketOnlyLedger(address caller);

    /// @notice Lists a confirmed receivable the caller holds; locks it until sale, withdrawal or expiry.
    function list(uint256 id, uint96 reserve, uint32 deadline, bool withRecourse, uint16 recourseRateBps) external;
    /// @notice The lister withdraws; or anyone closes a listing past its deadline. Unlocks the receivable.
    function closeListing(uint256 id) external;
    /// @notice The lister accepts a financier's signed offer: atomic delivery versus payment.
    function acceptOffer(Offer calldata offer, bytes calldata signature) external;
    /// @notice A financier withdraws an offer it signed.
    function cancelOffer(uint256 nonce) external;
    /// @notice The holder of a receivable sold with recourse that defaulted claims the repurchase amount: the price
    /// plus simple interest at the agreed rate (actual/365, whole days), less what a credit insurer has paid on the
    /// receivable (see `recourseDue`). Returns and emits that net amount.
    function claimRecourse(uint256 id) external returns (uint256 amount);
    /// @notice The seller (or anyone on its behalf) pays `recourseDue(id)` to the holder; the receivable returns to
    /// the seller.
    /// @dev Recourse and credit insurance (no double recovery). The seller's recourse guarantees the financier's
    /// loss on the receivable; it is not a second recovery of it. Once an insurer has paid a claim of
    /// `paidByInsurer` on the receivable (the ledger's `subrogation`), the insurance proceeds are credited to the
    /// seller: it owes `max(0, price + interest - paidByInsurer)`, so the financier receives from insurer and
    /// seller together exactly the recourse amount (or the insurer's payout alone, if larger: the recourse is then
    /// fully discharged and the seller takes the receivable back for nothing). The receivable returns to the
    /// seller still subrogated: the insurer keeps its pro-rata share of every later payment by the buyer (its
    /// recovery is against the buyer, not the seller), the seller receives the rest. The credit applies whether
    /// the insurer paid before or after `claimRecourse`; a claim paid after the repurchase goes to the seller as
    /// holder, who then bears no recourse.
    function repurchase(uint256 id) external;
    /// @notice What `repurchase(id)` pulls now: the claimed recourse amount less what an insurer has paid on the
    /// receivable, never below zero; 0 when no recourse claim is open.
    function recourseDue(uint256 id) external view returns (uint256);

    function offerDigest(Offer calldata offer) external view returns (bytes32);
    function isNonceUsed(address financier, uint256 nonce) external view returns (bool);
}
