// How ledger events change a receivable: a pure fold, no I/O. The indexer applies it event by event; "as of"
// queries and reorg rollbacks rely on the versions it produced.
import { STATUS, statusName, OPEN, COLLECTABLE, EXPOSURE, overdueness } from "../../common/lifecycle.ts";
import type { ChainEvent } from "../indexer/types.ts";
import { ProjectionError } from "../errors.ts";

export { ProjectionError };

import type { PaymentTerms } from "../../common/pricing.ts";
export type { PaymentTerms };

export interface ReceivableState {
  id: string;
  seller: string;
  buyer: string;
  holder: string;
  status: number;
  faceAmount: bigint;
  paid: bigint;
  outstanding: bigint;
  issueDate: number;
  dueDate: number;
  documentHash: string;
  terms: PaymentTerms;
  parentId: string | null;
  lockedBy: string | null;
  listed: boolean;
  registeredBlock: number;
  registeredTx: string;
  updatedBlock: number;
}

export const RECEIVABLE_EVENTS = [
  "ReceivableRegistered",
  "ReceivableConfirmed",
  "ReceivableDisputed",
  "ReceivableCancelled",
  "ReceivablePaid",
  "BankPaymentAttested",
  "ReceivableTransferred",
  "ReceivableSplit",
  "CreditNoteIssued",
  "CreditNoteAccepted",
  "ReceivableDefaulted",
  "ReceivableWrittenOff",
  "ReceivableLocked",
  "ReceivableUnlocked",
  // Credit insurance subrogation: history of the receivable (the state itself does not change)
  "ReceivableSubrogated",
  "RecoveryShared",
  // FactoringMarket (issue 5): set and clear `listed`
  "Listed",
  "ListingClosed",
  "Sold",
] as const;

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as string | number));
const addr = (v: unknown): string => String(v).toLowerCase();
export const idHex = (v: unknown): string => "0x" + big(v).toString(16).padStart(64, "0");

/** The receivable an event is about (its `id` argument), or null. */
export function receivableIdOf(event: Pick<ChainEvent, "args">): string | null {
  return event.args["id"] === undefined ? null : idHex(event.args["id"]);
}

/**
 * Applies one ledger event. `current` looks up the state before the event (undefined when unknown).
 * Returns every receivable state the event changed (a split changes the parent and creates parts).
 */
