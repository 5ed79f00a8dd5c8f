// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Consortium membership: who may act on the ledger, in which roles, until when.
/// @notice The operator admits members with a set of roles and an admission expiry (KYC validity), suspends and
/// reinstates them, and rotates its own key in two steps. Governance (the timelock) upgrades the contract.
/// Every member gets a compact index at first admission (never reused), which the ledger stores instead of a
/// 20-byte address to keep a receivable in two storage slots.
interface IMemberRegistry {
    /// @notice Role bits. A member may hold several.
    /// SELLER = 1, BUYER = 2, FINANCIER = 4, AUDITOR = 8, INSURER = 16.

    /// @notice Emitted when the operator admits a member or changes its roles or expiry.
    event MemberAdmitted(address indexed member, uint8 roles, uint64 expiresAt);
    /// @notice Emitted when the operator suspends a member.
    event MemberSuspended(address indexed member);
    /// @notice Emitted when the operator reinstates a suspended member.
    event MemberReinstated(address indexed member);
    /// @notice The operator proposed `pendingOperator` as its successor (step 1 of a key rotation).
    event OperatorTransferStarted(address indexed operator, address indexed pendingOperator);
    /// @notice `newOperator` accepted and is now the operator (step 2 of a key rotation).
    event OperatorTransferred(address indexed previousOperator, address indexed newOperator);

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
    /// @notice The caller is not the pending operator (or no rotation is pending).
    error RegistryNotPendingOperator(address caller, address pendingOperator);
    /// @notice The caller is not governance (the timelock).
    error RegistryUnauthorizedGovernance(address caller);

    /// @notice Admits `member` with `roles` until `expiresAt`, or updates an existing admission.
    function admit(address member, uint8 roles, uint64 expiresAt) external;

    /// @notice Suspends `member`: it can no longer act or receive receivables until reinstated.
    function suspend(address member) external;

    /// @notice Reinstates a suspended `member`.
    function reinstate(address member) external;

    /// @notice Step 1 of rotating the operator key: proposes `newOperator`. Only the operator.
    function transferOperator(address newOperator) external;

    /// @notice Step 2: the pending operator accepts and becomes the operator.
    function acceptOperator() external;

    /// @notice True when `member` is admitted, not suspended, not expired and holds every bit of `roles`.
    function hasActiveRoles(address member, uint8 roles) external view returns (bool);

    /// @notice True when `member` is admitted, not suspended, not expired and holds at least one bit of `roles`.
    function hasAnyActiveRole(address member, uint8 roles) external view returns (bool);

    /// @notice The position of the first of `members` that is not active with at least one bit of `roles`, or
    /// `type(uint256).max` when all are (one call where the ledger checks several parties).
    function firstInactive(address[] calldata members, uint8 roles) external view returns (uint256);

    /// @notice The member's index when it is active with every bit of `roles`, otherwise 0.
    function activeIndex(address member, uint8 roles) external view returns (uint32);

    /// @notice The address of the member with index `index` (address(0) for an unused index).
    function memberAt(uint32 index) external view returns (address);

    /// @notice The admission record of `member`.
    function memberOf(address member) external view returns (uint8 roles, uint64 expiresAt, bool suspended);

    /// @notice The consortium operator.
    function operator() external view returns (address);

    /// @notice The operator proposed by `transferOperator`, pending acceptance (address(0) if none).
    function pendingOperator() external view returns (address);

    /// @notice Governance: the timelock that may upgrade this contract.
    function governance() external view returns (address);
}
