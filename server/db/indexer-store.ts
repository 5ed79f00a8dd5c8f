// Data access for the indexer: writes one batch of blocks (events, projections, aggregates, recent block
// hashes and the checkpoint) in ONE database transaction, and rolls back to a common ancestor after a reorg.
import type { Database, Tx } from "./client.ts";
import { toDbAmount, fromDbAmount } from "./client.ts";
import { copyText } from "./pg-copy.ts";
import {
  applyLedgerEvent,
  addBalanceDelta,
  receivableIdOf,
  idHex,
  type ChainEvent,
  type ReceivableState,
  type BalanceDelta,
  RECEIVABLE_EVENTS,
  MEMBER_EVENTS,
} from "../receivables/projection.ts";
import { applyMemberEvent, type MemberState } from "../members/projection.ts";
import { projectFinancingBatch, rollbackFinancing } from "../financing/db.ts";
import { FINANCING_EVENT_NAMES } from "../financing/projection.ts";

export interface Checkpoint {
  chainId: number;
  blockNumber: number;
  blockHash: string;
  headBlock: number;
}

export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
}

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

const CHUNK_ROWS = 400;
/** Rows per multi-row INSERT on PostgreSQL. Values are literals (no bind-parameter limit applies). */
const INSERT_ROWS = 2_000;
const RECEIVABLE_EVENT_NAMES: ReadonlySet<string> = new Set(RECEIVABLE_EVENTS);
const MEMBER_EVENT_NAMES: ReadonlySet<string> = new Set(MEMBER_EVENTS);
const jsonArgs = (args: Record<string, unknown>) => JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

function chunks<T>(rows: T[], size = CHUNK_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Bulk INSERT, the indexer's hot path.
 * - SQLite: one prepared statement run once per row with bound parameters (db.runEach, inside the caller's
 *   transaction). Measured on 100k events: cheaper than multi-row INSERTs of SQL literals, whose parsing and the
 *   driver adapter's per-statement work cost more than SQLite's inserts.
 * - PostgreSQL: plain inserts go through COPY on the transaction's connection (db.copyIn, about twice as fast as
 *   INSERTs); upserts are multi-row INSERTs with the values written as SQL literals, INSERT_ROWS rows per
 *   statement, since binding ~20 parameters per row through the driver adapter costs more than the database work.
 *   Every value comes from decoded chain data (numbers, hex, decimal digits, JSON of those) and strings are quoted
 *   the SQL-standard way (standard_conforming_strings is on), so literals are safe.
 */
async function insertRows(db: Database, tx: Tx, table: string, columns: string[], rows: unknown[][], onConflict: string) {
  await runInsert(db, tx, buildInsert(db, table, columns, rows, onConflict));
}

/**
 * A bulk INSERT made ready outside the transaction: bound rows for SQLite; for PostgreSQL a COPY (plain inserts)
 * or the SQL statements (upserts).
 */
export interface BulkInsert {
  sql: string[];
  rows: unknown[][] | null;
  copy?: { sql: string; data: string };
}

function buildInsert(db: Database, table: string, columns: string[], rows: unknown[][], onConflict: string): BulkInsert {
  if (rows.length === 0) return { sql: [], rows: null };
  const cols = columns.map((c) => `"${c}"`).join(",");
  if (db.runEach) {
    const bind = (v: unknown) => (v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : v);
    return { sql: [`INSERT INTO "${table}" (${cols}) VALUES (${columns.map(() => "?").join(",")}) ${onConflict}`], rows: rows.map((r) => r.map(bind)) };
  }
  if (db.copyIn && onConflict === "") return { sql: [], rows: null, copy: { sql: `COPY "${table}" (${cols}) FROM STDIN`, data: copyText(rows) } };
  const lit = (v: unknown): string => {
    if (v === null || v === undefined) return "NULL";
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
      return String(v);
    }
    if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
    const text = String(v);
    if (text.includes("\0")) throw new RangeError("NUL in SQL literal");
    return `'${text.replace(/'/g, "''")}'`;
  };
  const sql = chunks(rows, INSERT_ROWS).map((part) => `INSERT INTO "${table}" (${cols}) VALUES ${part.map((row) => `(${row.map(lit).join(",")})`).join(",")} ${onConflict}`);
  return { sql, rows: null };
}

