// Data access for receivable reads: filtered, sorted, keyset-paginated lists (current or "as of" a block),
// one receivable with its events, per-party balances, and the block the answer is current to.
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import { receivableFromRow, RECEIVABLE_COLUMNS } from "./rows.ts";
import type { ReceivableState } from "./projection.ts";
import { ATTESTABLE_STATUSES, type Involvement, type ResolvedScope, type ScopeClause } from "./visibility.ts";
import { STATUS } from "../../common/lifecycle.ts";

export type SortKey = "registeredAt" | "dueDate" | "faceAmount" | "outstanding";
export interface ListQuery {
  seller?: string | undefined;
  buyer?: string | undefined;
  holder?: string | undefined;
  status?: number[] | undefined;
  dueFrom?: number | undefined;
  dueTo?: number | undefined;
  minAmount?: bigint | undefined;
  maxAmount?: bigint | undefined;
  sort: SortKey;
  descending: boolean;
  /** Keyset cursor: the sort value and id of the last row of the previous page. */
  after?: { value: string | number; id: string } | undefined;
  limit: number;
  asOfBlock?: number | undefined;
  scope: ResolvedScope;
  /** Free-text search resolved to receivable ids, party addresses and an exact face amount (issue 9, item 15). */
  search?: { ids: string[]; parties: string[]; amount?: bigint | undefined } | undefined;
}

export interface StoredEvent {
  name: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
  args: Record<string, unknown>;
}

export interface IndexedBlock {
  number: number;
  hash: string;
  headBlock: number;
}

const SORT_COLUMN: Record<SortKey, string> = {
  registeredAt: "registeredBlock",
  dueDate: "dueDate",
  faceAmount: "faceAmount",
  outstanding: "outstanding",
};

export function sortValueOf(s: ReceivableState, key: SortKey): string | number {
  switch (key) {
    case "registeredAt":
      return s.registeredBlock;
    case "dueDate":
      return s.dueDate;
    case "faceAmount":
      return toDbAmount(s.faceAmount);
    case "outstanding":
      return toDbAmount(s.outstanding);
  }
}

