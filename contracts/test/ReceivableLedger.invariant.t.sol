// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {ReceivableLedger} from "../ReceivableLedger.sol";
import {SettlementToken} from "../SettlementToken.sol";
import {LedgerSetup, IVm} from "./utils/LedgerSetup.sol";

/// @notice Drives the ledger with random sequences of member actions and keeps ghost accounts of what moved.
contract LedgerHandler {
    IVm internal constant VM = IVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    ReceivableLedger internal immutable ledger;
    SettlementToken internal immutable token;
    address internal immutable buyer;
    address internal immutable operator;
    address[] internal members; // sellers and financiers that may hold
    address internal immutable outsider = address(0xBAD);

    uint256[] public ids;
    mapping(uint256 id => IReceivableLedger.Status) public lastStatus;
    mapping(uint256 id => bool) public known;

    uint256 public ghostPaidByPayers; // sum of payers' balance decreases in pay()
    uint256 public ghostReceivedByHolders; // sum of holders' balance increases in pay()
    uint256 public ghostReportedTaken; // sum of `taken` returned by pay()
    uint256 public wrongRecipient; // a payment credited someone other than the holder
    uint256 public duplicateRegistrations; // a repeated fingerprint was accepted
    uint256 public backwardMoves; // a status change outside the lifecycle's transitions
    uint256 public unauthorizedSuccess; // an outsider's action succeeded
    uint256 internal nonce;

    constructor(ReceivableLedger ledger_, SettlementToken token_, address buyer_, address operator_, address[] memory members_) {
        ledger = ledger_;
        token = token_;
        buyer = buyer_;
        operator = operator_;
        members = members_;
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    // ─────────────────────────────────────────────────────────────── actions ──

    function register(uint256 sellerSeed, uint96 amount, uint16 dueInDays) external {
        address seller = members[sellerSeed % 2]; // the first two members are sellers
        amount = uint96(1 + (amount % 1e15));
        bytes32 fingerprint = keccak256(abi.encode("inv", ++nonce));
        IReceivableLedger.Invoice memory inv = IReceivableLedger.Invoice({
            fingerprint: fingerprint,
            documentHash: fingerprint,
            buyer: buyer,
            amount: amount,
            currency: "USD",
            issueDate: uint32(block.timestamp),
            dueDate: uint32(block.timestamp + 11 days + (uint256(dueInDays) % 90) * 1 days),
            terms: IReceivableLedger.PaymentTerms({discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5})
        });
        VM.prank(seller);
        uint256 id = ledger.register(inv);
        _track(id);
        // The same invoice again, by anyone, must fail.
        VM.prank(members[(sellerSeed + 1) % 2]);
        try ledger.register(inv) {
            duplicateRegistrations++;
        } catch {}
        _checkLifecycle();
    }

    function confirm(uint256 idSeed) external {
        uint256 id = _pick(idSeed);
        VM.prank(buyer);
        ledger.confirm(id);
        _checkLifecycle();
    }

    function pay(uint256 idSeed, uint256 amount) external {
        uint256 id = _pick(idSeed);
        address holder = ledger.receivable(id).holder;
        address bystander = holder == members[2] ? members[0] : members[2]; // never the payer (members[3])
        amount = 1 + (amount % 2e15);
        uint256 payerBefore = token.balanceOf(buyer);
        uint256 holderBefore = token.balanceOf(holder);
        uint256 bystanderBefore = token.balanceOf(bystander);
        VM.prank(buyer);
        uint256 taken = ledger.pay(id, amount);
        ghostReportedTaken += taken;
        if (holder == buyer) {
            // The buyer holds its own receivable (it bought it back): paying moves nothing, net.
            if (token.balanceOf(buyer) != payerBefore) wrongRecipient++;
            ghostPaidByPayers += taken;
            ghostReceivedByHolders += taken;
        } else {
            ghostPaidByPayers += payerBefore - token.balanceOf(buyer);
            ghostReceivedByHolders += token.balanceOf(holder) - holderBefore;
            if (token.balanceOf(holder) - holderBefore != taken) wrongRecipient++;
        }
        if (token.balanceOf(bystander) != bystanderBefore) wrongRecipient++;
        _checkLifecycle();
    }

    function transfer(uint256 idSeed, uint256 toSeed) external {
        uint256 id = _pick(idSeed);
        address holder = ledger.receivable(id).holder;
        VM.prank(holder);
        ledger.transfer(id, members[toSeed % members.length]);
        _checkLifecycle();
    }

    function split(uint256 idSeed, uint256 cut, uint256 toSeed) external {
        uint256 id = _pick(idSeed);
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        uint256 outstanding = v.faceAmount - v.paid;
        if (outstanding < 2) return;
        uint96[] memory amounts = new uint96[](2);
        amounts[0] = uint96(1 + (cut % (outstanding - 1)));
        amounts[1] = uint96(outstanding - amounts[0]);
        address[] memory holders = new address[](2);
        holders[0] = members[toSeed % members.length];
        holders[1] = v.holder;
        VM.prank(v.holder);
        uint256[] memory parts = ledger.split(id, amounts, holders);
        _track(parts[0]);
        _track(parts[1]);
        _checkLifecycle();
    }

    function creditNote(uint256 idSeed, uint96 amount) external {
        uint256 id = _pick(idSeed);
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        uint256 outstanding = v.faceAmount - v.paid;
        if (outstanding == 0) return;
        VM.prank(buyer);
        uint256 noteId = ledger.issueCreditNote(id, uint96(1 + (amount % outstanding)), bytes32(0));
        VM.prank(v.holder);
        ledger.acceptCreditNote(id, noteId);
        _checkLifecycle();
    }

    function markDefaulted(uint256 idSeed) external {
        uint256 id = _pick(idSeed);
        VM.prank(ledger.receivable(id).holder);
        ledger.markDefaulted(id);
        _checkLifecycle();
    }

    function writeOff(uint256 idSeed) external {
        uint256 id = _pick(idSeed);
        VM.prank(ledger.receivable(id).holder);
        ledger.writeOff(id);
        _checkLifecycle();
    }

    function attest(uint256 idSeed, uint256 amount, bytes32 ref) external {
        uint256 id = _pick(idSeed);
        VM.prank(operator);
        ledger.attestBankPayment(id, 1 + (amount % 1e12), ref);
        _checkLifecycle();
    }

    function warp(uint16 hoursAhead) external {
        VM.warp(block.timestamp + (uint256(hoursAhead) % (24 * 30)) * 1 hours);
    }

    /// An outsider (never admitted) and the operator try to act on someone else's receivable.
    function outsiderActs(uint256 idSeed, uint8 action, bool asOperator) external {
        uint256 id = _pick(idSeed);
        address caller = asOperator ? operator : outsider;
        uint96[] memory amounts = new uint96[](2);
        amounts[0] = 1;
        amounts[1] = 1;
        address[] memory holders = new address[](2);
        holders[0] = caller;
        holders[1] = caller;
        VM.prank(caller);
        bool ok;
        if (action % 6 == 0) (ok, ) = address(ledger).call(abi.encodeCall(ledger.transfer, (id, caller)));
        else if (action % 6 == 1) (ok, ) = address(ledger).call(abi.encodeCall(ledger.split, (id, amounts, holders)));
        else if (action % 6 == 2) (ok, ) = address(ledger).call(abi.encodeCall(ledger.confirm, (id)));
        else if (action % 6 == 3) (ok, ) = address(ledger).call(abi.encodeCall(ledger.cancel, (id)));
        else if (action % 6 == 4) (ok, ) = address(ledger).call(abi.encodeCall(ledger.writeOff, (id)));
        else (ok, ) = address(ledger).call(abi.encodeCall(ledger.markDefaulted, (id)));
        if (ok) unauthorizedSuccess++;
    }

    // ─────────────────────────────────────────────────────────────── helpers ──

    function _pick(uint256 seed) internal view returns (uint256) {
        require(ids.length > 0, "no receivables yet");
        return ids[seed % ids.length];
    }

    function _track(uint256 id) internal {
        if (known[id]) return;
        known[id] = true;
        ids.push(id);
        lastStatus[id] = IReceivableLedger.Status.None;
    }

    /// Every receivable's status either stayed or made one of the lifecycle's forward transitions.
    function _checkLifecycle() internal {
        uint256 n = ids.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = ids[i];
            IReceivableLedger.Status s = ledger.receivable(id).status;
            IReceivableLedger.Status was = lastStatus[id];
            if (s != was && !_forward(was, s)) backwardMoves++;
            lastStatus[id] = s;
        }
    }

    function _forward(IReceivableLedger.Status a, IReceivableLedger.Status b) internal pure returns (bool) {
        if (a == IReceivableLedger.Status.None) {
            return b == IReceivableLedger.Status.Registered || b == IReceivableLedger.Status.Confirmed;
        }
        if (a == IReceivableLedger.Status.Registered) {
            return b == IReceivableLedger.Status.Confirmed || b == IReceivableLedger.Status.Disputed
                || b == IReceivableLedger.Status.Cancelled;
        }
        if (a == IReceivableLedger.Status.Disputed) {
            return b == IReceivableLedger.Status.Confirmed || b == IReceivableLedger.Status.Cancelled;
        }
        if (a == IReceivableLedger.Status.Confirmed) {
            return b == IReceivableLedger.Status.Paid || b == IReceivableLedger.Status.Defaulted
                || b == IReceivableLedger.Status.Split;
        }
        if (a == IReceivableLedger.Status.Defaulted) {
            return b == IReceivableLedger.Status.Paid || b == IReceivableLedger.Status.WrittenOff;
        }
        return false;
    }
}