async function runInsert(db: Database, tx: Tx, ins: BulkInsert) {
  if (ins.copy) await db.copyIn!(tx, ins.copy.sql, ins.copy.data);
  else if (ins.rows) db.runEach!(ins.sql[0]!, ins.rows);
  else for (const statement of ins.sql) await tx.$executeRawUnsafe(statement);
}

const LEDGER_EVENT_COLUMNS = ["chainId", "blockNumber", "transactionIndex", "logIndex", "blockHash", "transactionHash", "contract", "name", "receivableId", "member", "args"];

/**
 * The LedgerEvent INSERT of a batch, built from the events alone, so the indexer can build it while the previous
 * batch is written. No ON CONFLICT: events above the checkpoint are never in the database (they commit with it and
 * a rollback deletes them), so a conflict means a second writer on this database, which must fail loudly rather
 * than project the same events twice.
 */
export function buildEventInsert(db: Database, events: ChainEvent[]): BulkInsert {
  return buildInsert(
    db, "LedgerEvent", LEDGER_EVENT_COLUMNS,
    events.map((e) => [
      e.chainId, e.blockNumber, e.transactionIndex, e.logIndex, e.blockHash, e.transactionHash, e.contract, e.name,
      RECEIVABLE_EVENT_NAMES.has(e.name) || FINANCING_EVENT_NAMES.has(e.name) ? receivableIdOf(e) : null,
      MEMBER_EVENT_NAMES.has(e.name) ? String(e.args["member"]).toLowerCase() : null,
      jsonArgs(e.args),
    ]),
    "",
  );
}

export const RECEIVABLE_COLUMNS = [
  "id", "seller", "buyer", "holder", "status", "faceAmount", "paid", "outstanding", "issueDate", "dueDate",
  "documentHash", "discountBps", "discountDays", "lateInterestBps", "graceDays", "parentId", "lockedBy", "listed",
  "registeredBlock", "registeredTx",
];

