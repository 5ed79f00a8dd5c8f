// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title The receivables ledger: one token per real invoice, identified by its fingerprint.
/// @notice A seller registers an invoice addressed to a buyer; the buyer confirms it (an irrevocable promise to
/// pay the face amount at maturity to whoever then holds it); the buyer pays in the settlement token and the
/// ledger routes the money to the current holder.
///
/// Identity: a receivable's id IS its fingerprint, `id = uint256(fingerprint)`, where the fingerprint is a salted
/// hash of the normalised seller tax id, buyer tax id, invoice number, currency, amount and issue date. A second
/// registration of the same fingerprint reverts whoever sends it. Parts created by `split` live in their own id
/// space, which registration refuses, so no one can register a receivable under a future part's id: a part id
/// starts with the 32-bit tag `PART_ID_TAG` ("part") followed by the first 224 bits of
/// `keccak256(abi.encode(parentId, partIndex))` (see `partIdOf`). Fingerprints never start with that tag
/// (`common/fingerprint.ts` clears the first byte of the one hash in 2^32 that would).
///
/// Currency: the ledger settles in one currency (its settlement token's, `settlementCurrency`, an ISO 4217 code).
/// Until several currencies are supported, an invoice in any other currency is refused at registration.
///
/// Subrogation (credit insurance): once an insurer has paid a claim on a defaulted receivable, it is subrogated
/// pro rata for what it paid. With `paidByInsurer` the payout and `outstandingAtClaim` the face amount then
/// unpaid, every later payment of the receivable is shared: the insurer's module receives
/// `ceil(payment * paidByInsurer / outstandingAtClaim)`, the holder (or its lien holder) the rest. So holder and
/// insurer together receive exactly what the buyer pays, the holder never recovers more than it was owed in
/// total (claim payout + its share of recoveries <= outstanding + its share of late interest), and the insurer
/// recovers its share of every recovery (rounded up in its favour, never beyond the payment). A subrogated
/// receivable's claim can no longer be reduced or ended by the holder alone: bank attestations, credit notes and
/// write-off are refused.
///
/// Amounts are in the settlement token's base units. Times are unix seconds.
/// Every state change emits exactly one event that carries all the indexer needs to rebuild state from logs.
interface IReceivableLedger {
    /// @notice Lifecycle. Transitions only move forward:
    /// Registered → Confirmed | Disputed | Cancelled; Disputed → Confirmed | Cancelled;
    /// Confirmed → Paid | Defaulted | Split; Defaulted → Paid | WrittenOff.
    enum Status {
        None,
        Registered,
        Confirmed,
        Disputed,
        Cancelled,
        Paid,
        Defaulted,
        WrittenOff,
        Split
    }

    /// @notice Payment terms fixed at registration.
    /// @param discountBps early-payment discount, e.g. 200 = 2% (paying inside the window settles for 98%)
    /// @param discountDays the window, in days after the issue date (0 = no discount)
    /// @param lateInterestBps late interest per year, simple, actual/365, e.g. 1200 = 12%
    /// @param graceDays days after the due date before late interest and default apply
    struct PaymentTerms {
        uint16 discountBps;
        uint16 discountDays;
        uint16 lateInterestBps;
        uint16 graceDays;
    }

    /// @notice One invoice to register.
    struct Invoice {
        bytes32 fingerprint;
        bytes32 documentHash;
        address buyer;
        uint96 amount;
        bytes3 currency; // ISO 4217 code in ASCII, e.g. "USD"; must be the ledger's settlement currency
        uint32 issueDate;
        uint32 dueDate;
        PaymentTerms terms;
    }

    /// @notice The state of one receivable, as the view `receivable` returns it.
    struct ReceivableView {
        address seller;
        address buyer;
        address holder;
        Status status;
        uint96 faceAmount; // after accepted credit notes
        uint96 paid; // principal settled so far (discount counts as settled)
        uint32 issueDate;
        uint32 dueDate;
        PaymentTerms terms;
        uint256 parentId; // 0 unless created by split
        address lockedBy; // financing module holding a lien (issue 5), or address(0)
    }

