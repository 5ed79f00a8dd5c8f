// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title SettlementToken
/// @notice A local stand-in for the consortium's stablecoin (6 decimals, like most fiat stablecoins).
/// Only the owner (the issuer) mints. On a production network the real stablecoin's address is configured instead.
contract SettlementToken is ERC20, Ownable {
    constructor(string memory name_, string memory symbol_, address issuer) ERC20(name_, symbol_) Ownable(issuer) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Issues `amount` to `to`.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
