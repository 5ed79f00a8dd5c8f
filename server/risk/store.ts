// Data access of the early warning (issue 12): the only file with the risk module's SQL. It reads the ledger the way
// the reports do (the receivable state as of a block: current rows unchanged since it plus the undo log's versions
// valid at it; the LedgerEvent table for what happened to each receivable) and owns the Risk* tables. The buyers'
// features are GROUP BYs in the database (one statement for any number of buyers); amounts enter only as ratios.
import type { Database } from "../database/client.ts";
import { fromDbAmount, toDbAmount } from "../database/client.ts";
import { chunks, insertRows } from "../database/bulk-insert.ts";
import { EXPOSURE, OPEN, STATUS } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";
import { MAX_DAYS_LATE, type BuyerFacts, type OpenItem } from "./features.ts";
import { FEATURES } from "./model.ts";

const SETTLING = ["ReceivablePaid", "BankPaymentAttested", "CreditNoteAccepted"];
const PAYMENTS = ["ReceivablePaid", "BankPaymentAttested"];
const FACT_EVENTS = [...SETTLING, "ReceivableDisputed", "CreditNoteIssued", "ReceivableDefaulted"];
const COLS = `"id", "seller", "buyer", "holder", "status", "faceAmount", "outstanding", "issueDate", "dueDate"`;
const ZERO = toDbAmount(0n);

class Sql {
  readonly params: unknown[] = [];
  p(v: unknown): string {
    this.params.push(v);
    return "?";
  }
  list(vs: readonly unknown[]): string {
    return vs.map((v) => this.p(v)).join(", ");
  }
}

/** An integer written into SQL text (computed by the server, never user text). */
const int = (v: number): string => {
  if (!Number.isInteger(v)) throw new RangeError(`not an integer: ${v}`);
  return String(v);
};

export interface ScoreRow {
  receivableId: string;
  buyer: string;
  probability: number;
  reasons: { feature: string; contribution: number }[];
  features: Record<string, number>;
  model: string;
  scoredBlock: number;
}

export interface ScoreScope {
  all: boolean;
  seller?: string | undefined;
  holder?: string | undefined;
}

export interface AlertRecord {
  id: number;
  dedupeKey: string;
  creditor: string;
  kind: "threshold" | "trend";
  receivableId: string | null;
  buyer: string;
  probability: number | null;
  threshold: number;
  before: number | null;
  after: number;
  block: number;
  createdAt: Date;
}

export interface ThresholdRecord {
  creditor: string;
  probability: number;
  trendDays: number;
  updatedBy: string;
  actor: string | null;
  updatedAt: Date;
}

