// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {ReceivableLedger} from "../ReceivableLedger.sol";

/// @notice A later version of the ledger for the upgrade test: same storage, one new function.
contract ReceivableLedgerV2 is ReceivableLedger {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMemberRegistry registry_, IERC20 token_, bytes3 currency_) ReceivableLedger(registry_, token_, currency_) {}

    function version() external pure returns (string memory) {
        return "2";
    }
}
