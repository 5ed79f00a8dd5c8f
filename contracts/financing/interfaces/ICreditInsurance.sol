// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Credit insurance on receivables: an admitted insurer offers a policy (coverage, premium, expiry) and
/// escrows the maximum payout; the holder accepts by paying the premium; if the receivable defaults while
/// covered, the holder claims and is paid the covered share of the outstanding amount, once.
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

    error InsuranceNotInsurer(address account);
    error InsuranceAlreadyCovered(uint256 id, address insurer);
    error InsuranceInvalidPolicy(uint256 id, string field);
    error InsuranceNoPolicy(uint256 id);
    error InsuranceNotHolder(uint256 id, address caller, address holder);
    error InsuranceNotClaimable(uint256 id, uint8 status);
    error InsuranceNotReleasable(uint256 id);

    function offerPolicy(uint256 id, uint16 coverageBps, uint96 premium, uint32 expiry) external;
    function acceptPolicy(uint256 id) external;
    function claim(uint256 id) external returns (uint256 payout);
    function release(uint256 id) external;
    function policy(uint256 id) external view returns (Policy memory);
}
