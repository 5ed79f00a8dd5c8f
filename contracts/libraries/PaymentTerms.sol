// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Payment-terms maths: early-payment discount and late interest (simple, actual/365).
/// @notice Pure functions over amounts in token base units; rounding always favours the party receiving money
/// by at most one unit (the payer pays the discounted amount rounded up; interest is rounded down per whole day).
library PaymentTermsMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant DAYS_PER_YEAR = 365;

    /// @notice The discount window is open at `timestamp` (inclusive of its last second).
    function inDiscountWindow(uint256 issueDate, uint256 discountDays, uint256 discountBps, uint256 timestamp)
        internal
        pure
        returns (bool)
    {
        return discountDays != 0 && discountBps != 0 && timestamp <= issueDate + discountDays * 1 days;
    }

    /// @notice What settles `outstanding` in full inside the discount window: outstanding × (1 − bps), rounded up.
    function discounted(uint256 outstanding, uint256 discountBps) internal pure returns (uint256) {
        // discountBps < BPS is enforced at registration; products fit easily (2^96 × 2^14).
        return (outstanding * (BPS - discountBps) + BPS - 1) / BPS;
    }

    /// @notice The face amount a partial payment of `amount` settles inside the discount window (rounded down).
    function principalFor(uint256 amount, uint256 discountBps) internal pure returns (uint256) {
        return (amount * BPS) / (BPS - discountBps);
    }

    /// @notice When late interest starts to accrue: the due date plus the grace period.
    function lateFrom(uint256 dueDate, uint256 graceDays) internal pure returns (uint256) {
        return dueDate + graceDays * 1 days;
    }

    /// @notice Simple late interest on `outstanding` at `rateBps` a year for the whole days from `from` to `to`,
    /// actual/365. Returns the interest and the whole days it covers.
    function lateInterest(uint256 outstanding, uint256 rateBps, uint256 from, uint256 to)
        internal
        pure
        returns (uint256 interest, uint256 wholeDays)
    {
        if (to <= from || rateBps == 0) return (0, 0);
        wholeDays = (to - from) / 1 days;
        interest = (outstanding * rateBps * wholeDays) / (BPS * DAYS_PER_YEAR);
    }
}
