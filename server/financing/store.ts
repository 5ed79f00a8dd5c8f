// Data access for financing: the indexer's projection writes (re-fold of the touched receivables in the indexer's
// transaction, and the rollback after a reorg) and the reads of the financing API (listings, sales, loans,
// policies, server-held offers). Prisma is used through server/database/client.ts's Database, as in every store. The
// projection is registered with the indexer in ./indexing.ts.
import type { Database, Tx } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import { receivableFromRow } from "../receivables/rows.ts";
import { createReceivableQueries } from "../receivables/store.ts";
import { idHex, type ReceivableState } from "../receivables/projection.ts";
import type { ChainEvent } from "../indexer/types.ts";
import {
  foldFinancing,
  FINANCING_RECEIVABLE_EVENTS,
  FINANCING_EVENT_NAMES,
  NONCE_CANCEL_EVENT_NAMES,
  type Listing,
  type Sale,
  type Loan,
  type LoanRepayment,
  type Policy,
  type FinancingRecord,
} from "./projection.ts";

const CHUNK = 400;
const FIN_NAMES = [...FINANCING_RECEIVABLE_EVENTS] as string[];
const ORDER = [{ blockNumber: "asc" as const }, { transactionIndex: "asc" as const }, { logIndex: "asc" as const }];
const amt = (v: bigint | null) => (v === null ? null : toDbAmount(v));

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// ─────────────────────────────────────────────────────── indexer writes ──

/** Rebuilds the financing rows of `ids` from their stored events (those at or below `maxBlock` when given). */
async function refold(tx: Tx, chainId: number, ids: string[], maxBlock?: number) {
  for (const part of chunks(ids)) {
    const rows = await tx.ledgerEvent.findMany({
      where: { chainId, receivableId: { in: part }, name: { in: FIN_NAMES }, ...(maxBlock !== undefined ? { blockNumber: { lte: maxBlock } } : {}) },
      orderBy: ORDER,
    });
    const byId = new Map<string, ChainEvent[]>();
    for (const r of rows) {
      const list = byId.get(r.receivableId!) ?? [];
      list.push({ ...r, args: JSON.parse(r.args) });
      byId.set(r.receivableId!, list);
    }
    const where = { receivableId: { in: part } };
    await tx.finListing.deleteMany({ where });
    await tx.finSale.deleteMany({ where });
    await tx.finLoan.deleteMany({ where });
    await tx.finLoanRepayment.deleteMany({ where });
    await tx.finPolicy.deleteMany({ where });
    const rec: FinancingRecord = { listings: [], sales: [], loans: [], repayments: [], policies: [] };
    for (const [id, evs] of byId) {
      const r = foldFinancing(id, evs);
      rec.listings.push(...r.listings);
      rec.sales.push(...r.sales);
      rec.loans.push(...r.loans);
      rec.repayments.push(...r.repayments);
      rec.policies.push(...r.policies);
    }
    if (rec.listings.length) await tx.finListing.createMany({ data: rec.listings.map((l) => ({ ...l, reserve: toDbAmount(l.reserve) })) });
    if (rec.sales.length) {
      await tx.finSale.createMany({
        data: rec.sales.map((s) => ({ ...s, price: toDbAmount(s.price), recourseAmount: amt(s.recourseAmount), forwarded: toDbAmount(s.forwarded) })),
      });
    }
    if (rec.loans.length) {
      await tx.finLoan.createMany({
        data: rec.loans.map((l) => ({
          ...l,
          principal: toDbAmount(l.principal),
          paidToLender: toDbAmount(l.paidToLender),
          paidToHolder: toDbAmount(l.paidToHolder),
          owed: toDbAmount(l.owed),
        })),
      });
    }
    if (rec.repayments.length) {
      await tx.finLoanRepayment.createMany({
        data: rec.repayments.map((p) => ({ ...p, toLender: toDbAmount(p.toLender), toHolder: toDbAmount(p.toHolder), owedAfter: toDbAmount(p.owedAfter) })),
      });
    }
    if (rec.policies.length) {
      await tx.finPolicy.createMany({
        data: rec.policies.map((p) => ({
          ...p,
          premium: toDbAmount(p.premium),
          escrow: toDbAmount(p.escrow),
          payout: amt(p.payout),
          recovered: amt(p.recovered),
        })),
      });
    }
  }
}