export function createReceivableQueries(db: Database) {
  const prisma = db.prisma;

  /** The WHERE condition of one visibility clause over the row `r` (see visibility.ts for what each means). */
  function clauseSql(c: ScopeClause, p: (v: unknown) => string): string {
    if ("seller" in c) return `r."seller" = ${p(c.seller)}`;
    if ("buyer" in c) return `r."buyer" = ${p(c.buyer)}`;
    if ("holder" in c) return `r."holder" = ${p(c.holder)}`;
    if ("listed" in c) return `r."listed" = ${p(db.provider === "sqlite" ? 1 : true)}`;
    if ("lender" in c) return `r."id" IN (SELECT l."receivableId" FROM "FinLoan" l WHERE l."lender" = ${p(c.lender)})`;
    if ("insurer" in c) return `r."id" IN (SELECT i."receivableId" FROM "FinPolicy" i WHERE i."insurer" = ${p(c.insurer)})`;
    if ("loanRequested" in c) {
      return (
        `r."status" = ${p(STATUS.Confirmed)} AND r."lockedBy" IS NULL AND EXISTS (SELECT 1 FROM "FinLoanRequest" q` +
        ` WHERE q."receivableId" = r."id" AND q."holder" = r."holder" AND q."closedAt" IS NULL)`
      );
    }
    if ("attestable" in c) return `r."status" IN (${ATTESTABLE_STATUSES.map((x) => p(x)).join(",")})`;
    return `r."id" IN (SELECT e."receivableId" FROM "LedgerEvent" e WHERE e."name" = ${p("BankPaymentAttested")})`;
  }

  /** What visibility needs beyond the state (lenders, insurers, an open loan request, attestations), per receivable. */
  async function involvement(ids: string[]): Promise<Map<string, Involvement>> {
    const out = new Map<string, Involvement>();
    const unique = [...new Set(ids)];
    for (const id of unique) out.set(id, { lenders: [], insurers: [], loanRequesters: [], attested: false });
    for (let i = 0; i < unique.length; i += 400) {
      const part = unique.slice(i, i + 400);
      const where = { receivableId: { in: part } };
      const [loans, policies, requests, attested] = await Promise.all([
        prisma.finLoan.findMany({ where, select: { receivableId: true, lender: true } }),
        prisma.finPolicy.findMany({ where, select: { receivableId: true, insurer: true } }),
        prisma.finLoanRequest.findMany({ where: { ...where, closedAt: null }, select: { receivableId: true, holder: true } }),
        prisma.ledgerEvent.findMany({ where: { ...where, name: "BankPaymentAttested" }, select: { receivableId: true }, distinct: ["receivableId"] }),
      ]);
      for (const l of loans) out.get(l.receivableId)!.lenders.push(l.lender);
      for (const x of policies) out.get(x.receivableId)!.insurers.push(x.insurer);
      for (const q of requests) out.get(q.receivableId)!.loanRequesters.push(q.holder);
      for (const a of attested) out.get(a.receivableId!)!.attested = true;
    }
    return out;
  }

  function listSql(q: ListQuery): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return "?";
    };
    const col = `r."${SORT_COLUMN[q.sort]}"`;
    const cmp = q.descending ? "<" : ">";
    const dir = q.descending ? "DESC" : "ASC";

    /** One SELECT for one visibility clause (null: no clause). Bind parameters are numbered in build order. */
    const branch = (clause: ScopeClause | null | "none"): string => {
      const where: string[] = [];
      let from = `"Receivable" r`;
      if (q.asOfBlock !== undefined) {
        // As of block X: current rows unchanged since X, plus the past states valid at X.
        const cols = RECEIVABLE_COLUMNS.map((c) => `"${c}"`).join(", ");
        const [x1, x2, x3, x4] = [p(q.asOfBlock), p(q.asOfBlock), p(q.asOfBlock), p(q.asOfBlock)];
        from =
          `(SELECT ${cols}, "updatedBlock" FROM "Receivable" WHERE "registeredBlock" <= ${x1} AND "updatedBlock" <= ${x2}` +
          ` UNION ALL SELECT ${cols}, "validFrom" AS "updatedBlock" FROM "ReceivableVersion" WHERE "validFrom" <= ${x3} AND "validTo" > ${x4}) r`;
      }
      if (clause === "none") where.push("1 = 0");
      else if (clause) where.push(clauseSql(clause, p));
      if (q.seller) where.push(`r."seller" = ${p(q.seller)}`);
      if (q.buyer) where.push(`r."buyer" = ${p(q.buyer)}`);
      if (q.holder) where.push(`r."holder" = ${p(q.holder)}`);
      if (q.status?.length) where.push(`r."status" IN (${q.status.map((s) => p(s)).join(",")})`);
      if (q.dueFrom !== undefined) where.push(`r."dueDate" >= ${p(q.dueFrom)}`);
      if (q.dueTo !== undefined) where.push(`r."dueDate" <= ${p(q.dueTo)}`);
      if (q.minAmount !== undefined) where.push(`r."faceAmount" >= ${p(toDbAmount(q.minAmount))}`);
      if (q.maxAmount !== undefined) where.push(`r."faceAmount" <= ${p(toDbAmount(q.maxAmount))}`);
      if (q.search) {
        const any: string[] = [];
        if (q.search.ids.length) any.push(`r."id" IN (${q.search.ids.map((v) => p(v)).join(",")})`);
        if (q.search.parties.length) {
          any.push(`r."seller" IN (${q.search.parties.map((v) => p(v)).join(",")})`);
          any.push(`r."buyer" IN (${q.search.parties.map((v) => p(v)).join(",")})`);
        }
        if (q.search.amount !== undefined) any.push(`r."faceAmount" = ${p(toDbAmount(q.search.amount))}`);
        where.push(any.length ? `(${any.join(" OR ")})` : "1 = 0");
      }
      if (q.after) {
        const v1 = p(q.after.value);
        const v2 = p(q.after.value);
        const id = p(q.after.id);
        where.push(`(${col} ${cmp} ${v1} OR (${col} = ${v2} AND r."id" ${cmp} ${id}))`);
      }
      // The checkpoint is joined in so that rows and "current up to block" come from one statement (one snapshot).
      return (
        `SELECT r.*, cp."blockNumber" AS "cpNumber", cp."blockHash" AS "cpHash", cp."headBlock" AS "cpHead" FROM ${from} CROSS JOIN "IndexerCheckpoint" cp WHERE cp."id" = 1` +
        (where.length ? ` AND ${where.join(" AND ")}` : "") +
        ` ORDER BY ${col} ${dir}, r."id" ${dir} LIMIT ${p(q.limit + 1)}`
      );
    };

    if (q.scope.all) return { text: branch(null), params };
    const clauses = q.scope.anyOf;
    if (clauses.length === 0) return { text: branch("none"), params };
    if (clauses.length === 1) return { text: branch(clauses[0]!), params };
    // Several visibility clauses (e.g. seller OR holder): one indexed, limited SELECT per clause, merged. An OR in
    // one WHERE would make the database gather and sort every matching row before the LIMIT.
    const parts = clauses.map((c, i) => `SELECT * FROM (${branch(c)}) b${i}`);
    const sortCol = SORT_COLUMN[q.sort];
    const text = `SELECT * FROM (${parts.join(" UNION ")}) u ORDER BY u."${sortCol}" ${dir}, u."id" ${dir} LIMIT ${p(q.limit + 1)}`;
    return { text, params };
  }

  /** The block the database is current to (null before the first batch). */
  async function indexedBlock(): Promise<IndexedBlock | null> {
    const cp = await prisma.indexerCheckpoint.findUnique({ where: { id: 1 } });
    return cp && { number: cp.blockNumber, hash: cp.blockHash, headBlock: cp.headBlock };
  }

  return {
    indexedBlock,
    involvement,

    /** A page of receivables and the block it is current to, read in one snapshot. */
    async list(q: ListQuery): Promise<{ items: ReceivableState[]; hasMore: boolean; block: IndexedBlock | null }> {
      const { text, params } = listSql(q);
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...params);
      const items = rows.slice(0, q.limit).map(receivableFromRow);
      const first = rows[0];
      const block = first ? { number: Number(first.cpNumber), hash: String(first.cpHash), headBlock: Number(first.cpHead) } : await indexedBlock();
      return { items, hasMore: rows.length > q.limit, block };
    },

    /** One receivable (current, or as of a block), its events, and the block it is current to. */
    async get(id: string, asOfBlock?: number) {
      const [cp, current, versions, events] = await prisma.$transaction(
        [
          prisma.indexerCheckpoint.findUnique({ where: { id: 1 } }),
          prisma.receivable.findUnique({ where: { id } }),
          prisma.receivableVersion.findMany({ where: { id, validFrom: { lte: asOfBlock ?? -1 }, validTo: { gt: asOfBlock ?? -1 } }, take: 1 }),
          prisma.ledgerEvent.findMany({
            where: { receivableId: id, ...(asOfBlock !== undefined ? { blockNumber: { lte: asOfBlock } } : {}) },
            orderBy: [{ blockNumber: "asc" }, { transactionIndex: "asc" }, { logIndex: "asc" }],
          }),
        ],
        (db.provider === "postgresql" ? { isolationLevel: "RepeatableRead" } : {}) as any,
      );
      const row = asOfBlock === undefined || (current && current.updatedBlock <= asOfBlock && current.registeredBlock <= asOfBlock) ? current : versions[0];
      const state = row ? receivableFromRow(row) : null;
      let history: StoredEvent[] = events.map((e) => ({ ...e, args: JSON.parse(e.args) }));
      if (state?.parentId) {
        // A part's history starts with its parent's split.
        const split = await prisma.ledgerEvent.findMany({ where: { receivableId: state.parentId, name: "ReceivableSplit" } });
        history = [...split.map((e) => ({ ...e, args: JSON.parse(e.args) })), ...history];
      }
      return { state, events: history, block: cp && { number: cp.blockNumber, hash: cp.blockHash, headBlock: cp.headBlock } };
    },

    async balance(address: string) {
      const rows = await prisma.partyBalance.findMany({ where: { address } });
      return balancesBySide(rows);
    },

    /** Balances and the block they are current to, in one statement. */
    async balanceWithBlock(address: string) {
      const rows = await prisma.$queryRawUnsafe<any[]>(
        db.sql(
          `SELECT cp."blockNumber" AS "cpNumber", cp."blockHash" AS "cpHash", cp."headBlock" AS "cpHead", pb.* FROM "IndexerCheckpoint" cp LEFT JOIN "PartyBalance" pb ON pb."address" = ? WHERE cp."id" = 1`,
        ),
        address,
      );
      const first = rows[0];
      return {
        balances: balancesBySide(
          rows
            .filter((r) => r.side !== null && r.side !== undefined)
            .map((r) => ({ ...r, openCount: Number(r.openCount), updatedBlock: Number(r.updatedBlock) })),
        ),
        block: first ? { number: Number(first.cpNumber), hash: String(first.cpHash), headBlock: Number(first.cpHead) } : null,
      };
    },
  };
}

