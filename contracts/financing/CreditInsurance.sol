// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IReceivableLedger} from "../interfaces/IReceivableLedger.sol";
import {ICreditInsurance} from "./interfaces/ICreditInsurance.sol";
import {IFinancingModule} from "../interfaces/IFinancingModule.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title CreditInsurance
/// @notice See ICreditInsurance. Holds no lien (the receivable keeps moving freely; the policy pays whoever holds
/// it at the claim). One policy per receivable at a time. The payout is escrowed at offer, so a claim never
/// depends on the insurer's later solvency. Approved by governance as a financing module only so that the ledger
/// accepts its `subrogate` at a claim and routes the insurer's share of later payments here, which this contract
/// forwards to the insurer at once (it keeps no recovered money).
contract CreditInsurance is ICreditInsurance, IFinancingModule, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_INSURER = 16;
    uint256 internal constant BPS = 10_000;

    IReceivableLedger public immutable ledger;
    IERC20 public immutable token;
    mapping(uint256 id => Policy) private _policies;
    mapping(uint256 id => Subrogation) private _subrogations;

    constructor(IReceivableLedger ledger_) {
        ledger = ledger_;
        token = IERC20(ledger_.settlementToken());
    }

    /// @inheritdoc ICreditInsurance
    function offerPolicy(uint256 id, uint16 coverageBps, uint96 premium, uint32 expiry) external nonReentrant {
        if (!ledger.hasActiveRoles(msg.sender, ROLE_INSURER)) revert InsuranceNotInsurer(msg.sender);
        Policy storage p = _policies[id];
        if (p.insurer != address(0)) revert InsuranceAlreadyCovered(id, p.insurer);
        if (coverageBps == 0 || coverageBps > BPS) revert InsuranceInvalidPolicy(id, "coverageBps");
        if (expiry <= block.timestamp) revert InsuranceInvalidPolicy(id, "expiry");
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        if (v.status != IReceivableLedger.Status.Confirmed) revert InsuranceInvalidPolicy(id, "status");
        // coverageBps <= BPS: the escrow never exceeds the outstanding face amount (a uint96).
        uint96 escrow = uint96((uint256(v.faceAmount - v.paid) * coverageBps) / BPS);
        _policies[id] = Policy({
            insurer: msg.sender,
            coverageBps: coverageBps,
            expiry: expiry,
            active: false,
            claimed: false,
            premium: premium,
            escrow: escrow
        });
        emit PolicyOffered(id, msg.sender, coverageBps, premium, expiry, escrow);
        token.safeTransferFrom(msg.sender, address(this), escrow);
    }

    /// @inheritdoc ICreditInsurance
    function acceptPolicy(uint256 id) external nonReentrant {
        Policy storage p = _policies[id];
        if (p.insurer == address(0) || p.active) revert InsuranceNoPolicy(id);
        address holder = ledger.receivable(id).holder;
        if (msg.sender != holder) revert InsuranceNotHolder(id, msg.sender, holder);
        if (block.timestamp > p.expiry) revert InsuranceInvalidPolicy(id, "expiry");
        p.active = true;
        emit PolicyAccepted(id, holder, p.insurer, p.premium);
        token.safeTransferFrom(holder, p.insurer, p.premium);
    }

    /// @inheritdoc ICreditInsurance
    function claim(uint256 id) external nonReentrant returns (uint256 payout) {
        Policy storage p = _policies[id];
        if (!p.active || p.claimed) revert InsuranceNoPolicy(id);
        IReceivableLedger.ReceivableView memory v = ledger.receivable(id);
        if (msg.sender != v.holder) revert InsuranceNotHolder(id, msg.sender, v.holder);
        if (v.status != IReceivableLedger.Status.Defaulted || block.timestamp > p.expiry) {
            revert InsuranceNotClaimable(id, uint8(v.status));
        }
        uint256 covered = (uint256(v.faceAmount - v.paid) * p.coverageBps) / BPS;
        uint256 escrow = p.escrow;
        payout = covered < escrow ? covered : escrow;
        address insurer = p.insurer;
        p.claimed = true;
        p.escrow = 0;
        emit PolicyClaimed(id, v.holder, insurer, payout);
        if (payout != 0) {
            // payout <= escrow, a uint96.
            _subrogations[id] = Subrogation({insurer: insurer, paid: uint96(payout), recovered: 0});
            ledger.subrogate(id, payout);
        }
        token.safeTransfer(v.holder, payout);
        // escrow >= payout by the line above.
        unchecked {
            if (escrow > payout) token.safeTransfer(insurer, escrow - payout);
        }
    }

    /// @inheritdoc ICreditInsurance
    /// @dev The insurer takes its escrow back when the offer was never accepted, the policy expired unclaimed,
    /// or the receivable was paid. The receivable can then be insured again.
    function release(uint256 id) external nonReentrant {
        Policy storage p = _policies[id];
        address insurer = p.insurer;
        if (insurer == address(0)) revert InsuranceNoPolicy(id);
        IReceivableLedger.Status s = ledger.receivable(id).status;
        bool done = p.claimed || !p.active || block.timestamp > p.expiry || s == IReceivableLedger.Status.Paid;
        if (msg.sender != insurer || !done) revert InsuranceNotReleasable(id);
        uint256 escrow = p.escrow;
        delete _policies[id];
        emit PolicyReleased(id, insurer, escrow);
        if (escrow != 0) token.safeTransfer(insurer, escrow);
    }

    /// @inheritdoc IFinancingModule
    /// @dev The ledger sent the insurer's share of a payment of a subrogated receivable: forward it.
    function onReceivablePayment(uint256 id, address, uint256 amount, uint256) external nonReentrant {
        if (msg.sender != address(ledger)) revert InsuranceOnlyLedger(msg.sender);
        Subrogation storage sub = _subrogations[id];
        address insurer = sub.insurer;
        if (insurer == address(0) || amount == 0) return;
        // Checked: an impossible overflow reverts the payment rather than miscount.
        uint96 recovered = sub.recovered + SafeCast.toUint96(amount);
        sub.recovered = recovered;
        emit SubrogationRecovered(id, insurer, amount, recovered);
        token.safeTransfer(insurer, amount);
    }

    /// @inheritdoc ICreditInsurance
    function policy(uint256 id) external view returns (Policy memory) {
        return _policies[id];
    }

    /// @inheritdoc ICreditInsurance
    function subrogation(uint256 id) external view returns (Subrogation memory) {
        return _subrogations[id];
    }
}