    // ─────────────────────────────────────────────────────────────────── events ──

    /// @notice A seller registered an invoice. `documentHash` is the hash of the off-chain invoice document;
    /// `currency` the invoice's ISO 4217 code (the ledger's settlement currency).
    event ReceivableRegistered(
        uint256 indexed id,
        address indexed seller,
        address indexed buyer,
        uint96 amount,
        bytes3 currency,
        uint32 issueDate,
        uint32 dueDate,
        PaymentTerms terms,
        bytes32 documentHash
    );
    /// @notice The buyer confirmed (by transaction, or by EIP-712 signature when `bySignature`).
    event ReceivableConfirmed(uint256 indexed id, address indexed buyer, bool bySignature);
    /// @notice The buyer disputed an unconfirmed receivable.
    event ReceivableDisputed(uint256 indexed id, address indexed buyer, bytes32 reasonHash);
    /// @notice The seller cancelled an unconfirmed or disputed receivable.
    event ReceivableCancelled(uint256 indexed id, address indexed seller);
    /// @notice A payment in the settlement token. `principal` is the face amount it settled (with an early
    /// discount, more than `amount`); `interest` the late interest in `amount`; `outstanding` the face amount
    /// still unpaid after it; `refunded` what the payer offered above the amount due and kept.
    event ReceivablePaid(
        uint256 indexed id,
        address indexed payer,
        address indexed holder,
        uint256 amount,
        uint256 principal,
        uint256 interest,
        uint256 outstanding,
        uint256 refunded
    );
    /// @notice The operator attested a payment received off-chain (bank transfer), once per bank reference.
    event BankPaymentAttested(
        uint256 indexed id,
        bytes32 indexed bankReference,
        uint256 amount,
        uint256 principal,
        uint256 interest,
        uint256 outstanding
    );
    /// @notice The receivable changed holder (notice of assignment: from now on payment goes to `to`).
    event ReceivableTransferred(uint256 indexed id, address indexed from, address indexed to);
    /// @notice The holder split a confirmed receivable into parts; the parent becomes Split.
    /// Part i has id `partIdOf(id, i)` (a slot no receivable occupied: the split reverts otherwise), amount
    /// `amounts[i]`, holder `holders[i]`, status Confirmed, nothing paid, no lien, and inherits buyer, seller,
    /// currency, dates and terms from the parent. This is the part's whole state.
    event ReceivableSplit(uint256 indexed id, uint256[] partIds, uint96[] amounts, address[] holders);
    /// @notice The buyer issued a credit note reducing the face amount, pending the holder's acceptance.
    event CreditNoteIssued(uint256 indexed id, uint256 indexed noteId, uint96 amount, bytes32 reasonHash);
    /// @notice The holder accepted a credit note; `faceAmount` is the new face amount.
    event CreditNoteAccepted(uint256 indexed id, uint256 indexed noteId, uint96 faceAmount);
    /// @notice The holder marked an overdue receivable defaulted (after due date plus grace).
    event ReceivableDefaulted(uint256 indexed id, address indexed holder, uint256 outstanding);
    /// @notice The holder wrote off a defaulted receivable.
    event ReceivableWrittenOff(uint256 indexed id, address indexed holder, uint256 outstanding);
    /// @notice Governance (the timelock) approved or revoked a financing module (issue 5: factoring, pledge).
    event FinancingModuleSet(address indexed module, bool approved);
    /// @notice A financing module took a lien on the receivable on behalf of `holder`: until unlocked it cannot be
    /// transferred, split, written off or locked again, and payments are routed to the module.
    event ReceivableLocked(uint256 indexed id, address indexed module, address indexed holder);
    /// @notice The module released its lien.
    event ReceivableUnlocked(uint256 indexed id, address indexed module);
    /// @notice An insurer (through its approved module) paid `paidByInsurer` on a defaulted receivable with
    /// `outstandingAtClaim` unpaid, and is subrogated for it: later payments are shared (see the contract notes).
    event ReceivableSubrogated(
        uint256 indexed id, address indexed module, uint256 paidByInsurer, uint256 outstandingAtClaim
    );
    /// @notice A payment of a subrogated receivable was shared: `toInsurer` went to the insurer's module,
    /// `toHolder` to the holder (or its lien holder). Emitted right after the ReceivablePaid it splits.
    event RecoveryShared(uint256 indexed id, address indexed module, uint256 toInsurer, uint256 toHolder);

