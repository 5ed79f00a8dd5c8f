// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title The callback a financing module (issue 5) receives while it holds a lien on a receivable.
/// @notice While a receivable is locked, the ledger routes its payments to the module holding the lien and then
/// calls `onReceivablePayment`, so the module can run its waterfall (lender first, surplus to the holder).
interface IFinancingModule {
    /// @param id the receivable paid
    /// @param holder the receivable's holder at the time of payment
    /// @param amount what the module received for it in this payment (settlement-token base units)
    /// @param outstanding the face amount still unpaid after this payment
    function onReceivablePayment(uint256 id, address holder, uint256 amount, uint256 outstanding) external;
}
