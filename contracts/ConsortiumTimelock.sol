// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title ConsortiumTimelock
/// @notice Governance of the ledger: upgrades of MemberRegistry and ReceivableLedger and approval of financing
/// modules go through this timelock, so every member sees a change `minDelay` seconds before it takes effect.
contract ConsortiumTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
