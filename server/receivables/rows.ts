// Receivable rows <-> the domain state (Receivable and its undo log ReceivableVersion share these columns).
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import type { ReceivableState } from "./projection.ts";

export const RECEIVABLE_COLUMNS = [
  "id",
  "seller",
  "buyer",
  "holder",
  "status",
  "faceAmount",
  "paid",
  "outstanding",
  "issueDate",
  "dueDate",
  "documentHash",
  "discountBps",
  "discountDays",
  "lateInterestBps",
  "graceDays",
  "parentId",
  "lockedBy",
  "listed",
  "registeredBlock",
  "registeredTx",
];

export function receivableRow(s: ReceivableState, db: Database): unknown[] {
  return [
    s.id,
    s.seller,
    s.buyer,
    s.holder,
    s.status,
    toDbAmount(s.faceAmount),
    toDbAmount(s.paid),
    toDbAmount(s.outstanding),
    s.issueDate,
    s.dueDate,
    s.documentHash,
    s.terms.discountBps,
    s.terms.discountDays,
    s.terms.lateInterestBps,
    s.terms.graceDays,
    s.parentId,
    s.lockedBy,
    db.provider === "sqlite" ? (s.listed ? 1 : 0) : s.listed,
    s.registeredBlock,
    s.registeredTx,
  ];
}

/** Maps a Receivable / ReceivableVersion row to the domain state. */
export function receivableFromRow(r: any): ReceivableState {
  return {
    id: r.id,
    seller: r.seller,
    buyer: r.buyer,
    holder: r.holder,
    status: Number(r.status),
    faceAmount: fromDbAmount(r.faceAmount),
    paid: fromDbAmount(r.paid),
    outstanding: fromDbAmount(r.outstanding),
    issueDate: Number(r.issueDate),
    dueDate: Number(r.dueDate),
    documentHash: r.documentHash,
    terms: {
      discountBps: Number(r.discountBps),
      discountDays: Number(r.discountDays),
      lateInterestBps: Number(r.lateInterestBps),
      graceDays: Number(r.graceDays),
    },
    parentId: r.parentId ?? null,
    lockedBy: r.lockedBy ?? null,
    listed: Boolean(r.listed),
    registeredBlock: Number(r.registeredBlock),
    registeredTx: r.registeredTx,
    updatedBlock: Number(r.updatedBlock ?? r.validFrom),
  };
}
