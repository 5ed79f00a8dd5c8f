// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {IReceivableLedger} from "./interfaces/IReceivableLedger.sol";

/// @title ReceivableLedger
/// @notice Tokenised invoices: registration with a consortium-wide unique fingerprint, the buyer's
/// confirmation, and payment routed to the current holder.
contract ReceivableLedger is IReceivableLedger, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_SELLER = 1;
    uint8 internal constant ROLE_BUYER = 2;

    /// @dev Packed into three slots: [seller|dueDate|status] [buyer] [holder] [amount|paid] + documentHash.
    struct Receivable {
        address seller;
        uint64 dueDate;
        Status status;
        address buyer;
        address holder;
        uint128 amount;
        uint128 paid;
        bytes32 documentHash;
    }

    IMemberRegistry private immutable _registry;
    IERC20 private immutable _token;

    uint256 private _nextId;
    mapping(uint256 id => Receivable) private _receivables;
    mapping(bytes32 fingerprint => uint256 id) private _idOfFingerprint;

    modifier onlyActive(uint8 roles) {
        if (!_registry.hasActiveRoles(msg.sender, roles)) revert LedgerUnauthorized(msg.sender, roles);
        _;
    }

    constructor(IMemberRegistry registry_, IERC20 token_) {
        _registry = registry_;
        _token = token_;
        _nextId = 1;
    }

    // ─────────────────────────────────────────────────────────────── registration ──

    /// @inheritdoc IReceivableLedger
    function register(bytes32 fingerprint, bytes32 documentHash, address buyer, uint256 amount, uint64 dueDate)
        external
        onlyActive(ROLE_SELLER)
        returns (uint256 id)
    {
        if (fingerprint == bytes32(0)) revert LedgerInvalidInvoice("fingerprint");
        if (amount == 0 || amount > type(uint128).max) revert LedgerInvalidInvoice("amount");
        if (dueDate <= block.timestamp) revert LedgerInvalidInvoice("dueDate");
        if (buyer == msg.sender) revert LedgerInvalidInvoice("buyer");
        if (!_registry.hasActiveRoles(buyer, ROLE_BUYER)) revert LedgerUnauthorized(buyer, ROLE_BUYER);
        uint256 existing = _idOfFingerprint[fingerprint];
        if (existing != 0) revert LedgerDuplicateFingerprint(fingerprint, existing);

        id = _nextId++;
        _idOfFingerprint[fingerprint] = id;
        _receivables[id] = Receivable({
            seller: msg.sender,
            dueDate: dueDate,
            status: Status.Registered,
            buyer: buyer,
            holder: msg.sender,
            amount: uint128(amount),
            paid: 0,
            documentHash: documentHash
        });
        emit ReceivableRegistered(id, fingerprint, msg.sender, buyer, amount, dueDate, documentHash);
    }

    // ─────────────────────────────────────────────────────────────── confirmation ──

    /// @inheritdoc IReceivableLedger
    function confirm(uint256 id) external onlyActive(ROLE_BUYER) {
        Receivable storage r = _existing(id);
        if (r.buyer != msg.sender) revert LedgerNotBuyer(id, msg.sender, r.buyer);
        _transition(id, r, Status.Registered, Status.Confirmed);
        emit ReceivableConfirmed(id, msg.sender);
    }

    // ─────────────────────────────────────────────────────────────────── payment ──

    /// @inheritdoc IReceivableLedger
    function pay(uint256 id) external nonReentrant onlyActive(ROLE_BUYER) {
        Receivable storage r = _existing(id);
        if (r.buyer != msg.sender) revert LedgerNotBuyer(id, msg.sender, r.buyer);
        uint256 due = r.amount - r.paid;
        address holder = r.holder;
        // Effects before the token transfer (checks-effects-interactions).
        r.paid = r.amount;
        _transition(id, r, Status.Confirmed, Status.Paid);
        emit ReceivablePaid(id, msg.sender, holder, due, 0);
        _token.safeTransferFrom(msg.sender, holder, due);
    }

    // ───────────────────────────────────────────────────────────────────── views ──

    /// @inheritdoc IReceivableLedger
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
        )
    {
        Receivable storage r = _existing(id);
        return (r.seller, r.buyer, r.holder, r.status, r.dueDate, r.amount, r.paid, r.documentHash);
    }

    /// @inheritdoc IReceivableLedger
    function idOfFingerprint(bytes32 fingerprint) external view returns (uint256) {
        return _idOfFingerprint[fingerprint];
    }

    /// @inheritdoc IReceivableLedger
    function settlementToken() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IReceivableLedger
    function registry() external view returns (address) {
        return address(_registry);
    }

    // ────────────────────────────────────────────────────────────────── internal ──

    function _existing(uint256 id) internal view returns (Receivable storage r) {
        r = _receivables[id];
        if (r.status == Status.None) revert LedgerUnknownReceivable(id);
    }

    /// @dev The one place where the lifecycle moves; every transition is checked here.
    function _transition(uint256 id, Receivable storage r, Status from, Status to) internal {
        if (r.status != from) revert LedgerInvalidStatus(id, r.status, from);
        r.status = to;
    }
}
