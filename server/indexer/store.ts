// The indexer's own data: every event once (LedgerEvent), recent block hashes for reorg detection, the checkpoint
// and the indexes deferred for a backfill. Writes one batch of blocks (events, the registered projections, recent
// block hashes and the checkpoint) in ONE database transaction, and rolls back to a common ancestor after a reorg.
// It calls the handlers registered with it and knows no domain.
import type { Database, Tx } from "../database/client.ts";
import { buildInsert, insertRows, runInsert, type BulkInsert } from "../database/bulk-insert.ts";
import { createHandlerRegistry, type ProjectionHandler } from "./handlers.ts";
import type { BlockHeader, ChainEvent, Checkpoint } from "./types.ts";

export type { BulkInsert };

export interface IndexedBatch {
  events: ChainEvent[];
  /** Headers of recent blocks in the batch (kept for reorg detection). */
  headers: BlockHeader[];
  checkpoint: Checkpoint;
  /** Drop recent block hashes below this number. */
  pruneBelow: number;
  /** The events' INSERT, when built ahead (buildEventInsert over the same events). */
  eventInsert?: BulkInsert;
}

export interface BatchResult {
  changedReceivables: string[];
  changedMembers: string[];
}

const jsonArgs = (args: Record<string, unknown>) => JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
const LEDGER_EVENT_COLUMNS = [
  "chainId",
  "blockNumber",
  "transactionIndex",
  "logIndex",
  "blockHash",
  "transactionHash",
  "contract",
  "name",
  "receivableId",
  "member",
  "args",
];

async function writeCheckpoint(tx: Tx, cp: Checkpoint) {
  const data = { ...cp, updatedAt: new Date() };
  await tx.indexerCheckpoint.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
}

/**
 * Secondary indexes a cold backfill drops and builds again at the end: those of the handlers' deferrable tables
 * and of LedgerEvent — indexes no write path reads (random keys, the bulk of the insert cost). Kept: primary keys
 * and unique constraints (ON CONFLICT needs them) and LedgerEvent(receivableId, …), which projections read while
 * indexing.
 */
const KEPT_WHILE_DEFERRED = new Set(["LedgerEvent_receivableId_blockNumber_idx"]);

async function deferrableIndexes(db: Database, tx: Tx, tableNames: string[]): Promise<{ name: string; definition: string }[]> {
  const tables = tableNames.map((t) => `'${t.replace(/'/g, "''")}'`).join(",");
  const rows = (await tx.$queryRawUnsafe(
    db.provider === "sqlite"
      ? `SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`
      : `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname) JOIN pg_index x ON x.indexrelid = c.oid
         WHERE i.schemaname = current_schema() AND i.tablename IN (${tables}) AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.indexname`,
  )) as { name: string; definition: string }[];
  return rows.filter((r) => !KEPT_WHILE_DEFERRED.has(r.name));
}

