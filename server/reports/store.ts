// Data access of the AR reports (issue 11): the only file with their SQL. Every query reads the ledger "as of"
// a block through ONE derived table (the receivable state valid at that block: current rows unchanged since it,
// plus the undo log's versions valid at it), so the head and any past block go through the same statements.
// Aggregates are GROUP BYs in the database; amounts (40-digit zero-padded text) are summed exactly as four
// 10-digit slices (each slice sum fits 64 bits for up to 9 × 10^8 rows on both providers) and joined in bigint.
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";

import { DAY_S } from "../../common/units.ts";
// Open = the lifecycle's OPEN set (with something outstanding): the same set as PartyBalance.openBalance.
import { OPEN, STATUS } from "../../common/lifecycle.ts";

/** Which receivables a report covers: everything, or any of the viewer's relations to it. */
export interface ReportScope {
  all: boolean;
  seller?: string | undefined;
  buyer?: string | undefined;
  holder?: string | undefined;
}

/** Narrowing of a report to one party per side (the report's "per buyer / seller / holder" view). */
export interface PartyFilter {
  seller?: string | undefined;
  buyer?: string | undefined;
  holder?: string | undefined;
}

export type GroupBy = "none" | "buyer" | "seller" | "holder";

export interface AgingCell {
  group: string | null;
  bucket: number;
  count: number;
  amount: bigint;
}

export interface ReportItem {
  id: string;
  seller: string;
  buyer: string;
  holder: string;
  status: number;
  faceAmount: bigint;
  outstanding: bigint;
  issueDate: number;
  dueDate: number;
  parentId: string | null;
}

export interface SalesDay {
  /** The issue date's UTC day (days since the epoch). */
  day: number;
  amount: bigint;
  count: number;
}

const SLICES = [1, 11, 21, 31];
const ZERO = toDbAmount(0n);

class Sql {
  readonly params: unknown[] = [];
  p(v: unknown): string {
    this.params.push(v);
    return "?";
  }
}