function receivableRow(s: ReceivableState, db: Database): unknown[] {
  return [
    s.id, s.seller, s.buyer, s.holder, s.status, toDbAmount(s.faceAmount), toDbAmount(s.paid), toDbAmount(s.outstanding),
    s.issueDate, s.dueDate, s.documentHash, s.terms.discountBps, s.terms.discountDays, s.terms.lateInterestBps,
    s.terms.graceDays, s.parentId, s.lockedBy, db.provider === "sqlite" ? (s.listed ? 1 : 0) : s.listed,
    s.registeredBlock, s.registeredTx,
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

async function loadReceivables(tx: Tx, ids: string[]): Promise<Map<string, ReceivableState>> {
  const out = new Map<string, ReceivableState>();
  for (const part of chunks(ids, 500)) {
    const rows = await tx.receivable.findMany({ where: { id: { in: part } } });
    for (const r of rows) out.set(r.id, receivableFromRow(r));
  }
  return out;
}

/**
 * Writes receivable states: plain INSERTs for the ones not in `existing` (registered or split off in this batch),
 * upserts for the rest. Without `existing` (rollback, bulk load) every state is upserted.
 */
async function writeReceivables(db: Database, tx: Tx, states: ReceivableState[], existing?: { has(id: string): boolean }) {
  const cols = [...RECEIVABLE_COLUMNS, "updatedBlock"];
  const update = cols.filter((c) => c !== "id").map((c) => `"${c}" = excluded."${c}"`).join(", ");
  const row = (s: ReceivableState) => [...receivableRow(s, db), s.updatedBlock];
  const upsert = `ON CONFLICT ("id") DO UPDATE SET ${update}`;
  if (!existing) return await insertRows(db, tx, "Receivable", cols, states.map(row), upsert);
  await insertRows(db, tx, "Receivable", cols, states.filter((s) => !existing.has(s.id)).map(row), "");
  await insertRows(db, tx, "Receivable", cols, states.filter((s) => existing.has(s.id)).map(row), upsert);
}

/** Writes past states: each was valid from its updatedBlock until `validTo` (the block that changed it). */
async function writeVersions(db: Database, tx: Tx, past: { state: ReceivableState; validTo: number }[]) {
  const cols = [...RECEIVABLE_COLUMNS, "validFrom", "validTo"];
  const update = cols.filter((c) => c !== "id" && c !== "validFrom").map((c) => `"${c}" = excluded."${c}"`).join(", ");
  await insertRows(db, tx, "ReceivableVersion", cols, past.map((v) => [...receivableRow(v.state, db), v.state.updatedBlock, v.validTo]), `ON CONFLICT ("id", "validFrom") DO UPDATE SET ${update}`);
}

async function applyBalanceDeltas(db: Database, tx: Tx, deltas: Map<string, BalanceDelta>, block: number) {
  const keys = [...deltas.keys()];
  if (keys.length === 0) return;
  const existing = new Map<string, any>();
  for (const part of chunks(keys, 300)) {
    const or = part.map((k) => {
      const [side, address] = k.split(":") as [string, string];
      return { side, address };
    });
    for (const r of await tx.partyBalance.findMany({ where: { OR: or } })) existing.set(`${r.side}:${r.address}`, r);
  }
  const rows: unknown[][] = [];
  for (const [key, d] of deltas) {
    const [side, address] = key.split(":") as [string, string];
    const r = existing.get(key);
    const cur = r
      ? { openBalance: BigInt(r.openBalance), openCount: Number(r.openCount), confirmedOpen: BigInt(r.confirmedOpen), exposure: BigInt(r.exposure) }
      : { openBalance: 0n, openCount: 0, confirmedOpen: 0n, exposure: 0n };
    rows.push([
      address, side, toDbAmount(cur.openBalance + d.openBalance), cur.openCount + d.openCount,
      toDbAmount(cur.confirmedOpen + d.confirmedOpen), toDbAmount(cur.exposure + d.exposure), block,
    ]);
  }
  await insertRows(
    db, tx, "PartyBalance",
    ["address", "side", "openBalance", "openCount", "confirmedOpen", "exposure", "updatedBlock"],
    rows,
    `ON CONFLICT ("address", "side") DO UPDATE SET "openBalance" = excluded."openBalance", "openCount" = excluded."openCount", "confirmedOpen" = excluded."confirmedOpen", "exposure" = excluded."exposure", "updatedBlock" = excluded."updatedBlock"`,
  );
}

function memberFromRow(r: any): MemberState {
  return {
    address: r.address,
    roles: Number(r.roles),
    expiresAt: Number(r.expiresAt),
    suspended: Boolean(r.suspended),
    admittedAtBlock: Number(r.admittedAtBlock),
    updatedAtBlock: Number(r.updatedAtBlock),
  };
}

async function writeMembers(tx: Tx, members: MemberState[]) {
  for (const m of members) {
    await tx.member.upsert({ where: { address: m.address }, create: m, update: m });
  }
}

async function writeCheckpoint(tx: Tx, cp: Checkpoint) {
  const data = { ...cp, updatedAt: new Date() };
  await tx.indexerCheckpoint.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
}

/**
 * Secondary indexes a cold backfill drops and builds again at the end. Only indexes no write path reads: the
 * receivable list/filter indexes (random keys, the bulk of the insert cost), the undo log's validTo and the member
 * history. Kept: primary keys and unique constraints (ON CONFLICT needs them) and LedgerEvent(receivableId, …),
 * which the financing projection reads while indexing.
 */
const DEFERRABLE_TABLES = ["Receivable", "ReceivableVersion", "LedgerEvent"];
const KEPT_WHILE_DEFERRED = new Set(["LedgerEvent_receivableId_blockNumber_idx"]);

async function deferrableIndexes(db: Database, tx: Tx): Promise<{ name: string; definition: string }[]> {
  const tables = DEFERRABLE_TABLES.map((t) => `'${t}'`).join(",");
  const rows = (await tx.$queryRawUnsafe(
    db.provider === "sqlite"
      ? `SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`
      : `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname) JOIN pg_index x ON x.indexrelid = c.oid
         WHERE i.schemaname = current_schema() AND i.tablename IN (${tables}) AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.indexname`,
  )) as { name: string; definition: string }[];
  return rows.filter((r) => !KEPT_WHILE_DEFERRED.has(r.name));
}

export function createIndexerStore(db: Database) {
  const prisma = db.prisma;
  return {
    /** Builds a batch's event INSERT ahead of writeBatch (pure: reads nothing). */
    buildEventInsert: (events: ChainEvent[]) => buildEventInsert(db, events),

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
        const indexes = await deferrableIndexes(db, tx);
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

    /** Writes a batch and its checkpoint atomically. */
    async writeBatch(batch: IndexedBatch): Promise<BatchResult> {
      return await prisma.$transaction(
        async (tx) => {
          const events = batch.events;
          await runInsert(db, tx, batch.eventInsert ?? buildEventInsert(db, events));
          // Receivables: fold the batch's events over the current states.
          const ids = new Set<string>();
          for (const e of events) {
            const id = receivableIdOf(e);
            if (id && RECEIVABLE_EVENT_NAMES.has(e.name) && e.name !== "ReceivableRegistered") ids.add(id);
            // A split's parts must be new: loaded so the projection can refuse to overwrite one that exists.
            if (e.name === "ReceivableSplit") for (const part of e.args["partIds"] as unknown[]) ids.add(idHex(part));
          }
          const before = await loadReceivables(tx, [...ids]);
          const state = new Map(before);
          // Undo log: a state that a later block replaces becomes a past version, valid until that block.
          const past: { state: ReceivableState; validTo: number }[] = [];
          const touched = new Set<string>();
          const memberEvents: ChainEvent[] = [];
          for (const e of events) {
            if (MEMBER_EVENT_NAMES.has(e.name)) {
              memberEvents.push(e);
              continue;
            }
            if (!RECEIVABLE_EVENT_NAMES.has(e.name)) continue; // stored, no projection (e.g. FinancingModuleSet)
            for (const s of applyLedgerEvent((id) => state.get(id), e)) {
              const prev = state.get(s.id);
              if (prev && prev.updatedBlock < s.updatedBlock) past.push({ state: prev, validTo: s.updatedBlock });
              state.set(s.id, s);
              touched.add(s.id);
            }
          }
          const deltas = new Map<string, BalanceDelta>();
          const changed = [...touched].map((id) => state.get(id)!);
          for (const s of changed) addBalanceDelta(deltas, before.get(s.id), s);
          await writeReceivables(db, tx, changed, before);
          await writeVersions(db, tx, past);
          await applyBalanceDeltas(db, tx, deltas, batch.checkpoint.blockNumber);

          // Members.
          const memberAddrs = [...new Set(memberEvents.map((e) => String(e.args["member"]).toLowerCase()))];
          const members = new Map<string, MemberState>();
          if (memberAddrs.length) for (const r of await tx.member.findMany({ where: { address: { in: memberAddrs } } })) members.set(r.address, memberFromRow(r));
          for (const e of memberEvents) {
            const address = String(e.args["member"]).toLowerCase();
            const next = applyMemberEvent(members.get(address), e);
            if (next) members.set(address, next);
          }
          await writeMembers(tx, [...members.values()]);
          const financed = await projectFinancingBatch(tx, events); // issue 5: listings, sales, loans, policies (server/financing)

          if (batch.headers.length) {
            await insertRows(
              db, tx, "RecentBlock", ["number", "hash", "parentHash"],
              batch.headers.map((h) => [h.number, h.hash, h.parentHash]),
              `ON CONFLICT ("number") DO UPDATE SET "hash" = excluded."hash", "parentHash" = excluded."parentHash"`,
            );
          }
          await tx.recentBlock.deleteMany({ where: { number: { lt: batch.pruneBelow } } });
          await writeCheckpoint(tx, batch.checkpoint);
          return { changedReceivables: [...new Set([...touched, ...financed])], changedMembers: memberAddrs };
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    },

    /** Undoes everything above `ancestor` (a reorg's common ancestor) and moves the checkpoint back to it. */
    async rollbackTo(ancestor: Checkpoint): Promise<BatchResult> {
      return await prisma.$transaction(
        async (tx) => {
          const A = ancestor.blockNumber;
          // Receivables changed above A: those named by events above A, and parts created by splits above A.
          const later = await tx.ledgerEvent.findMany({ where: { chainId: ancestor.chainId, blockNumber: { gt: A }, receivableId: { not: null } }, select: { receivableId: true, name: true, args: true } });
          const changed = new Set<string>();
          for (const e of later) {
            changed.add(e.receivableId!);
            if (e.name === "ReceivableSplit") for (const part of JSON.parse(e.args).partIds as string[]) changed.add(idHex(part));
          }
          const changedIds = [...changed];
          const current = await loadReceivables(tx, changedIds);
          // Each is restored to the past state valid at A (validFrom <= A < validTo), or removed when registered above A.
          const restored: ReceivableState[] = [];
          const removed: string[] = [];
          const deltas = new Map<string, BalanceDelta>();
          for (const part of chunks(changedIds, 500)) {
            const rows = await tx.receivableVersion.findMany({ where: { id: { in: part }, validFrom: { lte: A }, validTo: { gt: A } } });
            const atA = new Map(rows.map((r) => [r.id, receivableFromRow(r)]));
            for (const id of part) {
              const now = current.get(id);
              if (!now) continue;
              const s = now.updatedBlock <= A ? now : atA.get(id);
              addBalanceDelta(deltas, now, s);
              if (!s) removed.push(id);
              else if (s !== now) restored.push(s);
            }
          }
          for (const part of chunks(changedIds, 500)) await tx.receivableVersion.deleteMany({ where: { id: { in: part }, validTo: { gt: A } } });
          for (const part of chunks(removed, 500)) await tx.receivable.deleteMany({ where: { id: { in: part } } });
          await writeReceivables(db, tx, restored);
          await applyBalanceDeltas(db, tx, deltas, A);

          // Members touched above A: refold from their remaining events.
          const memberAddrs = (
            await tx.ledgerEvent.findMany({ where: { chainId: ancestor.chainId, blockNumber: { gt: A }, member: { not: null } }, select: { member: true }, distinct: ["member"] })
          ).map((r) => r.member!);
          await rollbackFinancing(tx, ancestor.chainId, A); // before the events above A go
          await tx.ledgerEvent.deleteMany({ where: { chainId: ancestor.chainId, blockNumber: { gt: A } } });
          for (const address of memberAddrs) {
            const evs = await tx.ledgerEvent.findMany({
              where: { member: address },
              orderBy: [{ blockNumber: "asc" }, { transactionIndex: "asc" }, { logIndex: "asc" }],
            });
            let m: MemberState | undefined;
            for (const r of evs) m = applyMemberEvent(m, { ...r, args: JSON.parse(r.args) });
            if (m) await tx.member.upsert({ where: { address }, create: m, update: m });
            else await tx.member.deleteMany({ where: { address } });
          }
          await tx.recentBlock.deleteMany({ where: { number: { gt: A } } });
          await writeCheckpoint(tx, ancestor);
          return { changedReceivables: changedIds, changedMembers: memberAddrs };
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    },
  };
}

export type IndexerStore = ReturnType<typeof createIndexerStore>;

/**
 * Bulk-loads receivable states (current rows and their first version) with their aggregates and a checkpoint —
 * for benchmark data sets (scripts/bench/seed-receivables.ts), not for indexing.
 */
export async function bulkLoadReceivables(db: Database, states: ReceivableState[], checkpoint: Checkpoint): Promise<void> {
  await db.prisma.$transaction(
    async (tx) => {
      await writeReceivables(db, tx, states);
      const deltas = new Map<string, BalanceDelta>();
      for (const s of states) addBalanceDelta(deltas, undefined, s);
      await applyBalanceDeltas(db, tx, deltas, checkpoint.blockNumber);
      await writeCheckpoint(tx, checkpoint);
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}

export async function bulkLoadMembers(db: Database, members: MemberState[]): Promise<void> {
  await db.prisma.$transaction(async (tx) => writeMembers(tx, members));
}