export function createRiskStore(db: Database) {
  const prisma = db.prisma;
  const pg = db.provider === "postgresql";
  const real = pg ? "DOUBLE PRECISION" : "REAL";
  const query = <T = any>(q: Sql, text: string) => prisma.$queryRawUnsafe<T[]>(db.sql(text), ...q.params);

  /** The receivables (state as of `block`, or the current rows when null) of `buyers` (every buyer when null). */
  function receivables(q: Sql, buyers: readonly string[] | null, block: number | null): string {
    const who = (alias = "") => (buyers ? ` AND ${alias}"buyer" IN (${q.list(buyers)})` : "");
    if (block === null) return `SELECT ${COLS}, "registeredBlock" FROM "Receivable" WHERE 1 = 1${who()}`;
    return (
      `SELECT ${COLS}, "registeredBlock" FROM "Receivable" WHERE "registeredBlock" <= ${q.p(block)} AND "updatedBlock" <= ${q.p(block)}${who()}` +
      ` UNION ALL SELECT ${COLS}, "registeredBlock" FROM "ReceivableVersion" WHERE "validFrom" <= ${q.p(block)} AND "validTo" > ${q.p(block)}${who()}`
    );
  }

  /** Per receivable: the block of its last settling event, its payments, disputes, credit notes and defaults (by `block`). */
  function eventFacts(q: Sql, block: number | null): string {
    const upto = block === null ? "" : ` AND e."blockNumber" <= ${q.p(block)}`;
    return (
      `SELECT e."receivableId" AS rid,` +
      ` MAX(CASE WHEN e."name" IN (${q.list(SETTLING)}) THEN e."blockNumber" END) AS sb,` +
      ` SUM(CASE WHEN e."name" IN (${q.list(PAYMENTS)}) THEN 1 ELSE 0 END) AS np,` +
      ` SUM(CASE WHEN e."name" = ${q.p("ReceivableDisputed")} THEN 1 ELSE 0 END) AS nd,` +
      ` SUM(CASE WHEN e."name" = ${q.p("CreditNoteIssued")} THEN 1 ELSE 0 END) AS nc,` +
      ` SUM(CASE WHEN e."name" = ${q.p("ReceivableDefaulted")} THEN 1 ELSE 0 END) AS nf` +
      ` FROM "LedgerEvent" e WHERE e."receivableId" IN (SELECT "id" FROM r) AND e."name" IN (${q.list(FACT_EVENTS)})${upto} GROUP BY e."receivableId"`
    );
  }

  return {
    /**
     * The buyers' aggregates as of `block` (null: the head), judged at report day `day` (days since the epoch) with
     * `graceDays`: decided invoices, on time, mean clamped days late overall, over the `recent` latest and the older
     * ones (window function over due dates), payments in parts, disputes, credit notes, defaults, exposure, mean face.
     */
    async buyerFacts(buyers: readonly string[] | null, block: number | null, day: number, graceDays: number, recent: number): Promise<BuyerFacts[]> {
      if (buyers && buyers.length === 0) return [];
      const q = new Sql();
      const src = receivables(q, buyers, block);
      const ev = eventFacts(q, block);
      const open = [...OPEN.indexes, STATUS.WrittenOff];
      const D = int(day);
      const G = int(graceDays);
      const text =
        `WITH r AS (${src}), ev AS (${ev}),` +
        ` it AS (SELECT r."buyer" AS buyer, r."id" AS id, r."dueDate" AS due, r."status" AS st, r."faceAmount" AS face, r."outstanding" AS outs,` +
        ` COALESCE(ev.np, 0) AS np, COALESCE(ev.nd, 0) AS nd, COALESCE(ev.nc, 0) AS nc, COALESCE(ev.nf, 0) AS nf,` +
        ` CASE WHEN r."status" = ${int(STATUS.Paid)} THEN t."timestamp" / ${DAY_S} - r."dueDate" / ${DAY_S}` +
        ` WHEN r."status" IN (${open.map(int).join(", ")}) AND ${D} - r."dueDate" / ${DAY_S} > ${G} THEN ${D} - r."dueDate" / ${DAY_S} END AS late` +
        ` FROM r LEFT JOIN ev ON ev.rid = r."id" LEFT JOIN "RiskBlockTime" t ON t."number" = ev.sb` +
        ` WHERE r."status" <> ${int(STATUS.Split)}),` +
        ` rk AS (SELECT it.*, ROW_NUMBER() OVER (PARTITION BY buyer, CASE WHEN late IS NULL THEN 0 ELSE 1 END ORDER BY due DESC, id DESC) AS rn,` +
        ` CASE WHEN late < 0 THEN 0 WHEN late > ${int(MAX_DAYS_LATE)} THEN ${int(MAX_DAYS_LATE)} ELSE late END AS cl FROM it)` +
        ` SELECT buyer, COUNT(*) AS addressed, SUM(CASE WHEN st <> ${int(STATUS.Cancelled)} THEN 1 ELSE 0 END) AS items, SUM(CASE WHEN late IS NOT NULL THEN 1 ELSE 0 END) AS decided,` +
        ` SUM(CASE WHEN late IS NOT NULL AND late <= ${G} THEN 1 ELSE 0 END) AS ontime,` +
        ` SUM(CASE WHEN late IS NOT NULL AND rn <= ${int(recent)} THEN 1 ELSE 0 END) AS recentdecided,` +
        ` SUM(CASE WHEN late IS NOT NULL AND rn <= ${int(recent)} AND late <= ${G} THEN 1 ELSE 0 END) AS recentontime,` +
        ` AVG(CAST(cl AS ${real})) AS meanlate, AVG(CASE WHEN rn <= ${int(recent)} THEN CAST(cl AS ${real}) END) AS recentlate,` +
        ` AVG(CASE WHEN rn > ${int(recent)} THEN CAST(cl AS ${real}) END) AS olderlate,` +
        ` SUM(CASE WHEN np > 0 THEN 1 ELSE 0 END) AS withpay, SUM(CASE WHEN np > 1 OR (np > 0 AND st <> ${int(STATUS.Paid)}) THEN 1 ELSE 0 END) AS partial,` +
        ` SUM(CASE WHEN nd > 0 THEN 1 ELSE 0 END) AS disputed, SUM(CASE WHEN nc > 0 THEN 1 ELSE 0 END) AS noted, SUM(CASE WHEN nf > 0 THEN 1 ELSE 0 END) AS defaulted,` +
        ` SUM(CASE WHEN st IN (${EXPOSURE.indexes.map(int).join(", ")}) THEN CAST(outs AS ${real}) ELSE 0 END) AS exposure, AVG(CASE WHEN st <> ${int(STATUS.Cancelled)} THEN CAST(face AS ${real}) END) AS meanface` +
        ` FROM rk GROUP BY buyer`;
      const rows = await query(q, text);
      const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      return rows.map((r) => ({
        buyer: r.buyer,
        addressed: Number(r.addressed),
        items: Number(r.items),
        decided: Number(r.decided),
        onTime: Number(r.ontime),
        recentDecided: Number(r.recentdecided),
        recentOnTime: Number(r.recentontime),
        meanLate: n(r.meanlate),
        recentLate: n(r.recentlate),
        olderLate: n(r.olderlate),
        withPayment: Number(r.withpay),
        partial: Number(r.partial),
        disputed: Number(r.disputed),
        creditNoted: Number(r.noted),
        defaulted: Number(r.defaulted),
        exposure: Number(r.exposure ?? 0),
        meanFace: Number(r.meanface ?? 0),
      }));
    },

    /** Blocks of settling events of `buyers`' paid receivables (every buyer when null) whose time is not stored yet. */
    async missingBlockTimes(buyers: readonly string[] | null): Promise<number[]> {
      if (buyers && buyers.length === 0) return [];
      const q = new Sql();
      // (placeholders are numbered in the order the text is built)
      let text =
        `SELECT DISTINCT e."blockNumber" AS b FROM "LedgerEvent" e JOIN "Receivable" r ON r."id" = e."receivableId"` +
        ` LEFT JOIN "RiskBlockTime" t ON t."number" = e."blockNumber"` +
        ` WHERE e."name" IN (${q.list(SETTLING)}) AND t."number" IS NULL`;
      if (buyers) text += ` AND r."buyer" IN (${q.list(buyers)})`;
      text += ` ORDER BY b`;
      return (await query(q, text)).map((r) => Number(r.b));
    },

    async putBlockTimes(rows: { number: number; timestamp: number }[]): Promise<void> {
      if (!rows.length) return;
      await prisma.$transaction(
        async (tx) => {
          await insertRows(
            db,
            tx,
            "RiskBlockTime",
            ["number", "timestamp"],
            rows.map((r) => [r.number, r.timestamp]),
            `ON CONFLICT ("number") DO UPDATE SET "timestamp" = excluded."timestamp"`,
          );
        },
        { timeout: 600_000 },
      );
    },

    /** Open receivables (current state) of `buyers` (every buyer when null), by buyer. */
    async openItems(buyers: readonly string[] | null): Promise<OpenItem[]> {
      if (buyers && buyers.length === 0) return [];
      const q = new Sql();
      let text = `SELECT "id", "buyer", "seller", "holder", "faceAmount", "issueDate", "dueDate" FROM "Receivable" WHERE "status" IN (${q.list(OPEN.indexes)}) AND "outstanding" > ${q.p(ZERO)}`;
      if (buyers) text += ` AND "buyer" IN (${q.list(buyers)})`;
      const rows = await query(q, text);
      return rows.map((r) => ({
        id: r.id,
        buyer: r.buyer,
        seller: r.seller,
        holder: r.holder,
        faceAmount: fromDbAmount(r.faceAmount),
        issueDate: Number(r.issueDate),
        dueDate: Number(r.dueDate),
      }));
    },

    /**
     * Training (or evaluation) examples: receivables open as of `block` whose due day + grace had not passed at `day`,
     * with what became of them by `labelBlock`: its status then and the block of its last settling event by then.
     */
    async outcomes(block: number, day: number, graceDays: number, labelBlock: number | null) {
      const q = new Sql();
      const src = receivables(q, null, block);
      const later = receivables(q, null, labelBlock);
      const upto = labelBlock === null ? "" : ` AND e."blockNumber" <= ${q.p(labelBlock)}`;
      const text =
        `WITH r AS (${src}), c AS (${later}), sb AS (SELECT e."receivableId" AS rid, MAX(e."blockNumber") AS b FROM "LedgerEvent" e` +
        ` WHERE e."receivableId" IN (SELECT "id" FROM r) AND e."name" IN (${q.list(SETTLING)})${upto} GROUP BY e."receivableId")` +
        ` SELECT r."id" AS id, r."buyer" AS buyer, r."faceAmount" AS face, r."issueDate" AS issue, r."dueDate" AS due, c."status" AS st, t."timestamp" AS ts` +
        ` FROM r JOIN c ON c."id" = r."id" LEFT JOIN sb ON sb.rid = r."id" LEFT JOIN "RiskBlockTime" t ON t."number" = sb.b` +
        ` WHERE r."status" IN (${OPEN.indexes.map(int).join(", ")}) AND r."outstanding" > ${q.p(ZERO)} AND ${int(day)} - r."dueDate" / ${DAY_S} <= ${int(graceDays)}`;
      return (await query(q, text)).map((r) => ({
        id: r.id as string,
        buyer: r.buyer as string,
        faceAmount: fromDbAmount(r.face),
        issueDate: Number(r.issue),
        dueDate: Number(r.due),
        status: Number(r.st),
        settledAt: r.ts === null || r.ts === undefined ? null : Number(r.ts),
      }));
    },

    // ─────────────────────────────────────────────── dirty buyers ──

    /** Buyers marked dirty by the indexer (up to `limit`), with the latest block that marked each. */
    async dirtyBuyers(limit: number): Promise<{ buyer: string; markedBlock: number }[]> {
      return await prisma.riskDirtyBuyer.findMany({ orderBy: { buyer: "asc" }, take: limit });
    },

    /** Clears the marks a re-score current to `block` covered (a mark from a later batch stays). */
    async clearDirty(buyers: string[], block: number): Promise<void> {
      for (const part of chunks(buyers, 400)) await prisma.riskDirtyBuyer.deleteMany({ where: { buyer: { in: part }, markedBlock: { lte: block } } });
    },

    async markDirty(buyers: string[], block: number): Promise<void> {
      if (!buyers.length) return;
      await prisma.$transaction(async (tx) => {
        await insertRows(
          db,
          tx,
          "RiskDirtyBuyer",
          ["buyer", "markedBlock"],
          buyers.map((b) => [b, block]),
          `ON CONFLICT ("buyer") DO UPDATE SET "markedBlock" = excluded."markedBlock"`,
        );
      });
    },

    // ─────────────────────────────────────────────── scores ──

    /** The stored probabilities of `buyers`' receivables (to see which crossed a threshold). */
    async previousScores(buyers: readonly string[] | null): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (buyers === null) {
        for (const r of await prisma.riskScore.findMany({ select: { receivableId: true, probability: true } })) out.set(r.receivableId, r.probability);
        return out;
      }
      for (const part of chunks([...buyers], 400)) {
        for (const r of await prisma.riskScore.findMany({ where: { buyer: { in: part } }, select: { receivableId: true, probability: true } }))
          out.set(r.receivableId, r.probability);
      }
      return out;
    },

    /**
     * Replaces the scores of `buyers` (every buyer when null) with `rows`: the rows are upserted and the buyers' other
     * scores (receivables no longer open) removed, in one transaction.
     */
    async replaceScores(
      buyers: readonly string[] | null,
      rows: ScoreRow[],
      buyerRows: { buyer: string; features: Record<string, number>; trendDays: number; scoredBlock: number }[],
    ): Promise<void> {
      const now = new Date();
      const iso = now.toISOString();
      await prisma.$transaction(
        async (tx) => {
          if (buyers === null) {
            await tx.$executeRawUnsafe(`DELETE FROM "RiskScore"`);
          } else {
            const keep = new Set(rows.map((r) => r.receivableId));
            for (const part of chunks([...buyers], 400)) {
              const old = await tx.riskScore.findMany({ where: { buyer: { in: part } }, select: { receivableId: true } });
              const gone = old.map((o) => o.receivableId).filter((id) => !keep.has(id));
              for (const g of chunks(gone, 400)) await tx.riskScore.deleteMany({ where: { receivableId: { in: g } } });
            }
          }
          const cols = ["receivableId", "buyer", "probability", "reasons", "features", "model", "scoredBlock", "scoredAt"];
          const conflict =
            buyers === null
              ? ""
              : `ON CONFLICT ("receivableId") DO UPDATE SET ${cols
                  .slice(1)
                  .map((c) => `"${c}" = excluded."${c}"`)
                  .join(", ")}`;
          for (const part of chunks(rows, 20_000)) {
            await insertRows(
              db,
              tx,
              "RiskScore",
              cols,
              part.map((r) => [
                r.receivableId,
                r.buyer,
                r.probability,
                JSON.stringify(r.reasons.map((x) => [x.feature, x.contribution])),
                JSON.stringify(FEATURES.map((n) => r.features[n] ?? 0)),
                r.model,
                r.scoredBlock,
                iso,
              ]),
              conflict,
            );
          }
          await insertRows(
            db,
            tx,
            "RiskBuyer",
            ["buyer", "features", "trendDays", "scoredBlock", "scoredAt"],
            buyerRows.map((b) => [b.buyer, JSON.stringify(b.features), b.trendDays, b.scoredBlock, iso]),
            `ON CONFLICT ("buyer") DO UPDATE SET "features" = excluded."features", "trendDays" = excluded."trendDays", "scoredBlock" = excluded."scoredBlock", "scoredAt" = excluded."scoredAt"`,
          );
        },
        { timeout: 600_000, maxWait: 30_000 },
      );
    },

    async buyerTrends(buyers: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (const part of chunks([...buyers], 400))
        for (const r of await prisma.riskBuyer.findMany({ where: { buyer: { in: part } } })) out.set(r.buyer, r.trendDays);
      return out;
    },

    /** A receivable's score with its current parties (null when not scored). */
    async score(id: string): Promise<(ScoreRow & { seller: string; holder: string; status: number; scoredAt: Date }) | null> {
      const q = new Sql();
      const [r] = await query(
        q,
        `SELECT s.*, r."seller" AS seller, r."holder" AS holder, r."status" AS status FROM "RiskScore" s JOIN "Receivable" r ON r."id" = s."receivableId" WHERE s."receivableId" = ${q.p(id)}`,
      );
      return r ? { ...scoreFrom(r), seller: r.seller, holder: r.holder, status: Number(r.status), scoredAt: new Date(r.scoredAt) } : null;
    },

    /** Scores of the receivables in `scope`, highest probability first, paged. */
    async scores(scope: ScoreScope, filter: { buyer?: string | undefined; minProbability?: number | undefined }, page: { limit: number; offset: number }) {
      const q = new Sql();
      const where: string[] = [];
      if (!scope.all) {
        const any: string[] = [];
        if (scope.seller) any.push(`r."seller" = ${q.p(scope.seller)}`);
        if (scope.holder) any.push(`r."holder" = ${q.p(scope.holder)}`);
        where.push(any.length ? `(${any.join(" OR ")})` : "1 = 0");
      }
      if (filter.buyer) where.push(`s."buyer" = ${q.p(filter.buyer)}`);
      if (filter.minProbability !== undefined) where.push(`s."probability" >= ${q.p(filter.minProbability)}`);
      const text =
        `SELECT s.*, r."seller" AS seller, r."holder" AS holder, r."outstanding" AS outstanding, r."dueDate" AS "dueDate", COUNT(*) OVER () AS total` +
        ` FROM "RiskScore" s JOIN "Receivable" r ON r."id" = s."receivableId" WHERE ${where.length ? where.join(" AND ") : "1 = 1"}` +
        ` ORDER BY s."probability" DESC, s."receivableId" ASC LIMIT ${q.p(page.limit)} OFFSET ${q.p(page.offset)}`;
      const rows = await query(q, text);
      return {
        total: rows.length ? Number(rows[0].total) : 0,
        items: rows.map((r) => ({
          ...scoreFrom(r),
          seller: r.seller as string,
          holder: r.holder as string,
          outstanding: fromDbAmount(r.outstanding),
          dueDate: Number(r.dueDate),
        })),
      };
    },

    // ─────────────────────────────────────────────── thresholds and alerts ──

    async thresholds(): Promise<Map<string, ThresholdRecord>> {
      return new Map((await prisma.riskThreshold.findMany()).map((t) => [t.creditor, t]));
    },

    async threshold(creditor: string): Promise<ThresholdRecord | null> {
      return await prisma.riskThreshold.findUnique({ where: { creditor } });
    },

    async setThreshold(t: Omit<ThresholdRecord, "updatedAt">): Promise<ThresholdRecord> {
      const data = { ...t, updatedAt: new Date() };
      return await prisma.riskThreshold.upsert({ where: { creditor: t.creditor }, create: data, update: data });
    },

    /** Stores an alert once (by its dedupe key); true when it is new. */
    async addAlert(a: Omit<AlertRecord, "id" | "createdAt">): Promise<boolean> {
      if (await prisma.riskAlert.findUnique({ where: { dedupeKey: a.dedupeKey }, select: { id: true } })) return false;
      try {
        await prisma.riskAlert.create({ data: { ...a, createdAt: new Date() } });
        return true;
      } catch (err) {
        if (await prisma.riskAlert.findUnique({ where: { dedupeKey: a.dedupeKey }, select: { id: true } })) return false;
        throw err;
      }
    },

    async alerts(creditor: string | null, limit: number): Promise<AlertRecord[]> {
      const rows = await prisma.riskAlert.findMany({ where: creditor ? { creditor } : {}, orderBy: { id: "desc" }, take: limit });
      return rows as AlertRecord[];
    },

    /** Whether a receivable exists (for 404 vs "not scored yet"). */
    async receivable(id: string): Promise<{ seller: string; holder: string; buyer: string; status: number } | null> {
      return await prisma.receivable.findUnique({ where: { id }, select: { seller: true, holder: true, buyer: true, status: true } });
    },

    async isMember(address: string): Promise<boolean> {
      return (await prisma.member.findUnique({ where: { address }, select: { address: true } })) !== null;
    },
  };
}

const scoreFrom = (r: any): ScoreRow => ({
  receivableId: r.receivableId,
  buyer: r.buyer,
  probability: Number(r.probability),
  // stored compactly: reasons as [feature, contribution] pairs, features as an array in the model's FEATURES order
  reasons: (JSON.parse(r.reasons) as [string, number][]).map(([feature, contribution]) => ({ feature, contribution })),
  features: Object.fromEntries((JSON.parse(r.features) as number[]).map((v, i) => [FEATURES[i]!, v])),
  model: r.model,
  scoredBlock: Number(r.scoredBlock),
});

export type RiskStore = ReturnType<typeof createRiskStore>;