export function createReportStore(db: Database) {
  const prisma = db.prisma;
  const pg = db.provider === "postgresql";

  /** `expr` (a 40-digit amount text) summed as four slices; read back with {@link joinSlices}. */
  const sumSlices = (expr: string, prefix: string) =>
    SLICES.map((start, i) => `SUM(CAST(substr(${expr}, ${start}, 10) AS BIGINT)) AS "${prefix}${i}"`).join(", ");
  const joinSlices = (row: Record<string, unknown>, prefix: string): bigint =>
    SLICES.reduce((acc, _s, i) => acc * 10_000_000_000n + BigInt(String(row[`${prefix}${i}`] ?? 0).split(".")[0]!), 0n);
  /** A decimal string argument of an event (alias `e` unless told), as 40-digit text. */
  const argAmount = (name: string, alias = "e") =>
    pg ? `lpad(${alias}."args"::json->>'${name}', 40, '0')` : `substr('${ZERO}' || json_extract(${alias}."args", '$.${name}'), -40)`;
  /** An event argument as text, as stored (decimal strings for integers). */
  const argText = (name: string, alias = "e") => (pg ? `(${alias}."args"::json->>'${name}')` : `json_extract(${alias}."args", '$.${name}')`);

  /** The state of every receivable as of block `block` (absent when registered after it). */
  function asOf(q: Sql, block: number): string {
    const cols = `"id", "seller", "buyer", "holder", "status", "faceAmount", "outstanding", "issueDate", "dueDate", "parentId", "registeredBlock"`;
    return (
      `(SELECT ${cols} FROM "Receivable" WHERE "registeredBlock" <= ${q.p(block)} AND "updatedBlock" <= ${q.p(block)}` +
      ` UNION ALL SELECT ${cols} FROM "ReceivableVersion" WHERE "validFrom" <= ${q.p(block)} AND "validTo" > ${q.p(block)})`
    );
  }

  function scopeWhere(q: Sql, scope: ReportScope, f: PartyFilter, where: string[]) {
    if (!scope.all) {
      const any: string[] = [];
      if (scope.seller) any.push(`r."seller" = ${q.p(scope.seller)}`);
      if (scope.buyer) any.push(`r."buyer" = ${q.p(scope.buyer)}`);
      if (scope.holder) any.push(`r."holder" = ${q.p(scope.holder)}`);
      where.push(any.length ? `(${any.join(" OR ")})` : "1 = 0");
    }
    if (f.seller) where.push(`r."seller" = ${q.p(f.seller)}`);
    if (f.buyer) where.push(`r."buyer" = ${q.p(f.buyer)}`);
    if (f.holder) where.push(`r."holder" = ${q.p(f.holder)}`);
  }

  function openWhere(q: Sql, where: string[]) {
    where.push(`r."status" IN (${OPEN.indexes.map((s) => q.p(s)).join(", ")})`);
    where.push(`r."outstanding" > ${q.p(ZERO)}`);
  }

  /** Settlements in blocks (afterBlock, uptoBlock]: a payment (on chain or attested) that left nothing outstanding. */
  function settlementWhere(q: Sql, afterBlock: number, uptoBlock: number): string[] {
    return [
      `e."name" IN (${q.p("ReceivablePaid")}, ${q.p("BankPaymentAttested")})`,
      `e."blockNumber" > ${q.p(afterBlock)}`,
      `e."blockNumber" <= ${q.p(uptoBlock)}`,
      `${argText("outstanding")} = ${q.p("0")}`,
    ];
  }

  /**
   * The aging bucket of a due date at report day `day` (days since the epoch, UTC): days past due =
   * day − floor(dueDate / 86400); 0 not due (≤ 0), 1: 1–30, 2: 31–60, 3: 61–90, 4: 91–120, 5: > 120. Written as
   * comparisons of the due date with the buckets' first seconds, so the same text runs on both providers.
   */
  function bucketCase(q: Sql, day: number): string {
    const edges = [0, 30, 60, 90, 120].map((d) => (day - d) * DAY_S);
    return `CASE ${edges.map((t, i) => `WHEN r."dueDate" >= ${q.p(t)} THEN ${i}`).join(" ")} ELSE 5 END`;
  }

  /** The due-date range [from, to) of a bucket at report day `day`. */
  function bucketRange(bucket: number, day: number): { from: number | null; to: number | null } {
    const edges = [null, 0, 30, 60, 90, 120, null].map((d) => (d === null ? null : (day - d) * DAY_S));
    // bucket 0: dueDate >= edge(0); bucket k: edge(k) <= dueDate < edge(k-1)
    if (bucket === 0) return { from: edges[1]!, to: null };
    if (bucket === 5) return { from: null, to: edges[5]! };
    return { from: edges[bucket + 1]!, to: edges[bucket]! };
  }

  const rowItem = (r: any): ReportItem => ({
    id: r.id,
    seller: r.seller,
    buyer: r.buyer,
    holder: r.holder,
    status: Number(r.status),
    faceAmount: fromDbAmount(r.faceAmount),
    outstanding: fromDbAmount(r.outstanding),
    issueDate: Number(r.issueDate),
    dueDate: Number(r.dueDate),
    parentId: r.parentId ?? null,
  });

  return {
    /** Open balance by aging bucket (and by group), as of `block`, aged at report day `day`. */
    async aging(scope: ReportScope, f: PartyFilter, block: number, day: number, groupBy: GroupBy): Promise<AgingCell[]> {
      const q = new Sql();
      const group = groupBy === "none" ? "NULL" : `r."${groupBy}"`;
      const bucket = bucketCase(q, day);
      const from = asOf(q, block);
      const where: string[] = [];
      openWhere(q, where);
      scopeWhere(q, scope, f, where);
      const text =
        `SELECT g, b, COUNT(*) AS n, ${sumSlices("o", "s")} FROM (SELECT ${group} AS g, ${bucket} AS b, r."outstanding" AS o FROM ${from} r` +
        ` WHERE ${where.join(" AND ")}) x GROUP BY g, b`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => ({ group: r.g ?? null, bucket: Number(r.b), count: Number(r.n), amount: joinSlices(r, "s") }));
    },

    /** Open receivables (as of `block`, aged at `day`) in one bucket, or past due (buckets 1–5) when bucket is "overdue". */
    async openItems(
      scope: ReportScope,
      f: PartyFilter,
      block: number,
      day: number,
      bucket: number | "overdue",
      sort: { key: "dueDate" | "outstanding"; descending: boolean },
      page: { offset: number; limit: number },
    ): Promise<{ items: ReportItem[]; total: number }> {
      const q = new Sql();
      const from = asOf(q, block);
      const where: string[] = [];
      openWhere(q, where);
      scopeWhere(q, scope, f, where);
      const range = bucket === "overdue" ? { from: null, to: day * DAY_S } : bucketRange(bucket, day);
      if (range.from !== null) where.push(`r."dueDate" >= ${q.p(range.from)}`);
      if (range.to !== null) where.push(`r."dueDate" < ${q.p(range.to)}`);
      const dir = sort.descending ? "DESC" : "ASC";
      const text =
        `SELECT r.*, COUNT(*) OVER () AS "total" FROM ${from} r WHERE ${where.join(" AND ")}` +
        ` ORDER BY r."${sort.key}" ${dir}, r."id" ${dir} LIMIT ${q.p(page.limit)} OFFSET ${q.p(page.offset)}`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && page.offset > 0) {
        // Past the last page: the window count is not there, count separately.
        const c = new Sql();
        const cw: string[] = [];
        const cf = asOf(c, block);
        openWhere(c, cw);
        scopeWhere(c, scope, f, cw);
        if (range.from !== null) cw.push(`r."dueDate" >= ${c.p(range.from)}`);
        if (range.to !== null) cw.push(`r."dueDate" < ${c.p(range.to)}`);
        const [row] = await prisma.$queryRawUnsafe<any[]>(db.sql(`SELECT COUNT(*) AS n FROM ${cf} r WHERE ${cw.join(" AND ")}`), ...c.params);
        total = Number(row?.n ?? 0);
      }
      return { items: rows.map(rowItem), total };
    },

    /**
     * Open AR as of `block`: total and current (not yet due at report day `day`), and what is more than 90 days
     * past due, by amount and count.
     */
    async balances(scope: ReportScope, f: PartyFilter, block: number, day: number) {
      const q = new Sql();
      // k: 0 current (not yet due), 1 past due up to 90 days, 2 more than 90 days past due
      const kind = `CASE WHEN r."dueDate" >= ${q.p(day * DAY_S)} THEN 0 WHEN r."dueDate" >= ${q.p((day - 90) * DAY_S)} THEN 1 ELSE 2 END`;
      const from = asOf(q, block);
      const where: string[] = [];
      openWhere(q, where);
      scopeWhere(q, scope, f, where);
      const text = `SELECT k, COUNT(*) AS n, ${sumSlices("o", "s")} FROM (SELECT ${kind} AS k, r."outstanding" AS o FROM ${from} r WHERE ${where.join(" AND ")}) x GROUP BY k`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      const out = { total: 0n, totalCount: 0, current: 0n, currentCount: 0, pastDue: 0n, pastDueCount: 0, atRisk: 0n, atRiskCount: 0 };
      for (const r of rows) {
        const k = Number(r.k);
        const amount = joinSlices(r, "s");
        const n = Number(r.n);
        out.total += amount;
        out.totalCount += n;
        if (k === 0) (out.current += amount), (out.currentCount += n);
        else (out.pastDue += amount), (out.pastDueCount += n);
        if (k === 2) (out.atRisk += amount), (out.atRiskCount += n);
      }
      return out;
    },

    /**
     * Credit sales by issue day: registered face amounts (the ReceivableRegistered amount, before any credit note)
     * of original receivables (not split parts) issued in [fromTime, toTime], registered by `block`, not cancelled
     * as of it; one row per UTC day of the issue date (days since the epoch). Sums over whole days are exact for
     * any day-aligned period or countback window, so one query serves a period and all its windows (and a series).
     */
    async salesByDay(scope: ReportScope, f: PartyFilter, block: number, fromTime: number, toTime: number): Promise<SalesDay[]> {
      const q = new Sql();
      const from = asOf(q, block);
      const where: string[] = [
        `e."name" = ${q.p("ReceivableRegistered")}`,
        `e."blockNumber" <= ${q.p(block)}`,
        `r."parentId" IS NULL`,
        `r."status" <> ${q.p(STATUS.Cancelled)}`,
        `r."issueDate" >= ${q.p(fromTime)}`,
        `r."issueDate" <= ${q.p(toTime)}`,
      ];
      scopeWhere(q, scope, f, where);
      // issueDate is a non-negative integer: integer division is floor on both providers.
      const text =
        `SELECT d, COUNT(*) AS n, ${sumSlices("a", "s")} FROM (SELECT r."issueDate" / ${DAY_S} AS d, ${argAmount("amount")} AS a` +
        ` FROM ${from} r JOIN "LedgerEvent" e ON e."receivableId" = r."id" WHERE ${where.join(" AND ")}) x GROUP BY d`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => ({ day: Number(r.d), amount: joinSlices(r, "s"), count: Number(r.n) }));
    },

    /**
     * Cash applied in blocks (afterBlock, uptoBlock]: ReceivablePaid and BankPaymentAttested (recoveries of
     * subrogated receivables are ReceivablePaid too; RecoveryShared only splits them) — `principal` (face settled),
     * `amount` (cash) and `interest`; the receivables in scope as of `uptoBlock`.
     */
    async payments(scope: ReportScope, f: PartyFilter, afterBlock: number, uptoBlock: number) {
      const q = new Sql();
      // The whole ledger, unfiltered: every payment at or below uptoBlock is of a receivable registered by then,
      // which the as-of table holds exactly once, so the join to it would change nothing: read the events alone,
      // by the primary key's range (chainId, blockNumber, …) on the indexed chain's id.
      const whole = scope.all && !f.seller && !f.buyer && !f.holder;
      const from = whole ? "" : `${asOf(q, uptoBlock)} r JOIN `;
      const where: string[] = [
        `e."name" IN (${q.p("ReceivablePaid")}, ${q.p("BankPaymentAttested")})`,
        `e."blockNumber" > ${q.p(afterBlock)}`,
        `e."blockNumber" <= ${q.p(uptoBlock)}`,
      ];
      if (whole) where.push(`e."chainId" IN (SELECT "chainId" FROM "IndexerCheckpoint")`, `e."receivableId" IS NOT NULL`);
      else scopeWhere(q, scope, f, where);
      const text =
        `SELECT COUNT(*) AS n, ${sumSlices("p", "p")}, ${sumSlices("a", "a")}, ${sumSlices("i", "i")} FROM (SELECT ${argAmount("principal")} AS p, ${argAmount("amount")} AS a,` +
        ` ${argAmount("interest")} AS i FROM ${from}"LedgerEvent" e${whole ? "" : ` ON e."receivableId" = r."id"`} WHERE ${where.join(" AND ")}) x`;
      const [row] = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return {
        count: Number(row?.n ?? 0),
        principal: row ? joinSlices(row, "p") : 0n,
        amount: row ? joinSlices(row, "a") : 0n,
        interest: row ? joinSlices(row, "i") : 0n,
      };
    },

    /**
     * The blocks (ascending, distinct) of settlements in blocks (afterBlock, uptoBlock]: the ReceivablePaid or
     * BankPaymentAttested event that left nothing outstanding (`outstanding` = 0), of the receivables in scope as
     * of `block`.
     */
    async settlementBlocks(scope: ReportScope, f: PartyFilter, block: number, afterBlock: number, uptoBlock: number): Promise<number[]> {
      const q = new Sql();
      const from = asOf(q, block);
      const where = settlementWhere(q, afterBlock, uptoBlock);
      scopeWhere(q, scope, f, where);
      const text = `SELECT DISTINCT e."blockNumber" AS b FROM ${from} r JOIN "LedgerEvent" e ON e."receivableId" = r."id" WHERE ${where.join(" AND ")} ORDER BY b`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => Number(r.b));
    },

    /**
     * The settlements of {@link settlementBlocks}, grouped by settlement day (the UTC day of the settling block, from
     * `days`: ascending [lastBlock, day] pairs covering every such block), days to pay (settlement day − issue
     * day) and days late (settlement day − due day); count and face amount (as of `block`: after accepted credit
     * notes, i.e. the principal settled in all).
     */
    async settlements(scope: ReportScope, f: PartyFilter, block: number, afterBlock: number, uptoBlock: number, days: { lastBlock: number; day: number }[]) {
      if (days.length === 0) return [];
      const q = new Sql();
      // Block → day, as literal integers (numbers this code computed): at most one WHEN per settlement day.
      const day = `CASE ${days.map((d) => `WHEN e."blockNumber" <= ${Math.trunc(d.lastBlock)} THEN ${Math.trunc(d.day)}`).join(" ")} END`;
      const from = asOf(q, block);
      const where = settlementWhere(q, afterBlock, uptoBlock);
      scopeWhere(q, scope, f, where);
      const text =
        `SELECT d, d - i AS tp, d - u AS dl, COUNT(*) AS n, ${sumSlices("a", "s")} FROM (SELECT ${day} AS d, r."issueDate" / ${DAY_S} AS i, r."dueDate" / ${DAY_S} AS u, r."faceAmount" AS a` +
        ` FROM ${from} r JOIN "LedgerEvent" e ON e."receivableId" = r."id" WHERE ${where.join(" AND ")}) x GROUP BY d, d - i, d - u`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => ({ day: Number(r.d), daysToPay: Number(r.tp), daysLate: Number(r.dl), count: Number(r.n), amount: joinSlices(r, "s") }));
    },

    /**
     * Invoices issued (issueDate) in [fromTime, toTime], registered by `block`, not split parts, not cancelled as of
     * it, by registered face amount (ReceivableRegistered.amount): bucket i = amounts below `edges[i]` (ascending,
     * base units) and not below the edge before; edges.length = amounts at or above the last edge.
     */
    async issuedByAmount(scope: ReportScope, f: PartyFilter, block: number, fromTime: number, toTime: number, edges: bigint[]) {
      const q = new Sql();
      const bucket = `CASE ${edges.map((edge, i) => `WHEN a < ${q.p(toDbAmount(edge))} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
      const from = asOf(q, block);
      const where: string[] = [
        `e."name" = ${q.p("ReceivableRegistered")}`,
        `e."blockNumber" <= ${q.p(block)}`,
        `r."parentId" IS NULL`,
        `r."status" <> ${q.p(STATUS.Cancelled)}`,
        `r."issueDate" >= ${q.p(fromTime)}`,
        `r."issueDate" <= ${q.p(toTime)}`,
      ];
      scopeWhere(q, scope, f, where);
      const text =
        `SELECT b, COUNT(*) AS n, ${sumSlices("a", "s")} FROM (SELECT ${bucket} AS b, a FROM (SELECT ${argAmount("amount")} AS a` +
        ` FROM ${from} r JOIN "LedgerEvent" e ON e."receivableId" = r."id" WHERE ${where.join(" AND ")}) y) x GROUP BY b`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => ({ bucket: Number(r.b), count: Number(r.n), amount: joinSlices(r, "s") }));
    },

    /**
     * Disputes and credit notes in blocks (afterBlock, uptoBlock] of the receivables in scope as of `block`, by kind:
     * "raised" (ReceivableDisputed), "confirmed" / "cancelled" (a ReceivableConfirmed / ReceivableCancelled of a
     * receivable disputed before: the dispute resolved), with the receivable's registered face amount;
     * "noteIssued" (CreditNoteIssued, its amount) and "noteAccepted" (CreditNoteAccepted, the accepted note's
     * amount as issued).
     */
    async disputesAndNotes(scope: ReportScope, f: PartyFilter, block: number, afterBlock: number, uptoBlock: number) {
      const q = new Sql();
      // Built in the order the text reads (the placeholders are positional).
      const kind = `CASE e."name" WHEN ${q.p("ReceivableDisputed")} THEN 'raised' WHEN ${q.p("ReceivableConfirmed")} THEN 'confirmed' WHEN ${q.p("ReceivableCancelled")} THEN 'cancelled' WHEN ${q.p("CreditNoteIssued")} THEN 'noteIssued' ELSE 'noteAccepted' END`;
      let amount = `CASE WHEN e."name" = ${q.p("CreditNoteIssued")} THEN ${argAmount("amount")}`;
      amount += ` WHEN e."name" = ${q.p("CreditNoteAccepted")} THEN (SELECT ${argAmount("amount", "ni")} FROM "LedgerEvent" ni WHERE ni."receivableId" = e."receivableId" AND ni."name" = ${q.p("CreditNoteIssued")} AND ${argText("noteId", "ni")} = ${argText("noteId")} LIMIT 1)`;
      amount += ` ELSE (SELECT ${argAmount("amount", "g")} FROM "LedgerEvent" g WHERE g."receivableId" = r."id" AND g."name" = ${q.p("ReceivableRegistered")} LIMIT 1) END`;
      const from = asOf(q, block);
      const where: string[] = [
        `e."name" IN (${["ReceivableDisputed", "ReceivableConfirmed", "ReceivableCancelled", "CreditNoteIssued", "CreditNoteAccepted"].map((n) => q.p(n)).join(", ")})`,
        `e."blockNumber" > ${q.p(afterBlock)}`,
        `e."blockNumber" <= ${q.p(uptoBlock)}`,
        `(e."name" NOT IN (${q.p("ReceivableConfirmed")}, ${q.p("ReceivableCancelled")}) OR EXISTS (SELECT 1 FROM "LedgerEvent" x WHERE x."receivableId" = r."id" AND x."name" = ${q.p("ReceivableDisputed")} AND x."blockNumber" <= e."blockNumber"))`,
      ];
      scopeWhere(q, scope, f, where);
      const text =
        `SELECT k, COUNT(*) AS n, ${sumSlices("a", "s")} FROM (SELECT ${kind} AS k, ${amount} AS a` +
        ` FROM ${from} r JOIN "LedgerEvent" e ON e."receivableId" = r."id" WHERE ${where.join(" AND ")}) x GROUP BY k`;
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return rows.map((r) => ({
        kind: String(r.k) as "raised" | "confirmed" | "cancelled" | "noteIssued" | "noteAccepted",
        count: Number(r.n),
        amount: joinSlices(r, "s"),
      }));
    },

    /** Receivables in status Disputed as of `block` (in scope), with their outstanding (= face) amount. */
    async openDisputes(scope: ReportScope, f: PartyFilter, block: number) {
      const q = new Sql();
      const from = asOf(q, block);
      const where: string[] = [`r."status" = ${q.p(STATUS.Disputed)}`];
      scopeWhere(q, scope, f, where);
      const text = `SELECT COUNT(*) AS n, ${sumSlices("o", "s")} FROM (SELECT r."outstanding" AS o FROM ${from} r WHERE ${where.join(" AND ")}) x`;
      const [row] = await prisma.$queryRawUnsafe<any[]>(db.sql(text), ...q.params);
      return { count: Number(row?.n ?? 0), amount: row ? joinSlices(row, "s") : 0n };
    },

    /** Whether any receivable in scope (now) has `party` on `side`. */
    async partyInScope(scope: ReportScope, side: "seller" | "buyer" | "holder", party: string): Promise<boolean> {
      const q = new Sql();
      const where: string[] = [`r."${side}" = ${q.p(party)}`];
      scopeWhere(q, scope, {}, where);
      const rows = await prisma.$queryRawUnsafe<any[]>(db.sql(`SELECT 1 AS x FROM "Receivable" r WHERE ${where.join(" AND ")} LIMIT 1`), ...q.params);
      return rows.length > 0;
    },

    /** The indexer's checkpoint (the head the reports may be asked as of). */
    async checkpoint(): Promise<{ number: number; hash: string; headBlock: number } | null> {
      const cp = await prisma.indexerCheckpoint.findUnique({ where: { id: 1 } });
      return cp && { number: cp.blockNumber, hash: cp.blockHash, headBlock: cp.headBlock };
    },

    /** Whether `address` is a member of the consortium (admitted at some point). */
    async isMember(address: string): Promise<boolean> {
      return (await prisma.member.findUnique({ where: { address }, select: { address: true } })) !== null;
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
