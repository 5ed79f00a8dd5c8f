// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {LedgerSetup} from "./utils/LedgerSetup.sol";

/// @notice Fuzz tests of the money paths and permissions.
contract ReceivableLedgerFuzzTest is LedgerSetup {
    function setUp() public {
        _deploy();
    }

    /// Value is conserved: what the payer pays is exactly what the holder receives; the ledger keeps nothing;
    /// the face settled never exceeds the face amount.
    function testFuzz_paymentsConserveValue(uint96 face, uint256 pay1, uint256 pay2, uint256 warpTo) public {
        face = uint96(bound(face, 1, type(uint96).max));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode(face, pay1)), face);
        VM.warp(bound(warpTo, block.timestamp, block.timestamp + 120 days));
        uint256 paidBefore = token.balanceOf(buyer);
        uint256 holderBefore = token.balanceOf(seller);
        uint256 taken;
        pay1 = bound(pay1, 1, uint256(face) * 2);
        try this.payAs(buyer, id, pay1) returns (uint256 t) {
            taken += t;
        } catch {}
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        if (v.status == IReceivableLedger.Status.Confirmed) {
            pay2 = bound(pay2, 1, uint256(face) * 2);
            try this.payAs(buyer, id, pay2) returns (uint256 t) {
                taken += t;
            } catch {}
        }
        v = ledger.receivable(id);
        assertEq(paidBefore - token.balanceOf(buyer), taken, "payer paid what was taken");
        assertEq(token.balanceOf(seller) - holderBefore, taken, "holder received what was taken");
        assertEq(token.balanceOf(address(ledger)), 0, "ledger keeps nothing");
        assertLe(v.paid, v.faceAmount, "paid <= face");
    }

    /// Paying amountDue(t) at t settles the receivable in full, and nothing more is taken.
    function testFuzz_amountDueSettles(uint96 face, uint256 warpTo) public {
        face = uint96(bound(face, 1, type(uint96).max));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("due", face)), face);
        VM.warp(bound(warpTo, block.timestamp, block.timestamp + 400 days));
        uint256 due = ledger.amountDue(id, block.timestamp);
        uint256 taken = this.payAs(buyer, id, due + 1000);
        assertEq(taken, due, "taken == amountDue");
        assertEq(uint256(ledger.receivable(id).status), uint256(IReceivableLedger.Status.Paid), "paid in full");
    }

    /// Nothing is registered twice, whoever tries.
    function testFuzz_noDoubleRegistration(bytes32 fingerprint, bool sameSeller) public {
        VM.assume(fingerprint != bytes32(0));
        VM.prank(seller);
        ledger.register(_invoice(fingerprint, 100, _terms()));
        VM.prank(sameSeller ? seller : seller2);
        VM.expectRevert(abi.encodeWithSelector(IReceivableLedger.LedgerDuplicateFingerprint.selector, uint256(fingerprint)));
        ledger.register(_invoice(fingerprint, 100, _terms()));
    }

    /// A split's parts are each paid to their own holder; together they collect what the parent would have.
    function testFuzz_splitPartsConserveValue(uint96 face, uint96 firstPart) public {
        face = uint96(bound(face, 2, type(uint96).max));
        firstPart = uint96(bound(firstPart, 1, face - 1));
        uint256 id = _registerConfirmed(seller, keccak256(abi.encode("split", face, firstPart)), face);
        uint96[] memory amounts = new uint96[](2);
        amounts[0] = firstPart;
        amounts[1] = face - firstPart;
        address[] memory holders = new address[](2);
        holders[0] = financier;
        holders[1] = seller;
        VM.prank(seller);
        uint256[] memory parts = ledger.split(id, amounts, holders);
        VM.warp(block.timestamp + 20 days); // past the discount window: face value
        uint256 b0 = token.balanceOf(buyer);
        uint256 f0 = token.balanceOf(financier);
        uint256 s0 = token.balanceOf(seller);
        this.payAs(buyer, parts[0], type(uint96).max);
        this.payAs(buyer, parts[1], type(uint96).max);
        assertEq(token.balanceOf(financier) - f0, firstPart, "part 0 to its holder");
        assertEq(token.balanceOf(seller) - s0, face - firstPart, "part 1 to its holder");
        assertEq(b0 - token.balanceOf(buyer), face, "buyer paid the face amount");
    }

    /// Permissions hold for random callers: nobody but the holder moves, splits or writes off; nobody but the
    /// buyer confirms; nobody but the operator attests.
    function testFuzz_randomCallerCannotAct(address caller, uint96 face) public {
        VM.assume(caller != seller && caller != buyer && caller != address(this) && caller != address(0));
        face = uint96(bound(face, 2, type(uint96).max));
        VM.prank(seller);
        uint256 id = ledger.register(_invoice(keccak256(abi.encode("perm", caller, face)), face, _terms()));

        VM.prank(caller);
        VM.expectRevert();
        ledger.confirm(id);
        VM.prank(caller);
        VM.expectRevert();
        ledger.cancel(id);

        VM.prank(buyer);
        ledger.confirm(id);
        VM.prank(caller);
        VM.expectRevert();
        ledger.transfer(id, caller);
        uint96[] memory amounts = new uint96[](2);
        amounts[0] = 1;
        amounts[1] = face - 1;
        address[] memory holders = new address[](2);
        holders[0] = financier;
        holders[1] = financier;
        VM.prank(caller);
        VM.expectRevert();
        ledger.split(id, amounts, holders);
        VM.prank(caller);
        VM.expectRevert();
        ledger.attestBankPayment(id, 1, bytes32(uint256(1)));
        VM.prank(caller);
        VM.expectRevert();
        ledger.upgradeToAndCall(address(0xdead), "");
        VM.prank(caller);
        VM.expectRevert();
        ledger.setFinancingModule(caller, true);
        assertTrue(ledger.receivable(id).holder == seller, "still held by the seller");
    }

    /// Replay-safe: a confirmation signature for one receivable does not confirm another.
    function testFuzz_signatureBoundToReceivable(bytes32 fpA, bytes32 fpB) public {
        VM.assume(fpA != bytes32(0) && fpB != bytes32(0) && fpA != fpB);
        IReceivableLedger.Invoice memory a = _invoice(fpA, 1_000, _terms());
        IReceivableLedger.Invoice memory b = _invoice(fpB, 1_000, _terms());
        VM.startPrank(seller);
        ledger.register(a);
        ledger.register(b);
        VM.stopPrank();
        uint256 deadline = block.timestamp + 1 days;
        bytes32 digest = ledger.confirmationDigest(uint256(fpA), seller, buyer, 1_000, a.dueDate, a.documentHash, deadline);
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(BUYER_KEY, digest);
        bytes memory sig = abi.encodePacked(r, s, v);
        VM.expectRevert();
        ledger.confirmWithSignature(uint256(fpB), b.documentHash, deadline, sig);
        ledger.confirmWithSignature(uint256(fpA), a.documentHash, deadline, sig);
        assertEq(uint256(ledger.receivable(uint256(fpA)).status), uint256(IReceivableLedger.Status.Confirmed), "A confirmed");
        assertEq(uint256(ledger.receivable(uint256(fpB)).status), uint256(IReceivableLedger.Status.Registered), "B not");
    }

    /// Helper so a reverting payment can be caught with try/catch.
    function payAs(address payer, uint256 id, uint256 amount) external returns (uint256) {
        VM.prank(payer);
        return ledger.pay(id, amount);
    }
}
