// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";

/// @title MemberRegistry
/// @notice Admission of consortium members by the operator. Holds no receivables and no money.
contract MemberRegistry is IMemberRegistry {
    uint8 internal constant ALL_ROLES = 31; // SELLER | BUYER | FINANCIER | AUDITOR | INSURER

    struct Member {
        uint8 roles;
        uint64 expiresAt;
        bool suspended;
    }

    address private _operator;
    mapping(address member => Member) private _members;

    modifier onlyOperator() {
        if (msg.sender != _operator) revert RegistryUnauthorizedOperator(msg.sender);
        _;
    }

    constructor(address operator_) {
        if (operator_ == address(0)) revert RegistryInvalidMember(operator_);
        _operator = operator_;
    }

    /// @inheritdoc IMemberRegistry
    function admit(address member, uint8 roles, uint64 expiresAt) external onlyOperator {
        if (member == address(0)) revert RegistryInvalidMember(member);
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert RegistryInvalidRoles(roles);
        if (expiresAt <= block.timestamp) revert RegistryInvalidExpiry(expiresAt, block.timestamp);
        Member storage m = _members[member];
        m.roles = roles;
        m.expiresAt = expiresAt;
        emit MemberAdmitted(member, roles, expiresAt);
    }

    /// @inheritdoc IMemberRegistry
    function suspend(address member) external onlyOperator {
        Member storage m = _members[member];
        if (m.roles == 0) revert RegistryUnknownMember(member);
        m.suspended = true;
        emit MemberSuspended(member);
    }

    /// @inheritdoc IMemberRegistry
    function reinstate(address member) external onlyOperator {
        Member storage m = _members[member];
        if (m.roles == 0) revert RegistryUnknownMember(member);
        m.suspended = false;
        emit MemberReinstated(member);
    }

    /// @inheritdoc IMemberRegistry
    function hasActiveRoles(address member, uint8 roles) external view returns (bool) {
        Member storage m = _members[member];
        return m.roles & roles == roles && roles != 0 && !m.suspended && m.expiresAt > block.timestamp;
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address member) external view returns (uint8 roles, uint64 expiresAt, bool suspended) {
        Member storage m = _members[member];
        return (m.roles, m.expiresAt, m.suspended);
    }

    /// @inheritdoc IMemberRegistry
    function operator() external view returns (address) {
        return _operator;
    }
}