/**
 * Projects a batch's financing events (already stored as LedgerEvent rows in `tx`): re-folds each receivable
 * they name and records cancelled offer nonces. Idempotent: running it twice over the same events gives the
 * same rows. Called by the financing projection (./indexing.ts) inside the indexer's batch transaction.
 */
export async function projectFinancingBatch(tx: Tx, events: ChainEvent[]): Promise<string[]> {
  const ids = new Set<string>();
  let chainId = 0;
  for (const e of events) {
    if (FINANCING_EVENT_NAMES.has(e.name)) {
      ids.add(idHex(e.args["id"]));
      chainId = e.chainId;
    } else if (NONCE_CANCEL_EVENT_NAMES.has(e.name)) {
      const account = String(e.args[e.name === "OfferCancelled" ? "financier" : "lender"]).toLowerCase();
      const key = { contract: e.contract, account, nonce: String(e.args["nonce"]) };
      await tx.finCancelledNonce.upsert({
        where: { contract_account_nonce: key },
        create: { ...key, blockNumber: e.blockNumber },
        update: { blockNumber: e.blockNumber },
      });
    }
  }
  if (ids.size) await refold(tx, chainId, [...ids]);
  return [...ids];
}

/**
 * Undoes the financing projection above block `A` (a reorg's common ancestor). Must run before the store deletes
 * the events above A: it finds the receivables they touched and re-folds them from the events at or below A.
 */
export async function rollbackFinancing(tx: Tx, chainId: number, A: number): Promise<void> {
  const later = await tx.ledgerEvent.findMany({
    where: { chainId, blockNumber: { gt: A }, name: { in: FIN_NAMES }, receivableId: { not: null } },
    select: { receivableId: true },
    distinct: ["receivableId"],
  });
  await tx.finCancelledNonce.deleteMany({ where: { blockNumber: { gt: A } } });
  if (later.length)
    await refold(
      tx,
      chainId,
      later.map((r) => r.receivableId!),
      A,
    );
}

// ───────────────────────────────────────────────────────────── reads ──

const listingFrom = (r: any): Listing => ({ ...r, reserve: fromDbAmount(r.reserve), withRecourse: Boolean(r.withRecourse) });
const saleFrom = (r: any): Sale => ({
  ...r,
  price: fromDbAmount(r.price),
  withRecourse: Boolean(r.withRecourse),
  recourseAmount: r.recourseAmount === null ? null : fromDbAmount(r.recourseAmount),
  forwarded: fromDbAmount(r.forwarded),
});
const loanFrom = (r: any): Loan => ({
  ...r,
  principal: fromDbAmount(r.principal),
  paidToLender: fromDbAmount(r.paidToLender),
  paidToHolder: fromDbAmount(r.paidToHolder),
  owed: fromDbAmount(r.owed),
});
const repaymentFrom = (r: any): LoanRepayment => ({
  ...r,
  toLender: fromDbAmount(r.toLender),
  toHolder: fromDbAmount(r.toHolder),
  owedAfter: fromDbAmount(r.owedAfter),
});
const policyFrom = (r: any): Policy => ({
  ...r,
  premium: fromDbAmount(r.premium),
  escrow: fromDbAmount(r.escrow),
  payout: r.payout === null ? null : fromDbAmount(r.payout),
  recovered: r.recovered === null ? null : fromDbAmount(r.recovered),
});

export type OfferKind = "factoring" | "loan";

