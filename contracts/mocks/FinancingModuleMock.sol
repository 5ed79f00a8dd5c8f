// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {IFinancingModule} from "../interfaces/IFinancingModule.sol";

/// @notice A minimal financing module for testing the ledger's lien hooks: the holder locks through it, and it
/// forwards every payment it receives to the holder.
contract FinancingModuleMock is IFinancingModule {
    using SafeERC20 for IERC20;

    IReceivableLedger public immutable ledger;
    uint256 public lastId;
    uint256 public lastAmount;
    bool public reenter; // when set, tries to pay again from inside the payment callback

    function setReenter(bool on) external {
        reenter = on;
    }

    constructor(IReceivableLedger ledger_) {
        ledger = ledger_;
    }

    function lock(uint256 id) external {
        ledger.lock(id, msg.sender);
    }

    function unlock(uint256 id) external {
        ledger.unlock(id);
    }

    function moveTo(uint256 id, address to) external {
        ledger.moduleTransfer(id, to);
    }

    function markDefaulted(uint256 id) external {
        ledger.markDefaulted(id);
    }

    function onReceivablePayment(uint256 id, address holder, uint256 amount, uint256) external {
        require(msg.sender == address(ledger), "only ledger");
        if (reenter) ledger.pay(id, 1);
        lastId = id;
        lastAmount = amount;
        IERC20(ledger.settlementToken()).safeTransfer(holder, amount);
    }
}