/// @notice Invariants of the ledger under random sequences of actions.
contract ReceivableLedgerInvariantTest is LedgerSetup {
    LedgerHandler internal handler;

    function setUp() public {
        _deploy();
        address[] memory holders = new address[](4);
        holders[0] = seller;
        holders[1] = seller2;
        holders[2] = financier;
        holders[3] = buyer;
        handler = new LedgerHandler(ledger, token, buyer, address(this), holders);
    }

    /// Only the handler is called by the invariant fuzzer.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Value is conserved: what payers paid equals what holders received and what pay() reported taking;
    /// the ledger never holds money.
    function invariant_valueConserved() public view {
        assertEq(handler.ghostPaidByPayers(), handler.ghostReceivedByHolders(), "paid == received");
        assertEq(handler.ghostPaidByPayers(), handler.ghostReportedTaken(), "paid == taken");
        assertEq(token.balanceOf(address(ledger)), 0, "ledger holds no money");
    }

    /// Only the holder is paid.
    function invariant_onlyHolderPaid() public view {
        assertEq(handler.wrongRecipient(), 0, "payment went to someone other than the holder");
    }

    /// Nothing is registered twice.
    function invariant_noDoubleRegistration() public view {
        assertEq(handler.duplicateRegistrations(), 0, "a fingerprint was registered twice");
    }

    /// A receivable never moves backwards in its lifecycle.
    function invariant_lifecycleMovesForward() public view {
        assertEq(handler.backwardMoves(), 0, "a status moved backwards");
    }

    /// Outsiders and the operator never act on a member's receivable.
    function invariant_permissionsHold() public view {
        assertEq(handler.unauthorizedSuccess(), 0, "an unauthorised action succeeded");
    }

    /// Paid never exceeds the face amount, for every receivable.
    function invariant_paidWithinFace() public view {
        uint256 n = handler.idCount();
        for (uint256 i; i < n; ++i) {
            IReceivableLedger.ReceivableView memory v = ledger.receivable(handler.ids(i));
            assertLe(v.paid, v.faceAmount, "paid <= face");
        }
    }
}
