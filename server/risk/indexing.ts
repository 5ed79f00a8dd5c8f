// What the early warning registers with the indexer: it projects nothing itself, it only marks the buyers whose
// facts a batch changed (registrations, confirmations, disputes, payments, credit notes, defaults, write-offs,
// splits, cancellations) as dirty, inside the batch's transaction, so the re-scorer (server/risk/service.ts) picks
// them up after the batch commits. One INSERT per batch (plus one SELECT of the buyers of receivables the batch did
// not register), so the backfill stays at the indexer's pace. A reorg marks the buyers of everything it rolls back
// and forgets the block times above the common ancestor.
import type { Tx } from "../database/client.ts";
import type { Database } from "../database/client.ts";
import { chunks, insertRows } from "../database/bulk-insert.ts";
import { defineHandler } from "../indexer/handlers.ts";
import type { ChainEvent } from "../indexer/types.ts";
import { receivableIdOf } from "../receivables/projection.ts";

export const RISK_EVENTS = [
  "ReceivableRegistered",
  "ReceivableConfirmed",
  "ReceivableDisputed",
  "ReceivableCancelled",
  "ReceivablePaid",
  "BankPaymentAttested",
  "ReceivableSplit",
  "CreditNoteIssued",
  "CreditNoteAccepted",
  "ReceivableDefaulted",
  "ReceivableWrittenOff",
] as const;

async function mark(db: Database, tx: Tx, buyers: Iterable<string>, block: number) {
  const rows = [...new Set(buyers)].sort().map((b) => [b, block]);
  await insertRows(db, tx, "RiskDirtyBuyer", ["buyer", "markedBlock"], rows, `ON CONFLICT ("buyer") DO UPDATE SET "markedBlock" = excluded."markedBlock"`);
}

/** The buyers a batch's events concern: from the events' `buyer` argument where they carry one, else looked up by receivable id. */
async function buyersOf(tx: Tx, events: ChainEvent[]): Promise<Set<string>> {
  const buyers = new Set<string>();
  const known = new Set<string>();
  const lookup = new Set<string>();
  for (const e of events) {
    const id = receivableIdOf(e);
    if (e.args["buyer"] !== undefined) {
      // Registered, Confirmed and Disputed name the buyer: no lookup
      buyers.add(String(e.args["buyer"]).toLowerCase());
      if (id) known.add(id);
    } else if (id && !known.has(id)) lookup.add(id);
  }
  for (const part of chunks([...lookup], 500)) {
    for (const r of await tx.receivable.findMany({ where: { id: { in: part } }, select: { buyer: true }, distinct: ["buyer"] })) buyers.add(r.buyer);
  }
  return buyers;
}

export const riskProjection = defineHandler({
  name: "risk",
  events: RISK_EVENTS,
  async apply(tx, events, { db, checkpoint }) {
    await mark(db, tx, await buyersOf(tx, events), checkpoint.blockNumber);
  },
  async rollback(tx, toBlock, { db, chainId }) {
    const rows = await tx.ledgerEvent.findMany({
      where: { chainId, blockNumber: { gt: toBlock }, receivableId: { not: null } },
      select: { receivableId: true },
      distinct: ["receivableId"],
    });
    const buyers = new Set<string>();
    for (const part of chunks(
      rows.map((r) => r.receivableId!),
      500,
    )) {
      for (const r of await tx.receivable.findMany({ where: { id: { in: part } }, select: { buyer: true }, distinct: ["buyer"] })) buyers.add(r.buyer);
    }
    // Receivables registered above the ancestor are gone already (the receivables projection rolls back first):
    // their buyers are known from their scores.
    for (const part of chunks(
      rows.map((r) => r.receivableId!),
      500,
    )) {
      for (const r of await tx.riskScore.findMany({ where: { receivableId: { in: part } }, select: { buyer: true }, distinct: ["buyer"] })) buyers.add(r.buyer);
    }
    await mark(db, tx, buyers, toBlock);
    await tx.riskBlockTime.deleteMany({ where: { number: { gt: toBlock } } });
  },
});
