// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Credit insurance on receivables: an admitted insurer offers a policy (coverage, premium, expiry) and
/// escrows the maximum payout; the holder accepts by paying the premium; if the receivable defaults while
/// covered, the holder claims and is paid the covered share of the outstanding amount, once.
///
/// Subrogation: paying a claim subrogates the insurer, pro rata, for what it paid (the ledger's `subrogate`):
/// of every later payment of the receivable the insurer receives `ceil(payment * payout / outstandingAtClaim)`
/// (forwarded to it by this contract, `SubrogationRecovered`), the holder the rest. The holder therefore never
/// recovers more than it was owed in total, and the insurer recovers its share of every recovery.
interface ICreditInsurance {
    struct Policy {
        // slot 0
        address insurer;
        uint16 coverageBps;
        uint32 expiry;
        bool active; // accepted by the holder
        bool claimed;
        // slot 1
        uint96 premium;
        uint96 escrow; // the maximum payout, held here until claim or release
    }

    event PolicyOffered(
        uint256 indexed id, address indexed insurer, uint16 coverageBps, uint96 premium, uint32 expiry, uint96 escrow
    );
    event PolicyAccepted(uint256 indexed id, address indexed holder, address indexed insurer, uint96 premium);
    event PolicyClaimed(uint256 indexed id, address indexed holder, address indexed insurer, uint256 payout);
    event PolicyReleased(uint256 indexed id, address indexed insurer, uint256 escrow);
    /// @notice The insurer received `amount` of a later payment of a receivable it paid a claim on;
    /// `recovered` is its total so far.
    event SubrogationRecovered(uint256 indexed id, address indexed insurer, uint256 amount, uint256 recovered);

    /// @notice The insurer's subrogation after a paid claim: who, what it paid, what it recovered since.
    struct Subrogation {
        address insurer;
        uint96 paid;
        uint96 recovered;
    }

    error InsuranceNotInsurer(address account);
    error InsuranceAlreadyCovered(uint256 id, address insurer);
    error InsuranceInvalidPolicy(uint256 id, string field);
    error InsuranceNoPolicy(uint256 id);
    error InsuranceNotHolder(uint256 id, address caller, address holder);
    error InsuranceNotClaimable(uint256 id, uint8 status);
    error InsuranceNotReleasable(uint256 id);
    error InsuranceOnlyLedger(address caller);

    function offerPolicy(uint256 id, uint16 coverageBps, uint96 premium, uint32 expiry) external;
    function acceptPolicy(uint256 id) external;
    function claim(uint256 id) external returns (uint256 payout);
    function release(uint256 id) external;
    function policy(uint256 id) external view returns (Policy memory);
    function subrogation(uint256 id) external view returns (Subrogation memory);
}
