// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Receivable-backed loans (pledge): a lender advances a share of a confirmed receivable's outstanding
/// amount; the receivable is locked until the loan is repaid; the buyer's payment repays the lender first
/// (principal plus interest), the surplus goes to the holder; on default the lender takes the receivable.
interface IPledgeLoans {
    /// @notice The lender's signed offer: lend `advanceBps` of the outstanding amount of `id` at `rateBps` a year.
    struct LoanOffer {
        uint256 id;
        address lender;
        uint16 advanceBps;
        uint16 rateBps;
        uint256 nonce;
        uint256 expiry;
    }

    event LoanOpened(
        uint256 indexed id, address indexed borrower, address indexed lender, uint96 principal, uint16 rateBps, uint256 nonce
    );
    /// @notice `toLender` repaid the loan (principal + interest first), `toHolder` was the surplus.
    event LoanRepayment(
        uint256 indexed id, address indexed lender, uint256 toLender, uint256 toHolder, uint256 owedAfter
    );
    event LoanClosed(uint256 indexed id, address indexed lender);
    event CollateralSeized(uint256 indexed id, address indexed lender, uint256 owed);
    event LoanOfferCancelled(address indexed lender, uint256 nonce);

    error LoanNone(uint256 id);
    error LoanInvalidOffer(uint256 id, string field);
    error LoanOfferExpired(uint256 id, uint256 expiry);
    error LoanOfferUsed(address lender, uint256 nonce);
    error LoanNotLender(uint256 id, address caller, address lender);
    error LoanInvalidSignature(uint256 id, address lender);
    error LoanNotDefaulted(uint256 id, uint8 status);
    error LoanOnlyLedger(address caller);

    /// @notice The holder opens a loan with a lender's signed offer: the principal moves to the holder and the
    /// receivable is locked, in one transaction.
    function openLoan(LoanOffer calldata offer, bytes calldata signature) external returns (uint96 principal);
    /// @notice Anyone (usually the borrower) repays what is owed; the receivable is unlocked.
    function repay(uint256 id) external;
    /// @notice On default, the lender takes the receivable (the loan is closed).
    function seize(uint256 id) external;
    function cancelOffer(uint256 nonce) external;
    /// @notice Principal plus interest to date, minus repayments.
    function owed(uint256 id) external view returns (uint256);
    function offerDigest(LoanOffer calldata offer) external view returns (bytes32);
}
