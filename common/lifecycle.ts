// A receivable's lifecycle (DOMAIN.md, "A receivable's life"), as the ledger enforces it: the statuses in
// IReceivableLedger.Status order, the transitions of ReceivableLedger._allowed, the actions and the statuses
// each accepts, and the named sets every view uses instead of its own list. test/common/lifecycle.test.ts
// checks the statuses against the ABI and every (status, action) pair against the contract on a real chain.
import { DAY_S } from "./units.ts";

/** IReceivableLedger.Status, by enum index. */
export const STATUSES = ["None", "Registered", "Confirmed", "Disputed", "Cancelled", "Paid", "Defaulted", "WrittenOff", "Split"] as const;
export type ReceivableStatus = (typeof STATUSES)[number];

/** Status name → enum index (the number the chain and the database store). */
export const STATUS = Object.fromEntries(STATUSES.map((name, index) => [name, index])) as { readonly [K in ReceivableStatus]: number };

export function statusName(index: number): ReceivableStatus {
  const name = STATUSES[index];
  if (!name) throw new Error(`unknown receivable status index ${index}`);
  return name;
}

/** The enum index of a status name; throws on anything else. */
export function statusIndex(name: string): number {
  const index = (STATUSES as readonly string[]).indexOf(name);
  if (index < 0) throw new Error(`unknown receivable status "${name}"`);
  return index;
}

/**
 * The status graph: the only moves `ReceivableLedger._transition` allows (`_allowed`). Every other status is
 * final. A split part starts Confirmed (it is created, not moved there).
 */
export const TRANSITIONS: { readonly [K in ReceivableStatus]: readonly ReceivableStatus[] } = {
  None: [],
  Registered: ["Confirmed", "Disputed", "Cancelled"],
  Confirmed: ["Paid", "Defaulted", "Split"],
  Disputed: ["Confirmed", "Cancelled"],
  Cancelled: [],
  Paid: [],
  Defaulted: ["Paid", "WrittenOff"],
  WrittenOff: [],
  Split: [],
};

