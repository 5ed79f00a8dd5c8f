// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {IReceivableLedger} from "./interfaces/IReceivableLedger.sol";
import {IFinancingModule} from "./interfaces/IFinancingModule.sol";
import {PaymentTermsMath} from "./libraries/PaymentTerms.sol";

/// @title ReceivableLedger
/// @notice The full on-chain life of a receivable: registration (single, batch, with the buyer's EIP-712
/// confirmation), confirmation, dispute, cancellation, partial payments with early-payment discount and late
/// interest, operator-attested bank payments, transfer, split, credit notes, default and write-off, plus the
/// lien hooks financing modules (issue 5) use.
///
/// Storage: a receivable registers in two fresh slots (seller|face, buyer index|dates|status|lien|terms|doc tag);
/// holder and paid start at zero (holder 0 = the original holder) and cost nothing until they change. A split
/// part costs two slots (holder|amount and its parent id) and reads dates, terms and buyer from its root.
/// The full document hash is in the ReceivableRegistered event; storage keeps its first 80 bits to check
/// signed confirmations against.
///
/// Membership: the ledger keeps a mirror of the MemberRegistry's admissions, written only by the registry on
/// every admit/suspend/reinstate, so a permission check is one storage read instead of a call through the
/// registry's proxy (~8k gas saved per transaction). The registry stays the source of truth and of events.
///
/// Upgrades: UUPS behind an ERC-1967 proxy, authorised by governance (a TimelockController). State is in an
/// ERC-7201 namespace. The registry, the token and the token's currency code are immutables of the
/// implementation: a new implementation is constructed with the same three values.
///
/// Split parts have their own id space (PART_ID_TAG in the top 32 bits) that registration refuses, and a split
/// reverts if a part's slot is taken anyway (a receivable registered under such an id before this rule).
/// Subrogation of an insurer after a paid claim: see IReceivableLedger's notes.
/// @custom:oz-upgrades-unsafe-allow state-variable-immutable
contract ReceivableLedger is IReceivableLedger, Initializable, UUPSUpgradeable, EIP712Upgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 internal constant ROLE_SELLER = 1;
    uint8 internal constant ROLE_BUYER = 2;
    /// @dev Roles that may hold, receive and act on receivables: everyone but a pure auditor.
    uint8 internal constant HOLDER_ROLES = 1 | 2 | 4 | 16;
    uint8 private constant MAX_MODULES = 255;
    uint256 private constant MAX_SPLIT_PARTS = 64;
    /// @notice The top 32 bits of every split part id: ASCII "part". Registration refuses ids starting with it.
    uint256 public constant PART_ID_TAG = 0x70617274;
    uint256 private constant PART_ID_SHIFT = 224;

    bytes32 public constant CONFIRMATION_TYPEHASH = keccak256(
        "Confirmation(uint256 id,address seller,address buyer,uint96 amount,uint32 dueDate,bytes32 documentHash,uint256 deadline)"
    );

    /// @dev One receivable (root or split part) in four slots; slots 2 and 3 start at zero.
    struct Receivable {
        // slot 0 — written at registration / split
        address origin; // the first holder: the seller for a root, the first part holder for a part
        uint96 faceAmount; // after accepted credit notes
        // slot 1 — written at registration; all zero for a part (read from its root) until its status changes
        uint32 buyerIndex; // MemberRegistry index of the buyer; 0 marks a split part
        uint32 issueDate;
        uint32 dueDate;
        Status status; // for a part, None means Confirmed (parts are born confirmed)
        // index of the financing module holding a lien (0 = unlocked): locking writes no fresh slot
        uint8 lockedBy;
        // PaymentTerms inlined: a struct member would start a fresh slot.
        uint16 discountBps;
        uint16 discountDays;
        uint16 lateInterestBps;
        uint16 graceDays;
        bytes10 documentTag; // first 80 bits of the document hash
        // slot 2
        address holder; // 0 = origin
        uint96 paid; // principal settled; not written by the final payment (Paid implies paid = face)
        // slot 3 (zero until used; only read for late payments, and a subrogated receivable is always late)
        uint32 interestPaidUntil; // late interest settled up to this time by earlier partial payments
        uint8 subrogatedBy; // module index of the insurer subrogated after a paid claim (0 = none)
        uint96 subrogatedPaid; // what the insurer paid on its claim
        uint96 subrogatedBase; // the outstanding face amount at the claim
    }

    struct CreditNote {
        uint256 id;
        uint96 amount;
        bool pending;
    }

    /// @dev The outcome of applying a payment, shared by `pay` and `attestBankPayment`.
    struct Payment {
        uint256 taken;
        uint256 principal;
        uint256 interest;
        uint256 outstanding;
        address holder;
        address recipient;
        bool locked;
        address insurer; // the subrogated insurer's module, or address(0)
        uint256 toInsurer; // its share of `taken`
    }

    /// @dev The ledger's mirror of a MemberRegistry admission, written only by the registry (see syncMember).
    struct MemberRecord {
        uint8 roles;
        uint64 expiresAt;
        bool suspended;
        uint32 index;
    }

    /// @custom:storage-location erc7201:receivables.storage.ReceivableLedger
    struct LedgerStorage {
        mapping(uint256 id => Receivable) receivables;
        mapping(uint256 partId => uint256) parentOf;
        mapping(uint256 noteId => CreditNote) creditNotes;
        mapping(bytes32 bankReference => bool) bankReferenceUsed;
        mapping(address module => bool) financingModules;
        mapping(address module => uint8) moduleIndex; // assigned at first approval, never reused
        mapping(uint8 index => address) moduleAt;
        uint8 moduleCount;
        uint256 creditNoteCount;
        address governance;
        mapping(address member => MemberRecord) members;
        mapping(uint32 index => address) memberAt;
    }

    // keccak256(abi.encode(uint256(keccak256("receivables.storage.ReceivableLedger")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x97657665b5b3f4bdcd85bf6c1e605a6f153e0c46cf57fddec0d106bd7c5dfa00;

    IMemberRegistry private immutable _registry;
    IERC20 private immutable _token;
    bytes3 private immutable _currency;

    // ──────────────────────────────────────────────────────────────── modifiers ──

    /// @dev The caller is an active member in a role that may hold receivables (not a pure auditor).
    modifier onlyMember() {
        _requireMember(msg.sender);
        _;
    }

    modifier onlyGovernance() {
        if (msg.sender != _s().governance) revert LedgerUnauthorizedGovernance(msg.sender);
        _;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    /// @param currency_ the settlement token's ISO 4217 code in ASCII (e.g. "USD"), the only one registered
    constructor(IMemberRegistry registry_, IERC20 token_, bytes3 currency_) {
        if (!_isIsoCode(currency_)) revert LedgerUnsupportedCurrency(0, currency_, currency_);
        _registry = registry_;
        _token = token_;
        _currency = currency_;
        _disableInitializers();
    }

    /// @notice Sets governance (the timelock that upgrades and approves financing modules). Once, via the proxy.
    function initialize(address governance_) external initializer {
        if (governance_ == address(0)) revert LedgerUnauthorizedGovernance(governance_);
        __EIP712_init("ReceivableLedger", "1");
        _s().governance = governance_;
    }

    // ───────────────────────────────────────────────────────────── registration ──

    /// @inheritdoc IReceivableLedger
    function register(Invoice calldata invoice) external returns (uint256 id) {
        _requireRole(msg.sender, ROLE_SELLER);
        return _register(invoice);
    }

    /// @inheritdoc IReceivableLedger
    function registerBatch(Invoice[] calldata invoices) external returns (uint256[] memory ids) {
        _requireRole(msg.sender, ROLE_SELLER);
        uint256 n = invoices.length;
        ids = new uint256[](n);
        for (uint256 i; i < n; ) {
            ids[i] = _register(invoices[i]);
            // i < n <= calldata length: cannot overflow.
            unchecked {
                ++i;
            }
        }
    }

    /// @inheritdoc IReceivableLedger
    function registerAndConfirm(Invoice calldata invoice, uint256 deadline, bytes calldata buyerSignature)
        external
        returns (uint256 id)
    {
        _requireRole(msg.sender, ROLE_SELLER);
        id = _register(invoice);
        _checkConfirmation(
            id, msg.sender, invoice.buyer, invoice.amount, invoice.dueDate, invoice.documentHash, deadline, buyerSignature
        );
        _transition(id, _s().receivables[id], Status.Registered, Status.Confirmed);
        emit ReceivableConfirmed(id, invoice.buyer, true);
    }

    // ─────────────────────────────────────────────────── confirmation and dispute ──

    /// @inheritdoc IReceivableLedger
    function confirm(uint256 id) external {
        uint32 buyerIndex = _activeIndex(msg.sender, ROLE_BUYER);
        if (buyerIndex == 0) revert LedgerUnauthorized(msg.sender, ROLE_BUYER);
        (Receivable storage r, Status s) = _existing(id);
        Receivable storage root = _root(id, r);
        if (root.buyerIndex != buyerIndex) revert LedgerNotBuyer(id, msg.sender, _s().memberAt[root.buyerIndex]);
        if (s != Status.Registered && s != Status.Disputed) revert LedgerInvalidStatus(id, s, Status.Registered);
        _transition(id, r, s, Status.Confirmed);
        emit ReceivableConfirmed(id, msg.sender, false);
    }

    /// @inheritdoc IReceivableLedger
    function confirmWithSignature(uint256 id, bytes32 documentHash, uint256 deadline, bytes calldata buyerSignature)
        external
    {
        (Receivable storage r, Status s) = _existing(id);
        // Only from Registered: a signature made before a dispute cannot override it.
        if (s != Status.Registered) revert LedgerInvalidStatus(id, s, Status.Registered);
        if (bytes10(documentHash) != r.documentTag) revert LedgerInvalidInvoice(id, "documentHash");
        address buyer = _s().memberAt[r.buyerIndex];
        _requireRole(buyer, ROLE_BUYER);
        _checkConfirmation(id, r.origin, buyer, r.faceAmount, r.dueDate, documentHash, deadline, buyerSignature);
        _transition(id, r, s, Status.Confirmed);
        emit ReceivableConfirmed(id, buyer, true);
    }

    /// @inheritdoc IReceivableLedger
    function dispute(uint256 id, bytes32 reasonHash) external {
        uint32 buyerIndex = _activeIndex(msg.sender, ROLE_BUYER);
        if (buyerIndex == 0) revert LedgerUnauthorized(msg.sender, ROLE_BUYER);
        (Receivable storage r, Status s) = _existing(id);
        Receivable storage root = _root(id, r);
        if (root.buyerIndex != buyerIndex) revert LedgerNotBuyer(id, msg.sender, _s().memberAt[root.buyerIndex]);
        if (s != Status.Registered) revert LedgerInvalidStatus(id, s, Status.Registered);
        _transition(id, r, s, Status.Disputed);
        emit ReceivableDisputed(id, msg.sender, reasonHash);
    }

    /// @inheritdoc IReceivableLedger
    function cancel(uint256 id) external onlyMember {
        (Receivable storage r, Status s) = _existing(id);
        address seller = _root(id, r).origin;
        if (msg.sender != seller) revert LedgerNotSeller(id, msg.sender, seller);
        if (s != Status.Registered && s != Status.Disputed) revert LedgerInvalidStatus(id, s, Status.Registered);
        _transition(id, r, s, Status.Cancelled);
        emit ReceivableCancelled(id, msg.sender);
    }

    // ─────────────────────────────────────────────────────────────────── payment ──

    /// @inheritdoc IReceivableLedger
    /// @dev Any active member may pay (a buyer's treasury, a guarantor): money only ever flows from the payer to
    /// the holder (or the lien holder). Only what is due is pulled, so an overpayment never leaves the payer.
    function pay(uint256 id, uint256 amount) external nonReentrant onlyMember returns (uint256 taken) {
        Payment memory p = _applyPayment(id, amount);
        taken = p.taken;
        emit ReceivablePaid(id, msg.sender, p.holder, taken, p.principal, p.interest, p.outstanding, amount - taken);
        // toInsurer <= taken (see _applyPayment).
        uint256 toHolder;
        unchecked {
            toHolder = taken - p.toInsurer;
        }
        if (p.insurer != address(0)) emit RecoveryShared(id, p.insurer, p.toInsurer, toHolder);
        if (toHolder != 0) _token.safeTransferFrom(msg.sender, p.recipient, toHolder);
        if (p.locked) IFinancingModule(p.recipient).onReceivablePayment(id, p.holder, toHolder, p.outstanding);
        if (p.toInsurer != 0) {
            _token.safeTransferFrom(msg.sender, p.insurer, p.toInsurer);
            IFinancingModule(p.insurer).onReceivablePayment(id, p.holder, p.toInsurer, p.outstanding);
        }
    }

    /// @inheritdoc IReceivableLedger
    /// @dev Records a payment the holder received off-chain; no token moves. `amount` may not exceed what is
    /// due, so nothing is recorded that the holder would have to refund. A module holding a lien is told (with
    /// a zero amount: it received nothing) so it can release a receivable paid off-chain.
    function attestBankPayment(uint256 id, uint256 amount, bytes32 bankReference) external nonReentrant {
        address op = _registry.operator();
        if (msg.sender != op) revert LedgerNotOperator(msg.sender, op);
        LedgerStorage storage $ = _s();
        if ($.bankReferenceUsed[bankReference]) revert LedgerBankReferenceUsed(bankReference);
        $.bankReferenceUsed[bankReference] = true;
        Payment memory p = _applyPayment(id, amount);
        // The holder received it all off-chain; the insurer's share could not be routed.
        if (p.insurer != address(0)) revert LedgerSubrogated(id, p.insurer);
        if (p.taken != amount) revert LedgerInvalidAmount(id, amount, p.taken);
        emit BankPaymentAttested(id, bankReference, amount, p.principal, p.interest, p.outstanding);
        if (p.locked) IFinancingModule(p.recipient).onReceivablePayment(id, p.holder, 0, p.outstanding);
    }

    // ───────────────────────────────────────────────────────── transfer and split ──

    /// @inheritdoc IReceivableLedger
    function transfer(uint256 id, address to) external {
        _requireMember(msg.sender);
        _requireMember(to);
        (Receivable storage r, Status s) = _existing(id);
        address holder = _holderOf(r);
        if (holder != msg.sender) revert LedgerNotHolder(id, msg.sender, holder);
        if (s != Status.Confirmed && s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        _requireUnlocked(id, r);
        r.holder = to;
        emit ReceivableTransferred(id, msg.sender, to);
    }

    /// @inheritdoc IReceivableLedger
    /// @dev Each part is a receivable of its own, paid on its own (see the report): amounts sum to the outstanding
    /// face amount; the parent becomes Split and keeps its history.
    function split(uint256 id, uint96[] calldata amounts, address[] calldata holders)
        external
        returns (uint256[] memory partIds)
    {
        _requireMember(msg.sender);
        (Receivable storage r, Status s) = _existing(id);
        address holder = _holderOf(r);
        if (holder != msg.sender) revert LedgerNotHolder(id, msg.sender, holder);
        if (s != Status.Confirmed) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        _requireUnlocked(id, r);
        uint256 n = amounts.length;
        if (n < 2 || n > MAX_SPLIT_PARTS || holders.length != n) revert LedgerInvalidSplit(id, "parts");
        if (block.timestamp > _root(id, r).dueDate) revert LedgerInvalidSplit(id, "overdue");
        partIds = new uint256[](n);
        uint256 sum;
        for (uint256 i; i < n; ) {
            partIds[i] = _createPart(id, i, amounts[i], holders[i]);
            // sum <= n * 2^96 < 2^103 and i < n <= 64: neither can overflow.
            unchecked {
                sum += amounts[i];
                ++i;
            }
        }
        if (sum != r.faceAmount - r.paid) revert LedgerInvalidSplit(id, "sum");
        _transition(id, r, s, Status.Split);
        emit ReceivableSplit(id, partIds, amounts, holders);
    }

    // ────────────────────────────────────────────────────────────── credit notes ──

    /// @inheritdoc IReceivableLedger
    function issueCreditNote(uint256 id, uint96 amount, bytes32 reasonHash) external returns (uint256 noteId) {
        uint32 buyerIndex = _activeIndex(msg.sender, ROLE_BUYER);
        if (buyerIndex == 0) revert LedgerUnauthorized(msg.sender, ROLE_BUYER);
        (Receivable storage r, Status s) = _existing(id);
        Receivable storage root = _root(id, r);
        if (root.buyerIndex != buyerIndex) revert LedgerNotBuyer(id, msg.sender, _s().memberAt[root.buyerIndex]);
        if (s != Status.Confirmed && s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        uint256 outstanding = r.faceAmount - r.paid;
        if (amount == 0 || amount > outstanding) revert LedgerInvalidAmount(id, amount, outstanding);
        LedgerStorage storage $ = _s();
        noteId = ++$.creditNoteCount;
        $.creditNotes[noteId] = CreditNote({id: id, amount: amount, pending: true});
        emit CreditNoteIssued(id, noteId, amount, reasonHash);
    }

    /// @inheritdoc IReceivableLedger
    /// @dev If the new face amount equals what was already paid, the receivable becomes Paid (the indexer sees
    /// `faceAmount == paid` in this event).
    function acceptCreditNote(uint256 id, uint256 noteId) external onlyMember {
        (Receivable storage r, Status s) = _existing(id);
        address holder = _holderOf(r);
        if (holder != msg.sender) revert LedgerNotHolder(id, msg.sender, holder);
        CreditNote storage note = _s().creditNotes[noteId];
        if (note.id != id || !note.pending) revert LedgerUnknownCreditNote(id, noteId);
        if (s != Status.Confirmed && s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        _requireUnlocked(id, r);
        // Only a Defaulted receivable can be subrogated: a Confirmed one costs no extra read.
        if (s == Status.Defaulted) _requireNotSubrogated(id, r);
        uint96 face = r.faceAmount;
        uint96 paid = r.paid;
        uint96 amount = note.amount;
        if (amount > face - paid) revert LedgerInvalidAmount(id, amount, face - paid);
        note.pending = false;
        // amount <= face - paid checked above.
        unchecked {
            face -= amount;
        }
        r.faceAmount = face;
        if (face == paid) _transition(id, r, s, Status.Paid);
        emit CreditNoteAccepted(id, noteId, face);
    }

    // ──────────────────────────────────────────────────────── default, write-off ──

    /// @inheritdoc IReceivableLedger
    /// @dev The holder, or the financing module holding a lien (a lender enforcing its pledge).
    function markDefaulted(uint256 id) external {
        (Receivable storage r, Status s) = _existing(id);
        address holder = _holderOf(r);
        bool byLienHolder = r.lockedBy != 0 && _lockHolder(r) == msg.sender;
        if (!byLienHolder) {
            if (holder != msg.sender) revert LedgerNotHolder(id, msg.sender, holder);
            _requireMember(msg.sender);
        }
        if (s != Status.Confirmed) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        Receivable storage root = _root(id, r);
        uint256 defaultableAt = PaymentTermsMath.lateFrom(root.dueDate, root.graceDays);
        if (block.timestamp <= defaultableAt) revert LedgerNotOverdue(id, defaultableAt);
        _transition(id, r, s, Status.Defaulted);
        emit ReceivableDefaulted(id, holder, r.faceAmount - r.paid);
    }

    /// @inheritdoc IReceivableLedger
    function writeOff(uint256 id) external onlyMember {
        (Receivable storage r, Status s) = _existing(id);
        address holder = _holderOf(r);
        if (holder != msg.sender) revert LedgerNotHolder(id, msg.sender, holder);
        if (s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Defaulted);
        _requireUnlocked(id, r);
        _requireNotSubrogated(id, r);
        _transition(id, r, s, Status.WrittenOff);
        emit ReceivableWrittenOff(id, holder, r.faceAmount - r.paid);
    }

    // ──────────────────────────────────────────────────── financing hooks (issue 5) ──

    /// @inheritdoc IReceivableLedger
    function setFinancingModule(address module, bool approved) external onlyGovernance {
        LedgerStorage storage $ = _s();
        if ($.moduleIndex[module] == 0) {
            if ($.moduleCount == MAX_MODULES) revert LedgerNotFinancingModule(module);
            uint8 index = ++$.moduleCount;
            $.moduleIndex[module] = index;
            $.moduleAt[index] = module;
        }
        $.financingModules[module] = approved;
        emit FinancingModuleSet(module, approved);
    }

    /// @inheritdoc IReceivableLedger
    function lock(uint256 id, address holder) external returns (uint256 outstanding) {
        if (!_s().financingModules[msg.sender]) revert LedgerNotFinancingModule(msg.sender);
        (Receivable storage r, Status s) = _existing(id);
        address current = _holderOf(r);
        if (current != holder) revert LedgerNotHolder(id, holder, current);
        if (s != Status.Confirmed) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        _requireUnlocked(id, r);
        r.lockedBy = _s().moduleIndex[msg.sender];
        emit ReceivableLocked(id, msg.sender, holder);
        outstanding = r.faceAmount - r.paid;
    }

    /// @inheritdoc IReceivableLedger
    function unlock(uint256 id) external {
        (Receivable storage r, ) = _existing(id);
        if (r.lockedBy == 0 || _lockHolder(r) != msg.sender) revert LedgerNotFinancingModule(msg.sender);
        r.lockedBy = 0;
        emit ReceivableUnlocked(id, msg.sender);
    }

    /// @inheritdoc IReceivableLedger
    function moduleTransfer(uint256 id, address to) external {
        (Receivable storage r, Status s) = _existing(id);
        if (r.lockedBy == 0 || _lockHolder(r) != msg.sender || !_s().financingModules[msg.sender]) {
            revert LedgerNotFinancingModule(msg.sender);
        }
        _requireMember(to);
        if (s != Status.Confirmed && s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        address from = _holderOf(r);
        r.holder = to;
        emit ReceivableTransferred(id, from, to);
    }

    /// @inheritdoc IReceivableLedger
    function subrogate(uint256 id, uint256 paidByInsurer) external {
        LedgerStorage storage $ = _s();
        if (!$.financingModules[msg.sender]) revert LedgerNotFinancingModule(msg.sender);
        (Receivable storage r, Status s) = _existing(id);
        if (s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Defaulted);
        _requireNotSubrogated(id, r);
        uint256 outstanding = r.faceAmount - r.paid;
        if (paidByInsurer == 0 || paidByInsurer > outstanding) revert LedgerInvalidAmount(id, paidByInsurer, outstanding);
        r.subrogatedBy = $.moduleIndex[msg.sender];
        // paidByInsurer <= outstanding <= faceAmount, a uint96.
        r.subrogatedPaid = uint96(paidByInsurer);
        r.subrogatedBase = uint96(outstanding);
        emit ReceivableSubrogated(id, msg.sender, paidByInsurer, outstanding);
    }

    // ───────────────────────────────────────────────────────────── membership ──

    /// @inheritdoc IReceivableLedger
    function syncMember(address member, uint8 roles, uint64 expiresAt, bool suspended, uint32 index) external {
        if (msg.sender != address(_registry)) revert LedgerNotRegistry(msg.sender);
        LedgerStorage storage $ = _s();
        $.members[member] = MemberRecord({roles: roles, expiresAt: expiresAt, suspended: suspended, index: index});
        $.memberAt[index] = member;
    }

    // ──────────────────────────────────────────────────────────────────── views ──

    /// @inheritdoc IReceivableLedger
    function receivable(uint256 id) external view returns (ReceivableView memory v) {
        (Receivable storage r, Status s) = _existing(id);
        Receivable storage root = _root(id, r);
        v.seller = root.origin;
        v.buyer = _s().memberAt[root.buyerIndex];
        v.holder = _holderOf(r);
        v.status = s;
        v.faceAmount = r.faceAmount;
        v.paid = s == Status.Paid ? r.faceAmount : r.paid;
        v.issueDate = root.issueDate;
        v.dueDate = root.dueDate;
        v.terms = _termsOf(root);
        v.parentId = _s().parentOf[id];
        v.lockedBy = r.lockedBy != 0 ? _lockHolder(r) : address(0);
    }

    /// @inheritdoc IReceivableLedger
    /// @dev 0 for a receivable that can no longer be paid (Paid, Cancelled, WrittenOff, Split).
    function amountDue(uint256 id, uint256 timestamp) external view returns (uint256) {
        (Receivable storage r, Status s) = _existing(id);
        if (s == Status.Paid || s == Status.Cancelled || s == Status.WrittenOff || s == Status.Split) return 0;
        Receivable storage root = _root(id, r);
        uint256 outstanding = r.faceAmount - r.paid;
        uint256 lateFrom = PaymentTermsMath.lateFrom(root.dueDate, root.graceDays);
        if (timestamp > lateFrom) {
            uint256 from = r.interestPaidUntil > lateFrom ? r.interestPaidUntil : lateFrom;
            (uint256 interest, ) = PaymentTermsMath.lateInterest(outstanding, root.lateInterestBps, from, timestamp);
            return outstanding + interest;
        }
        if (PaymentTermsMath.inDiscountWindow(root.issueDate, root.discountDays, root.discountBps, timestamp)) {
            return PaymentTermsMath.discounted(outstanding, root.discountBps);
        }
        return outstanding;
    }

    /// @inheritdoc IReceivableLedger
    function settlementToken() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IReceivableLedger
    function settlementCurrency() external view returns (bytes3) {
        return _currency;
    }

    /// @inheritdoc IReceivableLedger
    function partIdOf(uint256 parentId, uint256 index) external pure returns (uint256) {
        return _partIdOf(parentId, index);
    }

    /// @inheritdoc IReceivableLedger
    function subrogation(uint256 id)
        external
        view
        returns (address module, uint256 paidByInsurer, uint256 outstandingAtClaim)
    {
        Receivable storage r = _s().receivables[id];
        if (r.subrogatedBy == 0) return (address(0), 0, 0);
        return (_s().moduleAt[r.subrogatedBy], r.subrogatedPaid, r.subrogatedBase);
    }

    /// @inheritdoc IReceivableLedger
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IReceivableLedger
    function governance() external view returns (address) {
        return _s().governance;
    }

    /// @inheritdoc IReceivableLedger
    function hasActiveRoles(address account, uint8 roles) external view returns (bool) {
        MemberRecord storage m = _s().members[account];
        return roles != 0 && m.roles & roles == roles && _isActive(m);
    }

    /// @inheritdoc IReceivableLedger
    function activeIndex(address account, uint8 roles) external view returns (uint32) {
        return roles == 0 ? 0 : _activeIndex(account, roles);
    }

    /// @inheritdoc IReceivableLedger
    function memberAt(uint32 index) external view returns (address) {
        return _s().memberAt[index];
    }

    /// @inheritdoc IReceivableLedger
    function isFinancingModule(address module) external view returns (bool) {
        return _s().financingModules[module];
    }

    /// @inheritdoc IReceivableLedger
    function creditNote(uint256 noteId) external view returns (uint256 id, uint96 amount, bool pending) {
        CreditNote storage note = _s().creditNotes[noteId];
        return (note.id, note.amount, note.pending);
    }

    /// @inheritdoc IReceivableLedger
    function isBankReferenceUsed(bytes32 bankReference) external view returns (bool) {
        return _s().bankReferenceUsed[bankReference];
    }

    /// @inheritdoc IReceivableLedger
    function confirmationDigest(
        uint256 id,
        address seller,
        address buyer,
        uint96 amount,
        uint32 dueDate,
        bytes32 documentHash,
        uint256 deadline
    ) external view returns (bytes32) {
        return _confirmationDigest(id, seller, buyer, amount, dueDate, documentHash, deadline);
    }

    // ──────────────────────────────────────────────────────────────── internal ──

    function _register(Invoice calldata inv) internal returns (uint256 id) {
        id = uint256(inv.fingerprint);
        if (id == 0) revert LedgerInvalidInvoice(id, "fingerprint");
        if (id >> PART_ID_SHIFT == PART_ID_TAG) revert LedgerReservedId(id);
        if (inv.currency != _currency) revert LedgerUnsupportedCurrency(id, inv.currency, _currency);
        if (inv.amount == 0) revert LedgerInvalidInvoice(id, "amount");
        if (inv.dueDate <= block.timestamp || inv.dueDate < inv.issueDate) revert LedgerInvalidInvoice(id, "dueDate");
        PaymentTerms calldata t = inv.terms;
        if (t.discountBps >= PaymentTermsMath.BPS || uint256(inv.issueDate) + uint256(t.discountDays) * 1 days > inv.dueDate)
        {
            revert LedgerInvalidInvoice(id, "terms");
        }
        if (inv.buyer == msg.sender) revert LedgerInvalidInvoice(id, "buyer");
        uint32 buyerIndex = _activeIndex(inv.buyer, ROLE_BUYER);
        if (buyerIndex == 0) revert LedgerUnauthorized(inv.buyer, ROLE_BUYER);
        Receivable storage r = _s().receivables[id];
        if (r.origin != address(0)) revert LedgerDuplicateFingerprint(id);
        r.origin = msg.sender;
        r.faceAmount = inv.amount;
        r.buyerIndex = buyerIndex;
        r.issueDate = inv.issueDate;
        r.dueDate = inv.dueDate;
        r.status = Status.Registered;
        r.discountBps = t.discountBps;
        r.discountDays = t.discountDays;
        r.lateInterestBps = t.lateInterestBps;
        r.graceDays = t.graceDays;
        r.documentTag = bytes10(inv.documentHash);
        emit ReceivableRegistered(
            id, msg.sender, inv.buyer, inv.amount, inv.currency, inv.issueDate, inv.dueDate, t, inv.documentHash
        );
    }

    function _createPart(uint256 id, uint256 i, uint96 amount, address partHolder) internal returns (uint256 partId) {
        if (amount == 0) revert LedgerInvalidSplit(id, "amount");
        _requireMember(partHolder);
        partId = _partIdOf(id, i);
        LedgerStorage storage $ = _s();
        Receivable storage part = $.receivables[partId];
        // Registration refuses this id space, but a receivable registered there before that rule may exist.
        if (part.origin != address(0)) revert LedgerPartIdTaken(id, partId);
        part.origin = partHolder;
        part.faceAmount = amount;
        $.parentOf[partId] = id;
    }

    /// @dev Applies `amount` at block.timestamp: late interest first (a late payment must at least cover it),
    /// then principal; inside the discount window a payment settles more face than it costs.
    function _applyPayment(uint256 id, uint256 amount) internal returns (Payment memory p) {
        (Receivable storage r, Status s) = _existing(id);
        if (s != Status.Confirmed && s != Status.Defaulted) revert LedgerInvalidStatus(id, s, Status.Confirmed);
        Receivable storage root = _root(id, r);
        uint256 face = r.faceAmount;
        uint256 paid = r.paid;
        uint256 outstanding = face - paid;
        if (amount == 0) revert LedgerInvalidAmount(id, amount, outstanding);
        PaymentTerms memory t = _termsOf(root);
        uint256 lateFrom = PaymentTermsMath.lateFrom(root.dueDate, t.graceDays);
        if (block.timestamp > lateFrom) {
            uint256 from = r.interestPaidUntil > lateFrom ? r.interestPaidUntil : lateFrom;
            uint256 wholeDays;
            (p.interest, wholeDays) =
                PaymentTermsMath.lateInterest(outstanding, t.lateInterestBps, from, block.timestamp);
            if (amount < p.interest) revert LedgerInvalidAmount(id, amount, p.interest);
            // amount >= interest checked above.
            unchecked {
                uint256 rest = amount - p.interest;
                p.principal = rest < outstanding ? rest : outstanding;
            }
            p.taken = p.interest + p.principal;
            if (p.principal < outstanding && wholeDays != 0) r.interestPaidUntil = uint32(from + wholeDays * 1 days);
        } else if (PaymentTermsMath.inDiscountWindow(root.issueDate, t.discountDays, t.discountBps, block.timestamp)) {
            uint256 full = PaymentTermsMath.discounted(outstanding, t.discountBps);
            if (amount >= full) {
                p.taken = full;
                p.principal = outstanding;
            } else {
                p.taken = amount;
                p.principal = PaymentTermsMath.principalFor(amount, t.discountBps); // < outstanding as amount < full
            }
        } else {
            p.principal = amount < outstanding ? amount : outstanding;
            p.taken = p.principal;
        }
        // principal <= outstanding = face - paid in every branch.
        unchecked {
            paid += p.principal;
            p.outstanding = face - paid;
        }
        p.holder = _holderOf(r);
        p.locked = r.lockedBy != 0;
        p.recipient = p.locked ? _lockHolder(r) : p.holder;
        // Only a Defaulted receivable can be subrogated (and it is always late, so slot 3 is already warm).
        if (s == Status.Defaulted && r.subrogatedBy != 0) (p.insurer, p.toInsurer) = _insurerShare(r, p.taken);
        if (p.outstanding == 0) _transition(id, r, s, Status.Paid);
        else r.paid = uint96(paid);
    }

    function _checkConfirmation(
        uint256 id,
        address seller,
        address buyer,
        uint96 amount,
        uint32 dueDate,
        bytes32 documentHash,
        uint256 deadline,
        bytes calldata signature
    ) internal view {
        if (block.timestamp > deadline) revert LedgerSignatureExpired(id, deadline);
        bytes32 digest = _confirmationDigest(id, seller, buyer, amount, dueDate, documentHash, deadline);
        if (!SignatureChecker.isValidSignatureNowCalldata(buyer, digest, signature)) {
            revert LedgerInvalidSignature(id, buyer);
        }
    }

    function _confirmationDigest(
        uint256 id,
        address seller,
        address buyer,
        uint96 amount,
        uint32 dueDate,
        bytes32 documentHash,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(CONFIRMATION_TYPEHASH, id, seller, buyer, amount, dueDate, documentHash, deadline))
        );
    }

    /// @dev The one place where the lifecycle moves; only the transitions of `Status`'s NatSpec are possible.
    function _transition(uint256 id, Receivable storage r, Status from, Status to) internal {
        if (!_allowed(from, to)) revert LedgerInvalidStatus(id, from, to);
        r.status = to;
    }

    function _allowed(Status from, Status to) internal pure returns (bool) {
        if (from == Status.Registered) return to == Status.Confirmed || to == Status.Disputed || to == Status.Cancelled;
        if (from == Status.Disputed) return to == Status.Confirmed || to == Status.Cancelled;
        if (from == Status.Confirmed) return to == Status.Paid || to == Status.Defaulted || to == Status.Split;
        if (from == Status.Defaulted) return to == Status.Paid || to == Status.WrittenOff;
        return false;
    }

    /// @dev The subrogated insurer's module and its share of `taken`: ceil(taken * paidByInsurer / outstanding at
    /// the claim), rounded up for the insurer so the holder never gets more than its share; <= taken as
    /// paidByInsurer <= outstanding at the claim.
    function _insurerShare(Receivable storage r, uint256 taken) internal view returns (address insurer, uint256 share) {
        insurer = _s().moduleAt[r.subrogatedBy];
        uint256 base = r.subrogatedBase;
        // taken < 2^160 (face + interest) and subrogatedPaid < 2^96: the product cannot overflow; base > 0.
        unchecked {
            share = (taken * r.subrogatedPaid + base - 1) / base;
        }
    }

    /// @dev PART_ID_TAG, then the first 224 bits of keccak256(abi.encode(parentId, index)).
    function _partIdOf(uint256 parentId, uint256 index) internal pure returns (uint256) {
        return (PART_ID_TAG << PART_ID_SHIFT) | (uint256(keccak256(abi.encode(parentId, index))) >> 32);
    }

    function _requireNotSubrogated(uint256 id, Receivable storage r) internal view {
        if (r.subrogatedBy != 0) revert LedgerSubrogated(id, _s().moduleAt[r.subrogatedBy]);
    }

    /// @dev Three upper-case ASCII letters.
    function _isIsoCode(bytes3 code) internal pure returns (bool) {
        for (uint256 i; i < 3; ) {
            bytes1 c = code[i];
            if (c < 0x41 || c > 0x5A) return false;
            // i < 3: cannot overflow.
            unchecked {
                ++i;
            }
        }
        return true;
    }

    function _existing(uint256 id) internal view returns (Receivable storage r, Status s) {
        r = _s().receivables[id];
        s = r.status;
        if (s == Status.None) {
            if (r.origin == address(0)) revert LedgerUnknownReceivable(id);
            s = Status.Confirmed; // a split part that has not changed status since it was created
        }
    }

    /// @dev A part keeps buyer, dates and terms in its root; walk up the split chain.
    function _root(uint256 id, Receivable storage r) internal view returns (Receivable storage root) {
        root = r;
        LedgerStorage storage $ = _s();
        while (root.buyerIndex == 0) {
            id = $.parentOf[id];
            root = $.receivables[id];
        }
    }

    function _termsOf(Receivable storage root) internal view returns (PaymentTerms memory) {
        return PaymentTerms(root.discountBps, root.discountDays, root.lateInterestBps, root.graceDays);
    }

    function _holderOf(Receivable storage r) internal view returns (address holder) {
        holder = r.holder;
        if (holder == address(0)) holder = r.origin;
    }

    function _lockHolder(Receivable storage r) internal view returns (address) {
        return _s().moduleAt[r.lockedBy];
    }

    function _requireUnlocked(uint256 id, Receivable storage r) internal view {
        if (r.lockedBy != 0) revert LedgerLocked(id, _lockHolder(r));
    }

    function _requireMember(address account) internal view {
        MemberRecord storage m = _s().members[account];
        if (m.roles & HOLDER_ROLES == 0 || !_isActive(m)) revert LedgerUnauthorized(account, HOLDER_ROLES);
    }

    function _requireRole(address account, uint8 role) internal view {
        MemberRecord storage m = _s().members[account];
        if (m.roles & role != role || !_isActive(m)) revert LedgerUnauthorized(account, role);
    }

    /// @dev The member's registry index when it is active with `role`, otherwise 0.
    function _activeIndex(address account, uint8 role) internal view returns (uint32) {
        MemberRecord storage m = _s().members[account];
        return m.roles & role == role && _isActive(m) ? m.index : 0;
    }

    function _isActive(MemberRecord storage m) internal view returns (bool) {
        return !m.suspended && m.expiresAt > block.timestamp;
    }

    function _authorizeUpgrade(address) internal view override onlyGovernance {}

    function _s() private pure returns (LedgerStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