export interface OfferRecord {
  id: string;
  kind: OfferKind;
  receivableId: string;
  bidder: string;
  price: bigint | null;
  advanceBps: number | null;
  rateBps: number | null;
  nonce: string;
  expiry: number;
  signature: string;
  createdAt: Date;
  withdrawnAt: Date | null;
  /** The account it was made to (that listing's lister / the holder then); null on rows stored before. */
  offeredTo: string | null;
  /** The listing (seq) a factoring bid was made on; null for loan offers and rows stored before. */
  listingSeq: number | null;
}

export interface LoanRequest {
  receivableId: string;
  holder: string;
  requestedAt: Date;
  closedAt: Date | null;
}

const offerFrom = (r: any): OfferRecord => ({
  ...r,
  kind: r.kind as OfferKind,
  price: r.price === null ? null : fromDbAmount(r.price),
  offeredTo: r.offeredTo ?? null,
  listingSeq: r.listingSeq ?? null,
});

export interface CreditNote {
  receivableId: string;
  name: string;
  noteId: string;
  amount: string | null;
  faceAmount: string | null;
  blockNumber: number;
  transactionHash: string;
}

export function createFinancingQueries(db: Database) {
  const prisma = db.prisma;
  const receivableQueries = createReceivableQueries(db);

  async function receivables(ids: string[]): Promise<Map<string, ReceivableState>> {
    const out = new Map<string, ReceivableState>();
    for (const part of chunks([...new Set(ids)])) {
      for (const r of await prisma.receivable.findMany({ where: { id: { in: part } } })) out.set(r.id, receivableFromRow(r));
    }
    return out;
  }

  return {
    receivables,

    /** Lenders, insurers, loan requests and attestations of receivables, for visibility (one definition: receivables/store.ts). */
    involvement: receivableQueries.involvement,

    // Loan requests (server-held, not chain data).
    async openLoanRequest(receivableId: string, holder: string): Promise<LoanRequest | null> {
      return await prisma.finLoanRequest.findFirst({ where: { receivableId, holder, closedAt: null } });
    },
    async putLoanRequest(receivableId: string, holder: string, at: Date): Promise<LoanRequest> {
      return await prisma.finLoanRequest.upsert({
        where: { receivableId_holder: { receivableId, holder } },
        create: { receivableId, holder, requestedAt: at, closedAt: null },
        update: { requestedAt: at, closedAt: null },
      });
    },
    async closeLoanRequest(receivableId: string, holder: string, at: Date): Promise<void> {
      await prisma.finLoanRequest.updateMany({ where: { receivableId, holder, closedAt: null }, data: { closedAt: at } });
    },

    /** Receivables currently held by `holder` (portfolio views). */
    async heldBy(holder: string): Promise<ReceivableState[]> {
      return (await prisma.receivable.findMany({ where: { holder }, orderBy: { dueDate: "asc" } })).map(receivableFromRow);
    },

    async openListings(): Promise<Listing[]> {
      return (await prisma.finListing.findMany({ where: { status: "open" }, orderBy: [{ listedBlock: "desc" }] })).map(listingFrom);
    },

    async listingsBy(lister: string): Promise<Listing[]> {
      return (await prisma.finListing.findMany({ where: { lister }, orderBy: [{ listedBlock: "desc" }] })).map(listingFrom);
    },

    /** The whole financing record of some receivables. */
    async records(ids: string[]): Promise<Map<string, FinancingRecord>> {
      const out = new Map<string, FinancingRecord>();
      for (const id of ids) out.set(id, { listings: [], sales: [], loans: [], repayments: [], policies: [] });
      for (const part of chunks([...new Set(ids)])) {
        const where = { receivableId: { in: part } };
        const [listings, sales, loans, repayments, policies] = await Promise.all([
          prisma.finListing.findMany({ where, orderBy: { seq: "asc" } }),
          prisma.finSale.findMany({ where, orderBy: { seq: "asc" } }),
          prisma.finLoan.findMany({ where, orderBy: { seq: "asc" } }),
          prisma.finLoanRepayment.findMany({ where, orderBy: ORDER }),
          prisma.finPolicy.findMany({ where, orderBy: { seq: "asc" } }),
        ]);
        for (const r of listings) out.get(r.receivableId)!.listings.push(listingFrom(r));
        for (const r of sales) out.get(r.receivableId)!.sales.push(saleFrom(r));
        for (const r of loans) out.get(r.receivableId)!.loans.push(loanFrom(r));
        for (const r of repayments) out.get(r.receivableId)!.repayments.push(repaymentFrom(r));
        for (const r of policies) out.get(r.receivableId)!.policies.push(policyFrom(r));
      }
      return out;
    },

    async salesWhere(where: { financier?: string; seller?: string }): Promise<Sale[]> {
      return (await prisma.finSale.findMany({ where, orderBy: [{ soldBlock: "asc" }] })).map(saleFrom);
    },

    async loansWhere(where: { lender?: string; borrower?: string }): Promise<Loan[]> {
      return (await prisma.finLoan.findMany({ where, orderBy: [{ openedBlock: "asc" }] })).map(loanFrom);
    },

    async allLoans(): Promise<Loan[]> {
      return (await prisma.finLoan.findMany({ orderBy: [{ openedBlock: "asc" }] })).map(loanFrom);
    },

    async repaymentsOf(ids: string[]): Promise<LoanRepayment[]> {
      const out: LoanRepayment[] = [];
      for (const part of chunks(ids))
        out.push(...(await prisma.finLoanRepayment.findMany({ where: { receivableId: { in: part } }, orderBy: ORDER })).map(repaymentFrom));
      return out;
    },

    /** Credit notes (dilution) issued and accepted on these receivables. */
    async creditNotes(ids: string[]): Promise<CreditNote[]> {
      const out: CreditNote[] = [];
      for (const part of chunks(ids)) {
        const rows = await prisma.ledgerEvent.findMany({
          where: { receivableId: { in: part }, name: { in: ["CreditNoteIssued", "CreditNoteAccepted"] } },
          orderBy: ORDER,
        });
        for (const r of rows) {
          const a = JSON.parse(r.args);
          out.push({
            receivableId: r.receivableId!,
            name: r.name,
            noteId: String(a.noteId),
            amount: a.amount ?? null,
            faceAmount: a.faceAmount ?? null,
            blockNumber: r.blockNumber,
            transactionHash: r.transactionHash,
          });
        }
      }
      return out;
    },

    async isNonceCancelled(contract: string, account: string, nonce: string): Promise<boolean> {
      return (await prisma.finCancelledNonce.findUnique({ where: { contract_account_nonce: { contract, account, nonce } } })) !== null;
    },

    // Offers (server-held, not chain data).
    async insertOffer(o: OfferRecord): Promise<void> {
      await prisma.finOffer.create({ data: { ...o, price: amt(o.price) } });
    },
    async offer(id: string): Promise<OfferRecord | null> {
      const r = await prisma.finOffer.findUnique({ where: { id } });
      return r && offerFrom(r);
    },
    async offerByNonce(kind: OfferKind, bidder: string, nonce: string): Promise<OfferRecord | null> {
      const r = await prisma.finOffer.findUnique({ where: { kind_bidder_nonce: { kind, bidder, nonce } } });
      return r && offerFrom(r);
    },
    async offersOf(where: { receivableId?: string; bidder?: string; kind?: OfferKind }): Promise<OfferRecord[]> {
      return (await prisma.finOffer.findMany({ where, orderBy: [{ createdAt: "asc" }] })).map(offerFrom);
    },
    async withdrawOffer(id: string, at: Date): Promise<void> {
      await prisma.finOffer.update({ where: { id }, data: { withdrawnAt: at } });
    },
  };
}

export type FinancingQueries = ReturnType<typeof createFinancingQueries>;
