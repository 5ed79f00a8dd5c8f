// Data access for credit profiles: a party's receivables as buyer, the block of each settlement, disputes, the
// aggregates the indexer keeps (PartyBalance), and the credit limits set by the operator.
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import { STATUS } from "../../common/lifecycle.ts";

export interface CreditLimitRecord {
  buyer: string;
  limitAmount: bigint;
  externalRating: string | null;
  note: string | null;
  updatedBy: string;
  /** the person who set it; null on rows from before staff existed */
  actor: string | null;
  updatedAt: Date;
}

const SETTLING = ["ReceivablePaid", "BankPaymentAttested", "CreditNoteAccepted"];
const limitFrom = (r: any): CreditLimitRecord => ({ ...r, limitAmount: fromDbAmount(r.limitAmount) });

export function createCreditQueries(db: Database) {
  const prisma = db.prisma;
  return {
    /** What scoring needs about the receivables addressed to `buyer`. */
    async buyerHistory(buyer: string) {
      const rows = await prisma.receivable.findMany({
        where: { buyer },
        select: { id: true, status: true, dueDate: true, issueDate: true, faceAmount: true, outstanding: true },
      });
      const paidIds = rows.filter((r) => r.status === STATUS.Paid).map((r) => r.id);
      const ids = rows.map((r) => r.id);
      const settledAtBlock = new Map<string, number>();
      let disputes = 0;
      for (let i = 0; i < ids.length; i += 400) {
        const part = ids.slice(i, i + 400);
        disputes += await prisma.ledgerEvent.count({ where: { receivableId: { in: part }, name: "ReceivableDisputed" } });
      }
      for (let i = 0; i < paidIds.length; i += 400) {
        const evs = await prisma.ledgerEvent.findMany({
          where: { receivableId: { in: paidIds.slice(i, i + 400) }, name: { in: SETTLING } },
          select: { receivableId: true, blockNumber: true },
        });
        for (const e of evs) settledAtBlock.set(e.receivableId!, Math.max(settledAtBlock.get(e.receivableId!) ?? 0, e.blockNumber));
      }
      return {
        receivables: rows.map((r) => ({ ...r, faceAmount: fromDbAmount(r.faceAmount), outstanding: fromDbAmount(r.outstanding) })),
        settledAtBlock,
        disputes,
      };
    },

    /** The buyer-side aggregates kept at write time (open balance, confirmed open, exposure). */
    async buyerBalance(buyer: string) {
      const r = await prisma.partyBalance.findUnique({ where: { address_side: { address: buyer, side: "buyer" } } });
      return r
        ? { openBalance: fromDbAmount(r.openBalance), openCount: r.openCount, confirmedOpen: fromDbAmount(r.confirmedOpen), exposure: fromDbAmount(r.exposure) }
        : { openBalance: 0n, openCount: 0, confirmedOpen: 0n, exposure: 0n };
    },

    /** Parties that are buyers of any receivable (from the aggregates). */
    async buyers(): Promise<string[]> {
      return (await prisma.partyBalance.findMany({ where: { side: "buyer" }, select: { address: true }, orderBy: { address: "asc" } })).map((r) => r.address);
    },

    async limit(buyer: string): Promise<CreditLimitRecord | null> {
      const r = await prisma.creditLimit.findUnique({ where: { buyer } });
      return r && limitFrom(r);
    },

    async setLimit(rec: CreditLimitRecord): Promise<void> {
      const data = { ...rec, limitAmount: toDbAmount(rec.limitAmount) };
      await prisma.creditLimit.upsert({ where: { buyer: rec.buyer }, create: data, update: data });
    },

    async limits(): Promise<CreditLimitRecord[]> {
      return (await prisma.creditLimit.findMany({ orderBy: { buyer: "asc" } })).map(limitFrom);
    },
  };
}

export type CreditQueries = ReturnType<typeof createCreditQueries>;