export function canTransition(from: ReceivableStatus, to: ReceivableStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * What can be done to a receivable, by status: `from` lists the statuses in which the ledger accepts the action
 * (given the right caller and arguments), `to` the status it leads to (`null`: the status stays; `"Paid"` for a
 * payment or credit note means "once nothing is outstanding"). Who may act is the contract's and the server's
 * business; this table says only when.
 */
export const ACTIONS = {
  /** The buyer confirms (确权): an irrevocable promise to pay. A dispute can be resolved by confirming. */
  confirm: { from: ["Registered", "Disputed"], to: "Confirmed" },
  /** The seller submits the buyer's EIP-712 confirmation; never over a dispute. */
  confirmWithSignature: { from: ["Registered"], to: "Confirmed" },
  /** The buyer disputes before confirming. */
  dispute: { from: ["Registered"], to: "Disputed" },
  /** The seller withdraws an unconfirmed invoice. */
  cancel: { from: ["Registered", "Disputed"], to: "Cancelled" },
  /** Anyone admitted pays the holder (or the lien holder); Paid once nothing is outstanding. */
  pay: { from: ["Confirmed", "Defaulted"], to: "Paid" },
  /** The operator records a payment made off-chain. */
  attestBankPayment: { from: ["Confirmed", "Defaulted"], to: "Paid" },
  /** The holder assigns the receivable (notice of assignment). */
  transfer: { from: ["Confirmed", "Defaulted"], to: null },
  /** The holder splits it into parts (each a Confirmed receivable); only before the due date. */
  split: { from: ["Confirmed"], to: "Split" },
  /** The buyer issues a credit note, which the holder may accept. */
  issueCreditNote: { from: ["Confirmed", "Defaulted"], to: null },
  /** The holder accepts a credit note: the face amount falls; Paid when it falls to what was paid. */
  acceptCreditNote: { from: ["Confirmed", "Defaulted"], to: "Paid" },
  /** The holder (or the lien holder) marks it defaulted once the grace period after the due date is over. */
  markDefaulted: { from: ["Confirmed"], to: "Defaulted" },
  /** The holder writes a defaulted receivable off. */
  writeOff: { from: ["Defaulted"], to: "WrittenOff" },
  /** A financing module takes a lien (pledge, listing). */
  lock: { from: ["Confirmed"], to: null },
} as const satisfies Record<string, { from: readonly ReceivableStatus[]; to: ReceivableStatus | null }>;
export type LedgerAction = keyof typeof ACTIONS;

/** True when the ledger accepts `action` on a receivable in `status`. */
export function allows(action: LedgerAction, status: string): boolean {
  return (ACTIONS[action].from as readonly string[]).includes(status);
}

/** A named set of statuses, usable with status names (API, client) and enum indexes (chain, database). */
export interface StatusSet {
  readonly names: readonly ReceivableStatus[];
  readonly indexes: readonly number[];
  has(status: string | number): boolean;
}

export function statusSet(names: readonly ReceivableStatus[]): StatusSet {
  const byName = new Set<string>(names);
  const indexes = names.map((n) => STATUS[n]);
  const byIndex = new Set<number>(indexes);
  return { names, indexes, has: (s) => (typeof s === "number" ? byIndex.has(s) : byName.has(s)) };
}

/**
 * OPEN: the receivable's life is not over — the seller's claim on the buyer still stands or is still being
 * decided (Registered, Confirmed, Disputed, Defaulted). Its outstanding amount is the open balance of the
 * buyer's and seller's balances and of aging. Every other status is final: Cancelled, Paid, WrittenOff and
 * Split (the parts carry the claim on).
 */
export const OPEN = statusSet(["Registered", "Confirmed", "Disputed", "Defaulted"]);

/**
 * COLLECTABLE: the buyer has confirmed the debt and not paid it in full (Confirmed, Defaulted) — what the holder
 * collects, what is aged past its due date and can be overdue, what a buyer "owes (confirmed)". A disputed or
 * merely registered invoice is not yet owed.
 */
export const COLLECTABLE = statusSet(["Confirmed", "Defaulted"]);

/** PAYABLE: the ledger takes a payment, on chain or attested from a bank (`_applyPayment`). */
export const PAYABLE = statusSet(ACTIONS.pay.from);

/**
 * EXPOSURE: what counts towards a credit limit on the buyer (DOMAIN.md, "Credit limits"): the open receivables
 * the buyer has confirmed, plus registered ones not yet confirmed (Registered, Confirmed, Defaulted). A disputed
 * invoice is not counted while the dispute stands.
 */
export const EXPOSURE = statusSet(["Registered", "Confirmed", "Defaulted"]);

/**
 * NO_CLAIM: nothing is owed on the receivable itself, whatever its outstanding field says: a cancelled invoice
 * was never owed, a split parent passed its claim to its parts. Views show "—" instead of an amount.
 */
export const NO_CLAIM = statusSet(["Cancelled", "Split"]);

/**
 * CONFIRMED: the buyer has confirmed the receivable at some point — its status is Confirmed or one only reachable
 * from there (Paid, Defaulted, WrittenOff, Split). Financiers price on it: a confirmed debt is an irrevocable promise.
 */
export const CONFIRMED = statusSet(["Confirmed", "Paid", "Defaulted", "WrittenOff", "Split"]);

/** FINAL: no transition leaves these statuses (None aside). */
export const FINAL = statusSet(STATUSES.filter((s) => s !== "None" && TRANSITIONS[s].length === 0));

/**
 * The one definition of overdue (issue 9, item 19), used by every view: a collectable receivable with something
 * outstanding whose due date is before `now` — the chain's time, unix seconds. `daysOverdue` counts whole days
 * past the due date, rounded up (0 when not overdue).
 */
export function overdueness(s: { status: string | number; outstanding: bigint; dueDate: number }, now: number): { overdue: boolean; daysOverdue: number } {
  const overdue = COLLECTABLE.has(s.status) && s.outstanding > 0n && s.dueDate < now;
  return { overdue, daysOverdue: overdue ? Math.ceil((now - s.dueDate) / DAY_S) : 0 };
}
