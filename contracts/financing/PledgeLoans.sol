// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {IFinancingModule} from "../interfaces/IFinancingModule.sol";
import {IPledgeLoans} from "./interfaces/IPledgeLoans.sol";

/// @title PledgeLoans
/// @notice See IPledgeLoans. A financing module of the ledger (approved by governance). While a loan is open the
/// ledger routes the buyer's payments here and this contract runs the waterfall in the same transaction.
contract PledgeLoans is IPledgeLoans, IFinancingModule, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_FINANCIER = 4;
    uint256 internal constant BPS = 10_000;
    bytes32 public constant LOAN_OFFER_TYPEHASH = keccak256(
        "LoanOffer(uint256 id,address lender,uint16 advanceBps,uint16 rateBps,uint256 nonce,uint256 expiry)"
    );

    /// @dev One slot. The lender is referenced by its member index; a partial repayment folds the interest it
    /// settles (or leaves unpaid) into `principal` and moves `since` on by the whole days it covered.
    struct Loan {
        uint32 lenderIndex;
        uint96 principal; // what is owed at `since`
        uint32 since; // interest accrues from here
        uint16 rateBps;
    }

    IReceivableLedger public immutable ledger;
    IERC20 public immutable token;
    mapping(uint256 id => Loan) private _loans;
    mapping(address lender => mapping(uint256 word => uint256 bits)) private _usedNonces;

    constructor(IReceivableLedger ledger_) EIP712("PledgeLoans", "1") {
        ledger = ledger_;
        token = IERC20(ledger_.settlementToken());
    }

    /// @inheritdoc IPledgeLoans
    function openLoan(LoanOffer calldata offer, bytes calldata signature)
        external
        nonReentrant
        returns (uint96 principal)
    {
        uint256 id = offer.id;
        if (block.timestamp > offer.expiry) revert LoanOfferExpired(id, offer.expiry);
        if (offer.advanceBps == 0 || offer.advanceBps > BPS) revert LoanInvalidOffer(id, "advanceBps");
        address lender = offer.lender;
        uint32 lenderIndex = ledger.activeIndex(lender, ROLE_FINANCIER);
        if (lenderIndex == 0) revert LoanInvalidOffer(id, "lender");
        _useNonce(lender, offer.nonce);
        if (!SignatureChecker.isValidSignatureNowCalldata(lender, _offerDigest(offer), signature)) {
            revert LoanInvalidSignature(id, lender);
        }
        // Lock first (only the holder, only confirmed and unlocked: no second pledge or sale); it returns the
        // outstanding amount the lien covers. advanceBps <= BPS keeps the principal within it (a uint96).
        uint256 outstanding = ledger.lock(id, msg.sender);
        principal = uint96((outstanding * offer.advanceBps) / BPS);
        if (principal == 0) revert LoanInvalidOffer(id, "principal");
        _loans[id] = Loan({
            lenderIndex: lenderIndex,
            principal: principal,
            since: uint32(block.timestamp),
            rateBps: offer.rateBps
        });
        emit LoanOpened(id, msg.sender, lender, principal, offer.rateBps, offer.nonce);
        token.safeTransferFrom(lender, msg.sender, principal);
    }

    /// @inheritdoc IPledgeLoans
    function repay(uint256 id) external nonReentrant {
        Loan storage ln = _loans[id];
        if (ln.lenderIndex == 0) revert LoanNone(id);
        address lender = ledger.memberAt(ln.lenderIndex);
        (uint256 due, ) = _owed(ln);
        delete _loans[id];
        emit LoanRepayment(id, lender, due, 0, 0);
        emit LoanClosed(id, lender);
        token.safeTransferFrom(msg.sender, lender, due);
        _unlockIfHeld(id);
    }

    /// @inheritdoc IPledgeLoans
    function seize(uint256 id) external nonReentrant {
        Loan storage ln = _loans[id];
        if (ln.lenderIndex == 0) revert LoanNone(id);
        address lender = ledger.memberAt(ln.lenderIndex);
        if (msg.sender != lender) revert LoanNotLender(id, msg.sender, lender);
        IReceivableLedger.Status s = ledger.receivable(id).status;
        if (s == IReceivableLedger.Status.Confirmed) {
            ledger.markDefaulted(id); // reverts unless overdue past the grace period
        } else if (s != IReceivableLedger.Status.Defaulted) {
            revert LoanNotDefaulted(id, uint8(s));
        }
        (uint256 due, ) = _owed(ln);
        delete _loans[id];
        emit CollateralSeized(id, lender, due);
        emit LoanClosed(id, lender);
        ledger.moduleTransfer(id, lender);
        ledger.unlock(id);
    }

    /// @inheritdoc IPledgeLoans
    function cancelOffer(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
        emit LoanOfferCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IFinancingModule
    /// @dev The waterfall: the lender first (up to principal plus interest), the surplus to the holder.
    function onReceivablePayment(uint256 id, address holder, uint256 amount, uint256 outstanding) external {
        if (msg.sender != address(ledger)) revert LoanOnlyLedger(msg.sender);
        Loan storage ln = _loans[id];
        uint32 lenderIndex = ln.lenderIndex;
        address lender = lenderIndex == 0 ? address(0) : ledger.memberAt(lenderIndex);
        (uint256 due, uint256 wholeDays) = lenderIndex == 0 ? (0, 0) : _owed(ln);
        uint256 toLender = amount < due ? amount : due;
        // toLender <= amount.
        uint256 toHolder;
        unchecked {
            toHolder = amount - toLender;
        }
        bool closed = lenderIndex != 0 && toLender == due;
        if (closed) {
            delete _loans[id];
        } else if (toLender != 0) {
            // What is still owed becomes the principal; interest is settled up to the whole days it covered.
            ln.principal = SafeCast.toUint96(due - toLender);
            ln.since += uint32(wholeDays * 1 days);
        }
        emit LoanRepayment(id, lender, toLender, toHolder, due - toLender);
        if (closed) emit LoanClosed(id, lender);
        if (toLender != 0) token.safeTransfer(lender, toLender);
        if (toHolder != 0) token.safeTransfer(holder, toHolder);
        // Repaid, or the collateral is fully paid (any shortfall stays owed by the borrower via repay()).
        if (closed || outstanding == 0) ledger.unlock(id);
    }

    /// @inheritdoc IPledgeLoans
    function owed(uint256 id) external view returns (uint256 due) {
        Loan storage ln = _loans[id];
        if (ln.lenderIndex != 0) (due, ) = _owed(ln);
    }

    /// @notice The lender of the open loan on `id` (address(0) when none).
    function lenderOf(uint256 id) external view returns (address) {
        uint32 index = _loans[id].lenderIndex;
        return index == 0 ? address(0) : ledger.memberAt(index);
    }

    /// @notice The loan on a receivable (lenderIndex 0 when none).
    function loan(uint256 id) external view returns (Loan memory) {
        return _loans[id];
    }

    /// @inheritdoc IPledgeLoans
    function offerDigest(LoanOffer calldata offer) external view returns (bytes32) {
        return _offerDigest(offer);
    }

    function isNonceUsed(address lender, uint256 nonce) external view returns (bool) {
        return _usedNonces[lender][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @dev Principal plus simple interest (actual/365) for the whole days since `since`.
    function _owed(Loan storage ln) internal view returns (uint256 due, uint256 wholeDays) {
        uint256 principal = ln.principal;
        wholeDays = (block.timestamp - ln.since) / 1 days;
        due = principal + (principal * ln.rateBps * wholeDays) / (BPS * 365);
    }

    function _unlockIfHeld(uint256 id) internal {
        if (ledger.receivable(id).lockedBy == address(this)) ledger.unlock(id);
    }

    function _offerDigest(LoanOffer calldata off) internal view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(LOAN_OFFER_TYPEHASH, off.id, off.lender, off.advanceBps, off.rateBps, off.nonce, off.expiry))
        );
    }

    function _useNonce(address lender, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = _usedNonces[lender][nonce >> 8];
        if (word & bit != 0) revert LoanOfferUsed(lender, nonce);
        _usedNonces[lender][nonce >> 8] = word | bit;
    }
}
