// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MemberRegistry} from "../../MemberRegistry.sol";
import {ReceivableLedger} from "../../ReceivableLedger.sol";
import {SettlementToken} from "../../SettlementToken.sol";
import {IMemberRegistry} from "../../interfaces/IMemberRegistry.sol";
import {IReceivableLedger} from "../../interfaces/IReceivableLedger.sol";

/// @notice The cheatcodes these tests use (forge-std is not available; Hardhat 3's EDR serves the same address).
interface IVm {
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function warp(uint256 timestamp) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert() external;
    function assume(bool condition) external;
    function addr(uint256 privateKey) external pure returns (address);
    function getNonce(address account) external view returns (uint64);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
}

/// @notice Small assertion helpers (what forge-std's Test would give).
abstract contract Assertions {
    error AssertionFailed(string what, uint256 left, uint256 right);

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, a, b);
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert AssertionFailed(what, a, b);
    }

    function assertTrue(bool ok, string memory what) internal pure {
        if (!ok) revert AssertionFailed(what, 0, 1);
    }

    /// @dev Maps `x` into [lo, hi] uniformly enough for fuzzing.
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + (x % (hi - lo + 1));
    }
}

/// @notice Deploys registry, token and ledger behind proxies (governance = this contract) and admits members.
abstract contract LedgerSetup is Assertions {
    IVm internal constant VM = IVm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint8 internal constant SELLER = 1;
    uint8 internal constant BUYER = 2;
    uint8 internal constant FINANCIER = 4;
    uint8 internal constant AUDITOR = 8;
    uint256 internal constant START = 1_800_000_000;

    MemberRegistry internal registry;
    ReceivableLedger internal ledger;
    SettlementToken internal token;

    uint256 internal constant BUYER_KEY = 0xB0B;
    address internal seller = address(0x5E11E5);
    address internal seller2 = address(0x5E11E6);
    address internal buyer;
    uint256 internal constant FINANCIER_KEY = 0xF1F1;
    address internal financier;
    address internal auditor = address(0xA0D);

    function _deploy() internal {
        VM.warp(START);
        buyer = VM.addr(BUYER_KEY);
        financier = VM.addr(FINANCIER_KEY);
        token = new SettlementToken("Consortium Dollar", "CUSD", address(this));
        MemberRegistry registryImpl = new MemberRegistry();
        // The registry proxy (next nonce) is initialised with the ledger proxy's address (two nonces later).
        address predictedLedger = _createAddress(address(this), VM.getNonce(address(this)) + 2);
        bytes memory init = abi.encodeCall(
            MemberRegistry.initialize, (address(this), address(this), IReceivableLedger(predictedLedger))
        );
        registry = MemberRegistry(address(new ERC1967Proxy(address(registryImpl), init)));
        ReceivableLedger ledgerImpl = new ReceivableLedger(IMemberRegistry(address(registry)), IERC20(address(token)), "USD");
        ledger = ReceivableLedger(
            address(new ERC1967Proxy(address(ledgerImpl), abi.encodeCall(ReceivableLedger.initialize, (address(this)))))
        );
        assertTrue(address(ledger) == predictedLedger, "ledger at the predicted address");
        uint64 expiry = uint64(START + 3650 days);
        registry.admit(seller, SELLER, expiry);
        registry.admit(seller2, SELLER, expiry);
        registry.admit(buyer, BUYER | SELLER, expiry);
        registry.admit(financier, FINANCIER, expiry);
        registry.admit(auditor, AUDITOR, expiry);
        token.mint(buyer, type(uint128).max);
        VM.prank(buyer);
        token.approve(address(ledger), type(uint256).max);
    }

    /// @dev CREATE address for nonces 1..127 (RLP: 0xd6 0x94 <address> <nonce>).
    function _createAddress(address deployer, uint256 nonce) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce))))));
    }

    function _invoice(bytes32 fingerprint, uint96 amount, IReceivableLedger.PaymentTerms memory terms)
        internal
        view
        returns (IReceivableLedger.Invoice memory)
    {
        return IReceivableLedger.Invoice({
            fingerprint: fingerprint,
            documentHash: keccak256(abi.encode("document", fingerprint)),
            buyer: buyer,
            amount: amount,
            currency: "USD",
            issueDate: uint32(block.timestamp - 5 days),
            dueDate: uint32(block.timestamp + 40 days),
            terms: terms
        });
    }

    function _terms() internal pure returns (IReceivableLedger.PaymentTerms memory) {
        return IReceivableLedger.PaymentTerms({discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5});
    }

    function _registerConfirmed(address by, bytes32 fingerprint, uint96 amount) internal returns (uint256 id) {
        VM.prank(by);
        id = ledger.register(_invoice(fingerprint, amount, _terms()));
        VM.prank(buyer);
        ledger.confirm(id);
    }
}