    // ─────────────────────────────────────────────────────────────────── errors ──

    error LedgerUnauthorized(address account, uint8 roles);
    error LedgerDuplicateFingerprint(uint256 id);
    /// @notice `id` is in the split parts' id space (starts with PART_ID_TAG): it cannot be registered.
    error LedgerReservedId(uint256 id);
    /// @notice A split would create part `partId` in a slot that already holds a receivable.
    error LedgerPartIdTaken(uint256 id, uint256 partId);
    /// @notice The invoice's currency is not the one the ledger settles in (ISO 4217 codes in ASCII).
    error LedgerUnsupportedCurrency(uint256 id, bytes3 currency, bytes3 settlementCurrency);
    /// @notice The receivable is subrogated to an insurer's module: the holder alone may not do this.
    error LedgerSubrogated(uint256 id, address module);
    error LedgerInvalidInvoice(uint256 id, string field);
    error LedgerUnknownReceivable(uint256 id);
    error LedgerInvalidStatus(uint256 id, Status current, Status expected);
    error LedgerNotBuyer(uint256 id, address caller, address buyer);
    error LedgerNotSeller(uint256 id, address caller, address seller);
    error LedgerNotHolder(uint256 id, address caller, address holder);
    error LedgerLocked(uint256 id, address lockedBy);
    error LedgerInvalidSignature(uint256 id, address signer);
    error LedgerSignatureExpired(uint256 id, uint256 deadline);
    error LedgerInvalidAmount(uint256 id, uint256 amount, uint256 limit);
    error LedgerNotOverdue(uint256 id, uint256 defaultableAt);
    error LedgerBankReferenceUsed(bytes32 bankReference);
    error LedgerInvalidSplit(uint256 id, string reason);
    error LedgerUnknownCreditNote(uint256 id, uint256 noteId);
    /// @notice Only the consortium operator (MemberRegistry.operator) may attest bank payments.
    error LedgerNotOperator(address caller, address operator);
    /// @notice Only governance (the timelock) may upgrade or approve financing modules.
    error LedgerUnauthorizedGovernance(address caller);
    /// @notice The caller is not an approved financing module, or not the one holding the lien.
    error LedgerNotFinancingModule(address caller);
    /// @notice Only the MemberRegistry writes the ledger's mirror of admissions.
    error LedgerNotRegistry(address caller);

    // ──────────────────────────────────────────────────────────────── functions ──

    function register(Invoice calldata invoice) external returns (uint256 id);
    function registerBatch(Invoice[] calldata invoices) external returns (uint256[] memory ids);
    /// @notice Registers and confirms in one transaction with the buyer's EIP-712 `Confirmation` signature.
    function registerAndConfirm(Invoice calldata invoice, uint256 deadline, bytes calldata buyerSignature)
        external
        returns (uint256 id);

    function confirm(uint256 id) external;
    /// @notice Anyone (usually the seller) submits the buyer's EIP-712 signature
    /// `Confirmation(uint256 id,address seller,address buyer,uint96 amount,uint32 dueDate,bytes32 documentHash,uint256 deadline)`
    /// under the ledger's domain (name "ReceivableLedger", version "1", chainId, this contract).
    /// `documentHash` must be the one registered (it is in the ReceivableRegistered event; the ledger keeps an
    /// 80-bit tag of it to check). Replay-safe: bound to chain, contract and id, and usable once (status moves on).
    /// The signer may be a contract wallet (ERC-1271).
    function confirmWithSignature(uint256 id, bytes32 documentHash, uint256 deadline, bytes calldata buyerSignature)
        external;
    function dispute(uint256 id, bytes32 reasonHash) external;
    function cancel(uint256 id) external;

