// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {IReceivableLedger} from "./interfaces/IReceivableLedger.sol";

/// @title ReceivableLedger (walking-skeleton slice: register, confirm, pay, transfer)
contract ReceivableLedger is IReceivableLedger, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_SELLER = 1;
    uint8 internal constant ROLE_BUYER = 2;

    error LedgerNotYetSupported();

    struct Receivable {
        address seller;
        uint32 issueDate;
        uint32 dueDate;
        Status status;
        address buyer;
        PaymentTerms terms;
        address holder;
        uint96 faceAmount;
        uint96 paid;
    }

    IMemberRegistry private immutable _registry;
    IERC20 private immutable _token;
    mapping(uint256 id => Receivable) private _receivables;

    modifier onlyActive(uint8 roles) {
        if (!_registry.hasActiveRoles(msg.sender, roles)) revert LedgerUnauthorized(msg.sender, roles);
        _;
    }

    constructor(IMemberRegistry registry_, IERC20 token_) {
        _registry = registry_;
        _token = token_;
    }

    /// @inheritdoc IReceivableLedger
    function register(Invoice calldata invoice) external onlyActive(ROLE_SELLER) returns (uint256 id) {
        return _register(invoice);
    }

    /// @inheritdoc IReceivableLedger
    function registerBatch(Invoice[] calldata invoices) external onlyActive(ROLE_SELLER) returns (uint256[] memory ids) {
        ids = new uint256[](invoices.length);
        for (uint256 i; i < invoices.length; ++i) ids[i] = _register(invoices[i]);
    }

    /// @inheritdoc IReceivableLedger
    function registerAndConfirm(Invoice calldata, uint256, bytes calldata) external pure returns (uint256) {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function confirm(uint256 id) external onlyActive(ROLE_BUYER) {
        Receivable storage r = _existing(id);
        if (r.buyer != msg.sender) revert LedgerNotBuyer(id, msg.sender, r.buyer);
        _transition(id, r, Status.Registered, Status.Confirmed);
        emit ReceivableConfirmed(id, msg.sender, false);
    }

    /// @inheritdoc IReceivableLedger
    function confirmWithSignature(uint256, uint256, bytes calldata) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function dispute(uint256, bytes32) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function cancel(uint256) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function pay(uint256 id, uint256 amount) external nonReentrant onlyActive(ROLE_BUYER) returns (uint256 taken) {
        Receivable storage r = _existing(id);
        if (r.status != Status.Confirmed) revert LedgerInvalidStatus(id, r.status, Status.Confirmed);
        uint256 due = r.faceAmount - r.paid;
        if (amount == 0) revert LedgerInvalidAmount(id, amount, due);
        taken = amount < due ? amount : due;
        address holder = r.holder;
        r.paid += uint96(taken);
        if (r.paid == r.faceAmount) _transition(id, r, Status.Confirmed, Status.Paid);
        emit ReceivablePaid(id, msg.sender, holder, taken, taken, 0, r.faceAmount - r.paid, amount - taken);
        _token.safeTransferFrom(msg.sender, holder, taken);
    }

    /// @inheritdoc IReceivableLedger
    function attestBankPayment(uint256, uint256, bytes32) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function transfer(uint256 id, address to) external {
        Receivable storage r = _existing(id);
        if (r.holder != msg.sender) revert LedgerNotHolder(id, msg.sender, r.holder);
        if (r.status != Status.Confirmed) revert LedgerInvalidStatus(id, r.status, Status.Confirmed);
        if (!_registry.hasActiveRoles(to, 1) && !_registry.hasActiveRoles(to, 4)) revert LedgerUnauthorized(to, 5);
        r.holder = to;
        emit ReceivableTransferred(id, msg.sender, to);
    }

    /// @inheritdoc IReceivableLedger
    function split(uint256, uint96[] calldata, address[] calldata) external pure returns (uint256[] memory) {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function issueCreditNote(uint256, uint96, bytes32) external pure returns (uint256) {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function acceptCreditNote(uint256, uint256) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function markDefaulted(uint256) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function writeOff(uint256) external pure {
        revert LedgerNotYetSupported();
    }

    /// @inheritdoc IReceivableLedger
    function receivable(uint256 id) external view returns (ReceivableView memory v) {
        Receivable storage r = _existing(id);
        v = ReceivableView({
            seller: r.seller,
            buyer: r.buyer,
            holder: r.holder,
            status: r.status,
            faceAmount: r.faceAmount,
            paid: r.paid,
            issueDate: r.issueDate,
            dueDate: r.dueDate,
            terms: r.terms,
            parentId: 0,
            lockedBy: address(0)
        });
    }

    /// @inheritdoc IReceivableLedger
    function amountDue(uint256 id, uint256) external view returns (uint256) {
        Receivable storage r = _existing(id);
        return r.faceAmount - r.paid;
    }

    /// @inheritdoc IReceivableLedger
    function settlementToken() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IReceivableLedger
    function registry() external view returns (address) {
        return address(_registry);
    }

    function _register(Invoice calldata inv) internal returns (uint256 id) {
        id = uint256(inv.fingerprint);
        if (id == 0) revert LedgerInvalidInvoice(id, "fingerprint");
        if (inv.amount == 0) revert LedgerInvalidInvoice(id, "amount");
        if (inv.dueDate <= block.timestamp || inv.dueDate < inv.issueDate) revert LedgerInvalidInvoice(id, "dueDate");
        if (inv.buyer == msg.sender) revert LedgerInvalidInvoice(id, "buyer");
        if (!_registry.hasActiveRoles(inv.buyer, ROLE_BUYER)) revert LedgerUnauthorized(inv.buyer, ROLE_BUYER);
        Receivable storage r = _receivables[id];
        if (r.status != Status.None) revert LedgerDuplicateFingerprint(id);
        r.seller = msg.sender;
        r.issueDate = inv.issueDate;
        r.dueDate = inv.dueDate;
        r.status = Status.Registered;
        r.buyer = inv.buyer;
        r.terms = inv.terms;
        r.holder = msg.sender;
        r.faceAmount = inv.amount;
        emit ReceivableRegistered(
            id, msg.sender, inv.buyer, inv.amount, inv.issueDate, inv.dueDate, inv.terms, inv.documentHash
        );
    }

    function _existing(uint256 id) internal view returns (Receivable storage r) {
        r = _receivables[id];
        if (r.status == Status.None) revert LedgerUnknownReceivable(id);
    }

    /// @dev The one place where the lifecycle moves.
    function _transition(uint256 id, Receivable storage r, Status from, Status to) internal {
        if (r.status != from) revert LedgerInvalidStatus(id, r.status, from);
        r.status = to;
    }
}
