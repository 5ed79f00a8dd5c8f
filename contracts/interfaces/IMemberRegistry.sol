// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Consortium membership: who may act on the ledger, in which roles, until when.
/// @notice The operator admits members with a set of roles and an admission expiry (KYC validity).
interface IMemberRegistry {
    /// @notice Role bits. A member may hold several.
    /// SELLER = 1, BUYER = 2, FINANCIER = 4, AUDITOR = 8, INSURER = 16.

    /// @notice Emitted when the operator admits a member or changes its roles or expiry.
    event MemberAdmitted(address indexed member, uint8 roles, uint64 expiresAt);
    /// @notice Emitted when the operator suspends a member.
    event MemberSuspended(address indexed member);
    /// @notice Emitted when the operator reinstates a suspended member.
    event MemberReinstated(address indexed member);

    /// @notice The caller is not the operator.
    error RegistryUnauthorizedOperator(address caller);
    /// @notice The member address is the zero address.
    error RegistryInvalidMember(address member);
    /// @notice The roles are empty or contain unknown bits.
    error RegistryInvalidRoles(uint8 roles);
    /// @notice The admission expiry is not in the future.
    error RegistryInvalidExpiry(uint64 expiresAt, uint256 nowTimestamp);
    /// @notice The address was never admitted.
    error RegistryUnknownMember(address member);

    /// @notice Admits `member` with `roles` until `expiresAt`, or updates an existing admission.
    function admit(address member, uint8 roles, uint64 expiresAt) external;

    /// @notice Suspends `member`: it can no longer act or receive receivables until reinstated.
    function suspend(address member) external;

    /// @notice Reinstates a suspended `member`.
    function reinstate(address member) external;

    /// @notice True when `member` is admitted, not suspended, not expired and holds every bit of `roles`.
    function hasActiveRoles(address member, uint8 roles) external view returns (bool);

    /// @notice The admission record of `member`.
    function memberOf(address member) external view returns (uint8 roles, uint64 expiresAt, bool suspended);

    /// @notice The consortium operator.
    function operator() external view returns (address);
}
