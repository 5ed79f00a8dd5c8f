// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {IReceivableLedger} from "./interfaces/IReceivableLedger.sol";

/// @title MemberRegistry
/// @notice Admission of consortium members by the operator. Holds no receivables and no money.
/// Deployed behind an ERC-1967 proxy (UUPS); upgrades are authorised by governance (a TimelockController),
/// never by the operator. State lives in an ERC-7201 namespace so later versions cannot corrupt it.
/// Every change of an admission is pushed to the ledger (`syncMember`), which keeps a mirror for cheap checks.
contract MemberRegistry is IMemberRegistry, Initializable, UUPSUpgradeable {
    uint8 internal constant ALL_ROLES = 31; // SELLER | BUYER | FINANCIER | AUDITOR | INSURER

    struct Member {
        uint8 roles;
        uint64 expiresAt;
        bool suspended;
        uint32 index; // assigned at first admission, never reused; 0 = never admitted
    }

    /// @custom:storage-location erc7201:receivables.storage.MemberRegistry
    struct RegistryStorage {
        address operator;
        address pendingOperator;
        address governance;
        uint32 memberCount;
        IReceivableLedger ledger;
        mapping(address member => Member) members;
        mapping(uint32 index => address) memberAt;
    }

    // keccak256(abi.encode(uint256(keccak256("receivables.storage.MemberRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x0f8f75f4a378de975af5f00b0d9f80f473421859549b51263780aa47415bfb00;

    modifier onlyOperator() {
        if (msg.sender != _s().operator) revert RegistryUnauthorizedOperator(msg.sender);
        _;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the operator, governance (the timelock that may upgrade) and the ledger that mirrors
    /// admissions. Called once, through the proxy (the ledger is deployed first, pointing at this proxy).
    function initialize(address operator_, address governance_, IReceivableLedger ledger_) external initializer {
        if (operator_ == address(0)) revert RegistryInvalidMember(operator_);
        if (governance_ == address(0)) revert RegistryUnauthorizedGovernance(governance_);
        if (address(ledger_) == address(0)) revert RegistryInvalidMember(address(ledger_));
        RegistryStorage storage $ = _s();
        $.operator = operator_;
        $.governance = governance_;
        $.ledger = ledger_;
        emit OperatorTransferred(address(0), operator_);
    }

    // ─────────────────────────────────────────────────────────── operator actions ──

    /// @inheritdoc IMemberRegistry
    function admit(address member, uint8 roles, uint64 expiresAt) external onlyOperator {
        if (member == address(0)) revert RegistryInvalidMember(member);
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert RegistryInvalidRoles(roles);
        if (expiresAt <= block.timestamp) revert RegistryInvalidExpiry(expiresAt, block.timestamp);
        RegistryStorage storage $ = _s();
        Member storage m = $.members[member];
        m.roles = roles;
        m.expiresAt = expiresAt;
        if (m.index == 0) {
            uint32 index = ++$.memberCount;
            m.index = index;
            $.memberAt[index] = member;
        }
        emit MemberAdmitted(member, roles, expiresAt);
        _sync(member, m);
    }

    /// @inheritdoc IMemberRegistry
    function suspend(address member) external onlyOperator {
        Member storage m = _known(member);
        m.suspended = true;
        emit MemberSuspended(member);
        _sync(member, m);
    }

    /// @inheritdoc IMemberRegistry
    function reinstate(address member) external onlyOperator {
        Member storage m = _known(member);
        m.suspended = false;
        emit MemberReinstated(member);
        _sync(member, m);
    }

    /// @inheritdoc IMemberRegistry
    function transferOperator(address newOperator) external onlyOperator {
        if (newOperator == address(0)) revert RegistryInvalidMember(newOperator);
        _s().pendingOperator = newOperator;
        emit OperatorTransferStarted(msg.sender, newOperator);
    }

    /// @inheritdoc IMemberRegistry
    function acceptOperator() external {
        RegistryStorage storage $ = _s();
        address pending = $.pendingOperator;
        if (msg.sender != pending || pending == address(0)) revert RegistryNotPendingOperator(msg.sender, pending);
        address previous = $.operator;
        $.operator = pending;
        delete $.pendingOperator;
        emit OperatorTransferred(previous, pending);
    }

    // ─────────────────────────────────────────────────────────────────── views ──

    /// @inheritdoc IMemberRegistry
    function hasActiveRoles(address member, uint8 roles) external view returns (bool) {
        Member storage m = _s().members[member];
        return roles != 0 && m.roles & roles == roles && _active(m);
    }

    /// @inheritdoc IMemberRegistry
    function hasAnyActiveRole(address member, uint8 roles) external view returns (bool) {
        Member storage m = _s().members[member];
        return m.roles & roles != 0 && _active(m);
    }

    /// @inheritdoc IMemberRegistry
    function firstInactive(address[] calldata members, uint8 roles) external view returns (uint256) {
        mapping(address member => Member) storage all = _s().members;
        uint256 n = members.length;
        for (uint256 i; i < n; ++i) {
            Member storage m = all[members[i]];
            if (m.roles & roles == 0 || !_active(m)) return i;
        }
        return type(uint256).max;
    }

    /// @inheritdoc IMemberRegistry
    function activeIndex(address member, uint8 roles) external view returns (uint32) {
        Member storage m = _s().members[member];
        return roles != 0 && m.roles & roles == roles && _active(m) ? m.index : 0;
    }

    /// @inheritdoc IMemberRegistry
    function memberAt(uint32 index) external view returns (address) {
        return _s().memberAt[index];
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address member) external view returns (uint8 roles, uint64 expiresAt, bool suspended) {
        Member storage m = _s().members[member];
        return (m.roles, m.expiresAt, m.suspended);
    }

    /// @inheritdoc IMemberRegistry
    function operator() external view returns (address) {
        return _s().operator;
    }

    /// @inheritdoc IMemberRegistry
    function pendingOperator() external view returns (address) {
        return _s().pendingOperator;
    }

    /// @inheritdoc IMemberRegistry
    function governance() external view returns (address) {
        return _s().governance;
    }

    /// @notice The ledger that mirrors admissions.
    function ledger() external view returns (address) {
        return address(_s().ledger);
    }

    // ──────────────────────────────────────────────────────────────── internal ──

    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != _s().governance) revert RegistryUnauthorizedGovernance(msg.sender);
    }

    /// @dev Pushes the admission to the ledger's mirror (the ledger trusts only this contract).
    function _sync(address member, Member storage m) private {
        _s().ledger.syncMember(member, m.roles, m.expiresAt, m.suspended, m.index);
    }

    function _known(address member) private view returns (Member storage m) {
        m = _s().members[member];
        if (m.index == 0) revert RegistryUnknownMember(member);
    }

    function _active(Member storage m) private view returns (bool) {
        return !m.suspended && m.expiresAt > block.timestamp;
    }

    function _s() private pure returns (RegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