    /// @notice The buyer (or anyone on its behalf) pays up to `amount`; only what is due is taken.
    function pay(uint256 id, uint256 amount) external returns (uint256 taken);
    function attestBankPayment(uint256 id, uint256 amount, bytes32 bankReference) external;

    function transfer(uint256 id, address to) external;
    function split(uint256 id, uint96[] calldata amounts, address[] calldata holders)
        external
        returns (uint256[] memory partIds);

    function issueCreditNote(uint256 id, uint96 amount, bytes32 reasonHash) external returns (uint256 noteId);
    function acceptCreditNote(uint256 id, uint256 noteId) external;

    function markDefaulted(uint256 id) external;
    function writeOff(uint256 id) external;

    // ────────────────────────────────────────────────────── financing hooks (issue 5) ──

    /// @notice Governance approves (or revokes) a financing module. Never the operator.
    function setFinancingModule(address module, bool approved) external;
    /// @notice An approved module takes a lien on a confirmed, unlocked receivable held by `holder`. The module
    /// is trusted (approved by governance) to call this only with the holder's consent. Returns the outstanding
    /// face amount (what the lien covers).
    function lock(uint256 id, address holder) external returns (uint256 outstanding);
    /// @notice The module holding the lien releases it.
    function unlock(uint256 id) external;
    /// @notice The module holding the lien moves the receivable to `to` (an active member), e.g. delivery in a
    /// factoring sale or a lender taking the collateral. Emits ReceivableTransferred. The lien stays.
    function moduleTransfer(uint256 id, address to) external;

    /// @notice An approved module (credit insurance) that has just paid a claim of `paidByInsurer` on a defaulted
    /// receivable records the insurer's subrogation: from now on every payment is shared pro rata (see above).
    /// Once per receivable; `paidByInsurer` must not exceed the outstanding face amount.
    function subrogate(uint256 id, uint256 paidByInsurer) external;

    /// @notice Called by the MemberRegistry on every change of an admission, so the ledger checks permissions
    /// from its own storage. Only the registry.
    function syncMember(address member, uint8 roles, uint64 expiresAt, bool suspended, uint32 index) external;

    // ──────────────────────────────────────────────────────────────────── views ──

    function receivable(uint256 id) external view returns (ReceivableView memory);
    /// @notice What the payer must send at `timestamp` to settle in full (discount and late interest applied).
    function amountDue(uint256 id, uint256 timestamp) external view returns (uint256);
    function settlementToken() external view returns (address);
    /// @notice The ISO 4217 code (ASCII) of the settlement token's currency, the only one registration accepts.
    function settlementCurrency() external view returns (bytes3);
    /// @notice The id part `index` of a split of `parentId` gets.
    function partIdOf(uint256 parentId, uint256 index) external pure returns (uint256);
    /// @notice The insurer's module subrogated on `id` (address(0) if none), what it paid and the outstanding
    /// face amount at the claim.
    function subrogation(uint256 id)
        external
        view
        returns (address module, uint256 paidByInsurer, uint256 outstandingAtClaim);
    function registry() external view returns (address);
    function governance() external view returns (address);
    function isFinancingModule(address module) external view returns (bool);
    /// @notice Membership as the ledger sees it (its mirror of the registry): active with every bit of `roles`.
    function hasActiveRoles(address account, uint8 roles) external view returns (bool);
    /// @notice The member's registry index when active with every bit of `roles`, else 0 (compact references).
    function activeIndex(address account, uint8 roles) external view returns (uint32);
    /// @notice The member with registry index `index`.
    function memberAt(uint32 index) external view returns (address);
    /// @notice A credit note: the receivable it reduces, its amount and whether it is still pending.
    function creditNote(uint256 noteId) external view returns (uint256 id, uint96 amount, bool pending);
    function isBankReferenceUsed(bytes32 bankReference) external view returns (bool);
    /// @notice The EIP-712 digest the buyer signs to confirm (helper for clients and tests).
    function confirmationDigest(
        uint256 id,
        address seller,
        address buyer,
        uint96 amount,
        uint32 dueDate,
        bytes32 documentHash,
        uint256 deadline
    ) external view returns (bytes32);
}