/** The store of an indexer whose projections are `handlers` (called in this order). */
export function createIndexerStore(db: Database, handlers: readonly ProjectionHandler[]) {
  const prisma = db.prisma;
  const registry = createHandlerRegistry(handlers);
  const deferrableTables = [...registry.deferrableTables(), "LedgerEvent"];

  /**
   * The LedgerEvent INSERT of a batch, built from the events alone, so the indexer can build it while the previous
   * batch is written. No ON CONFLICT: events above the checkpoint are never in the database (they commit with it and
   * a rollback deletes them), so a conflict means a second writer on this database, which must fail loudly rather
   * than project the same events twice.
   */
  function buildEventInsert(events: ChainEvent[]): BulkInsert {
    return buildInsert(
      db,
      "LedgerEvent",
      LEDGER_EVENT_COLUMNS,
      events.map((e) => {
        const k = registry.keys(e);
        return [
          e.chainId,
          e.blockNumber,
          e.transactionIndex,
          e.logIndex,
          e.blockHash,
          e.transactionHash,
          e.contract,
          e.name,
          k.receivableId,
          k.member,
          jsonArgs(e.args),
        ];
      }),
      "",
    );
  }

  return {
    handlers: registry.handlers,
    /** Builds a batch's event INSERT ahead of writeBatch (pure: reads nothing). */
    buildEventInsert,

    async checkpoint(): Promise<Checkpoint | null> {
      const r = await prisma.indexerCheckpoint.findUnique({ where: { id: 1 } });
      return r && { chainId: r.chainId, blockNumber: r.blockNumber, blockHash: r.blockHash, headBlock: r.headBlock };
    },

    async recentBlocks(): Promise<BlockHeader[]> {
      return await prisma.recentBlock.findMany({ orderBy: { number: "desc" } });
    },

    /** Names of the secondary indexes dropped for a backfill still in progress (empty when none). */
    async deferredIndexes(): Promise<string[]> {
      return (await prisma.deferredIndex.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((r) => r.name);
    },

    /** Drops the deferrable secondary indexes, recording their definitions in the same transaction. */
    async deferIndexes(): Promise<string[]> {
      return await prisma.$transaction(async (tx) => {
        const indexes = await deferrableIndexes(db, tx, deferrableTables);
        for (const ix of indexes) {
          await tx.deferredIndex.upsert({ where: { name: ix.name }, create: ix, update: { definition: ix.definition } });
          await tx.$executeRawUnsafe(`DROP INDEX "${ix.name.replace(/"/g, '""')}"`);
        }
        return indexes.map((ix) => ix.name);
      });
    },

    /** Builds the deferred indexes again from their recorded definitions and forgets them, in one transaction. */
    async restoreIndexes(): Promise<string[]> {
      return await prisma.$transaction(
        async (tx) => {
          const indexes = await tx.deferredIndex.findMany({ orderBy: { name: "asc" } });
          for (const ix of indexes) await tx.$executeRawUnsafe(ix.definition);
          await tx.deferredIndex.deleteMany({});
          return indexes.map((ix) => ix.name);
        },
        { timeout: 3_600_000, maxWait: 30_000 },
      );
    },

    /** Writes a batch — its events, the handlers' projections, recent blocks — and its checkpoint atomically. */
    async writeBatch(batch: IndexedBatch): Promise<BatchResult> {
      return await prisma.$transaction(
        async (tx) => {
          await runInsert(db, tx, batch.eventInsert ?? buildEventInsert(batch.events));
          const changed = await registry.apply(tx, batch.events, { db, checkpoint: batch.checkpoint });
          if (batch.headers.length) {
            await insertRows(
              db,
              tx,
              "RecentBlock",
              ["number", "hash", "parentHash"],
              batch.headers.map((h) => [h.number, h.hash, h.parentHash]),
              `ON CONFLICT ("number") DO UPDATE SET "hash" = excluded."hash", "parentHash" = excluded."parentHash"`,
            );
          }
          await tx.recentBlock.deleteMany({ where: { number: { lt: batch.pruneBelow } } });
          await writeCheckpoint(tx, batch.checkpoint);
          return { changedReceivables: changed.receivables, changedMembers: changed.members };
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    },

    /** Undoes everything above `ancestor` (a reorg's common ancestor) and moves the checkpoint back to it. */
    async rollbackTo(ancestor: Checkpoint): Promise<BatchResult> {
      return await prisma.$transaction(
        async (tx) => {
          const A = ancestor.blockNumber;
          const changed = await registry.rollback(tx, A, { db, chainId: ancestor.chainId }); // before the events above A go
          await tx.ledgerEvent.deleteMany({ where: { chainId: ancestor.chainId, blockNumber: { gt: A } } });
          await tx.recentBlock.deleteMany({ where: { number: { gt: A } } });
          await writeCheckpoint(tx, ancestor);
          return { changedReceivables: changed.receivables, changedMembers: changed.members };
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    },
  };
}

export type IndexerStore = ReturnType<typeof createIndexerStore>;

/** Writes a checkpoint on its own (bulk-loaded benchmark data sets, not indexing). */
export async function writeCheckpointIn(tx: Tx, cp: Checkpoint): Promise<void> {
  await writeCheckpoint(tx, cp);
}