export function applyLedgerEvent(current: (id: string) => ReceivableState | undefined, e: ChainEvent): ReceivableState[] {
  const a = e.args;
  const id = idHex(a["id"]);
  if (e.name === "ReceivableRegistered") {
    const amount = big(a["amount"]);
    const terms = a["terms"] as Record<string, unknown>;
    return [
      {
        id,
        seller: addr(a["seller"]),
        buyer: addr(a["buyer"]),
        holder: addr(a["seller"]),
        status: STATUS.Registered,
        faceAmount: amount,
        paid: 0n,
        outstanding: amount,
        issueDate: Number(a["issueDate"]),
        dueDate: Number(a["dueDate"]),
        documentHash: String(a["documentHash"]).toLowerCase(),
        terms: {
          discountBps: Number(terms["discountBps"]),
          discountDays: Number(terms["discountDays"]),
          lateInterestBps: Number(terms["lateInterestBps"]),
          graceDays: Number(terms["graceDays"]),
        },
        parentId: null,
        lockedBy: null,
        listed: false,
        registeredBlock: e.blockNumber,
        registeredTx: e.transactionHash,
        updatedBlock: e.blockNumber,
      },
    ];
  }
  const before = current(id);
  if (!before) throw new ProjectionError(`${e.name} at block ${e.blockNumber} for unknown receivable ${id}`);
  const next: ReceivableState = { ...before, updatedBlock: e.blockNumber };
  switch (e.name) {
    case "ReceivableConfirmed":
      next.status = STATUS.Confirmed;
      return [next];
    case "ReceivableDisputed":
      next.status = STATUS.Disputed;
      return [next];
    case "ReceivableCancelled":
      next.status = STATUS.Cancelled;
      return [next];
    case "ReceivablePaid":
    case "BankPaymentAttested": {
      next.paid = before.paid + big(a["principal"]);
      next.outstanding = big(a["outstanding"]);
      if (next.outstanding === 0n) next.status = STATUS.Paid;
      return [next];
    }
    case "ReceivableTransferred":
      next.holder = addr(a["to"]);
      return [next];
    case "ReceivableSplit": {
      next.status = STATUS.Split;
      const partIds = (a["partIds"] as unknown[]).map(idHex);
      const amounts = (a["amounts"] as unknown[]).map(big);
      const holders = (a["holders"] as unknown[]).map(addr);
      // The event describes each part's whole state, which is only true of a fresh slot (the ledger reverts a
      // split onto an occupied one): never project a part over a receivable that exists.
      for (const partId of partIds) {
        if (current(partId)) throw new ProjectionError(`ReceivableSplit at block ${e.blockNumber} of ${id} creates part ${partId}, which already exists`);
      }
      const parts = partIds.map(
        (partId, i): ReceivableState => ({
          ...before,
          id: partId,
          holder: holders[i]!,
          status: STATUS.Confirmed,
          faceAmount: amounts[i]!,
          paid: 0n,
          outstanding: amounts[i]!,
          parentId: id,
          lockedBy: null,
          listed: false,
          registeredBlock: e.blockNumber,
          registeredTx: e.transactionHash,
          updatedBlock: e.blockNumber,
        }),
      );
      return [next, ...parts];
    }
    case "CreditNoteIssued":
    case "ReceivableSubrogated":
    case "RecoveryShared":
      return [];
    case "CreditNoteAccepted": {
      next.faceAmount = big(a["faceAmount"]);
      next.outstanding = next.faceAmount > before.paid ? next.faceAmount - before.paid : 0n;
      if (next.outstanding === 0n) next.status = STATUS.Paid;
      return [next];
    }
    case "ReceivableDefaulted":
      next.status = STATUS.Defaulted;
      next.outstanding = big(a["outstanding"]);
      return [next];
    case "ReceivableWrittenOff":
      next.status = STATUS.WrittenOff;
      return [next];
    case "ReceivableLocked":
      // A financing module holds a lien on behalf of `holder` (issue 5); payments route to the module.
      next.lockedBy = addr(a["module"]);
      return [next];
    case "ReceivableUnlocked":
      next.lockedBy = null;
      return [next];
    case "Listed":
      next.listed = true;
      return [next];
    case "ListingClosed":
    case "Sold":
      next.listed = false;
      return [next];
    default:
      return [];
  }
}

// ───────────────────────────────────────────────────────────── aggregates ──

/** What one receivable contributes to its buyer's and seller's balances. */
export interface BalanceContribution {
  openBalance: bigint;
  openCount: number;
  confirmedOpen: bigint;
  exposure: bigint;
}

// openBalance/openCount: OPEN; confirmedOpen: COLLECTABLE; exposure: EXPOSURE (common/lifecycle.ts).
export function contribution(s: ReceivableState | undefined): BalanceContribution {
  if (!s) return { openBalance: 0n, openCount: 0, confirmedOpen: 0n, exposure: 0n };
  return {
    openBalance: OPEN.has(s.status) ? s.outstanding : 0n,
    openCount: OPEN.has(s.status) ? 1 : 0,
    confirmedOpen: COLLECTABLE.has(s.status) ? s.outstanding : 0n,
    exposure: EXPOSURE.has(s.status) ? s.outstanding : 0n,
  };
}

export type BalanceDelta = BalanceContribution;

/** Adds the change from `before` to `after` to the per-party deltas (key `${side}:${address}`). */
export function addBalanceDelta(deltas: Map<string, BalanceDelta>, before: ReceivableState | undefined, after: ReceivableState | undefined): void {
  const b = contribution(before);
  const a = contribution(after);
  const parties: [string, string | undefined, string | undefined][] = [
    ["buyer", before?.buyer, after?.buyer],
    ["seller", before?.seller, after?.seller],
  ];
  for (const [side, oldParty, newParty] of parties) {
    const apply = (party: string | undefined, c: BalanceContribution, sign: 1n | -1n) => {
      if (!party) return;
      const key = `${side}:${party}`;
      const d = deltas.get(key) ?? { openBalance: 0n, openCount: 0, confirmedOpen: 0n, exposure: 0n };
      d.openBalance += sign * c.openBalance;
      d.openCount += Number(sign) * c.openCount;
      d.confirmedOpen += sign * c.confirmedOpen;
      d.exposure += sign * c.exposure;
      deltas.set(key, d);
    };
    apply(oldParty, b, -1n);
    apply(newParty, a, 1n);
  }
}

// The lifecycle (statuses, named sets) and the one definition of overdue live in common/lifecycle.ts.
export { STATUS, statusName, overdueness };