function balancesBySide(rows: { side: string; openBalance: string; openCount: number; confirmedOpen: string; exposure: string; updatedBlock: number }[]) {
  const bySide = Object.fromEntries(
    rows.map((r) => [
      r.side,
      {
        openBalance: fromDbAmount(r.openBalance),
        openCount: r.openCount,
        confirmedOpen: fromDbAmount(r.confirmedOpen),
        exposure: fromDbAmount(r.exposure),
        updatedBlock: r.updatedBlock,
      },
    ]),
  );
  return bySide as Record<
    "buyer" | "seller",
    { openBalance: bigint; openCount: number; confirmedOpen: bigint; exposure: bigint; updatedBlock: number } | undefined
  >;
}

export type ReceivableQueries = ReturnType<typeof createReceivableQueries>;

/** States of several receivables (for visibility checks of change notifications). */
export async function receivableStates(db: Database, ids: string[]): Promise<ReceivableState[]> {
  const out: ReceivableState[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.prisma.receivable.findMany({ where: { id: { in: ids.slice(i, i + 500) } } });
    out.push(...rows.map(receivableFromRow));
  }
  return out;
}

/** The rows valid at block B: current rows unchanged since B, plus the undo log's versions valid at B. */
function asOfFrom(block: number, p: (v: unknown) => string): string {
  const cols = RECEIVABLE_COLUMNS.map((c) => `"${c}"`).join(", ");
  return (
    `(SELECT ${cols} FROM "Receivable" WHERE "registeredBlock" <= ${p(block)} AND "updatedBlock" <= ${p(block)}` +
    ` UNION ALL SELECT ${cols} FROM "ReceivableVersion" WHERE "validFrom" <= ${p(block)} AND "validTo" > ${p(block)}) r`
  );
}

