// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title LedgerProxy
/// @notice The ERC-1967 proxy in front of MemberRegistry and ReceivableLedger (UUPS: the upgrade logic lives in
/// the implementation and is authorised by governance, the ConsortiumTimelock).
contract LedgerProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
