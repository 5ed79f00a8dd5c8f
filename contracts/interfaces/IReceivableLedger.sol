// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title The receivables ledger: one token per real invoice, identified by its fingerprint.
/// @notice A seller registers an invoice addressed to a buyer; the buyer confirms it (an irrevocable promise to
/// pay the face amount at maturity to whoever then holds it); the buyer pays in the settlement token and the
/// ledger routes the money to the current holder.
interface IReceivableLedger {
    /// @notice Lifecycle of a receivable. Transitions only move forward.
    enum Status {
        None,
        Registered,
        Confirmed,
        Paid
    }

    /// @notice Emitted when a seller registers an invoice. Carries everything needed to rebuild the record.
    event ReceivableRegistered(
        uint256 indexed id,
        bytes32 indexed fingerprint,
        address indexed seller,
        address buyer,
        uint256 amount,
        uint64 dueDate,
        bytes32 documentHash
    );
    /// @notice Emitted when the buyer confirms a receivable.
    event ReceivableConfirmed(uint256 indexed id, address indexed buyer);
    /// @notice Emitted when a payment settles (part of) a receivable. `outstanding` is what remains due.
    event ReceivablePaid(
        uint256 indexed id,
        address indexed payer,
        address indexed holder,
        uint256 amount,
        uint256 outstanding
    );

    /// @notice The caller lacks an active admission with the needed role.
    error LedgerUnauthorized(address account, uint8 roles);
    /// @notice The fingerprint is already registered, by anyone.
    error LedgerDuplicateFingerprint(bytes32 fingerprint, uint256 existingId);
    /// @notice A registration field is invalid (zero amount, zero fingerprint, due date in the past, self-billing).
    error LedgerInvalidInvoice(string field);
    /// @notice No receivable has this id.
    error LedgerUnknownReceivable(uint256 id);
    /// @notice The receivable is not in the status this action needs.
    error LedgerInvalidStatus(uint256 id, Status current, Status expected);
    /// @notice The caller is not the receivable's buyer.
    error LedgerNotBuyer(uint256 id, address caller, address buyer);

    /// @notice Registers an invoice issued by the caller (a seller) to `buyer`. Reverts on a known fingerprint.
    /// @return id The new receivable's id.
    function register(bytes32 fingerprint, bytes32 documentHash, address buyer, uint256 amount, uint64 dueDate)
        external
        returns (uint256 id);

    /// @notice The buyer confirms receivable `id`.
    function confirm(uint256 id) external;

    /// @notice The buyer pays receivable `id` in full; the settlement token goes to the current holder.
    function pay(uint256 id) external;

    /// @notice The record of receivable `id`.
    function receivable(uint256 id)
        external
        view
        returns (
            address seller,
            address buyer,
            address holder,
            Status status,
            uint64 dueDate,
            uint256 amount,
            uint256 paid,
            bytes32 documentHash
        );

    /// @notice The id registered under `fingerprint`, or 0.
    function idOfFingerprint(bytes32 fingerprint) external view returns (uint256);

    /// @notice The settlement token (the consortium stablecoin).
    function settlementToken() external view returns (address);

    /// @notice The membership registry consulted for every action.
    function registry() external view returns (address);
}