/**
 * Receivables as of block B (collections decide on the final block): those in `statuses` with something
 * outstanding and a due date at or before `dueBy` (unix seconds), optionally of one holder. One statement.
 */
export async function openAsOf(
  db: Database,
  block: number,
  q: { statuses: readonly number[]; dueBy: number; holders?: string[] | undefined },
): Promise<ReceivableState[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), "?");
  const from = asOfFrom(block, p);
  const where = [`r."status" IN (${q.statuses.map((s) => p(s)).join(",")})`, `r."outstanding" > ${p(toDbAmount(0n))}`, `r."dueDate" <= ${p(q.dueBy)}`];
  if (q.holders) where.push(q.holders.length ? `r."holder" IN (${q.holders.map((h) => p(h)).join(",")})` : "1 = 0");
  const rows = await db.prisma.$queryRawUnsafe<any[]>(db.sql(`SELECT r.* FROM ${from} WHERE ${where.join(" AND ")}`), ...params);
  return rows.map(receivableFromRow);
}

/** The states of some receivables as of block B (absent: not registered at B, e.g. a reorg removed it). */
export async function statesAsOf(db: Database, block: number, ids: string[]): Promise<ReceivableState[]> {
  const out: ReceivableState[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), "?");
    const from = asOfFrom(block, p);
    const part = ids.slice(i, i + 400);
    const rows = await db.prisma.$queryRawUnsafe<any[]>(db.sql(`SELECT r.* FROM ${from} WHERE r."id" IN (${part.map((x) => p(x)).join(",")})`), ...params);
    out.push(...rows.map(receivableFromRow));
  }
  return out;
}

/** Receivables and members named by events in (fromBlock, toBlock] (for API-only processes following the writer). */
export async function changedBetween(db: Database, chainId: number, fromBlock: number, toBlock: number) {
  const rows = await db.prisma.ledgerEvent.findMany({
    where: { chainId, blockNumber: { gt: fromBlock, lte: toBlock } },
    select: { receivableId: true, member: true, name: true, args: true },
  });
  const receivables = new Set<string>();
  const members = new Set<string>();
  for (const r of rows) {
    if (r.receivableId) receivables.add(r.receivableId);
    if (r.member) members.add(r.member);
    if (r.name === "ReceivableSplit") for (const p of JSON.parse(r.args).partIds as string[]) receivables.add("0x" + BigInt(p).toString(16).padStart(64, "0"));
  }
  return { receivables: [...receivables], members: [...members], events: rows.length };
}
