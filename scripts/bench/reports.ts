// Reports benchmark (npm run bench:reports): the AR reports (issue 11) on a ledger of 1,000,000 receivables with
// their full event histories over 24 months (scripts/bench/seed-ledger-history.ts: 10,000 buyers, 2,000 sellers,
// 50 financiers; registrations, confirmations, disputes, cancellations, transfers, credit notes, partial and full
// payments, defaults, recoveries, write-offs), on SQLite and on PostgreSQL (BENCH_DATABASE_URL_PG or
// TEST_DATABASE_URL_PG: a role that may CREATE DATABASE; a database of its own is created and dropped).
// The figures call the reports service (server/reports/service.ts, the code behind the HTTP routes) with the
// reports store on the loaded database; block times come from the synthetic chain (block n at T0 + 15 n s):
//   1. one party's aging + KPIs (the as-of month) as of the head: a random seller, buyer or financier per run, in
//      its own scope (a seller: what it issued or holds; a buyer: its payables and holdings; a financier: its
//      holdings) — target p95 ≤ 50 ms;
//   2. the whole portfolio's aging + KPIs as of the head (an auditor) — ≤ 100 ms;
//   3. a report as of a random past date: one of aging, KPIs, the overdue ledger's first page, a bucket's
//      drill-down, for a random party or the portfolio — ≤ 300 ms;
//   4. a 24-month DSO/CEI series (the KPIs month by month) for a random seller — ≤ 300 ms.
// Each figure: warm-up runs, then BENCH_RUNS runs (default 20; figure 3 three times as many, so that each kind is
// drawn several times), p50 and p95. One process, one connection pool; runs are sequential (latency, not load).
//   node scripts/bench/reports.ts [--receivables N] [--runs N] [--seed N] [--database sqlite|postgresql|both]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase, type Database } from "../../server/database/client.ts";
import { createReportStore } from "../../server/reports/store.ts";
import { createReportService, BUCKETS, dayOf, isoDay } from "../../server/reports/service.ts";
import type { Viewer } from "../../server/receivables/visibility.ts";
import { Role } from "../../common/roles.ts";
import {
  seedLedgerHistory,
  partyAddress,
  blockHash,
  blockTime,
  mulberry32,
  HEAD_BLOCK,
  DEPLOYMENT_BLOCK,
  T0,
  END_T,
  HISTORY_BUYERS,
  HISTORY_SELLERS,
  HISTORY_FINANCIERS,
  type HistoryStats,
} from "./seed-ledger-history.ts";

const { values: opts } = parseArgs({
  options: {
    receivables: { type: "string", default: process.env["BENCH_RECEIVABLES"] ?? "1000000" },
    runs: { type: "string", default: process.env["BENCH_RUNS"] ?? "20" },
    seed: { type: "string", default: process.env["BENCH_SEED"] ?? "11" },
    database: { type: "string", default: process.env["BENCH_REPORTS_DATABASE"] ?? "both" },
    // An existing database to run on (loaded first when it has no checkpoint; never dropped): the same data set
    // measured before and after a change without loading it again. Its kind comes from the URL.
    "database-url": { type: "string" },
    /** Keep the database loaded here (its URL is printed) instead of dropping it. */
    keep: { type: "boolean", default: false },
  },
});
const COUNT = Number(opts.receivables);
const RUNS = Math.max(20, Number(opts.runs));
const SEED = Number(opts.seed);
const WARMUP = 3;
/** A figure stops after this many seconds of runs (at least BENCH_MIN_RUNS, default 3), so that a slow one cannot take hours: its n says so. */
const BUDGET_S = Number(process.env["BENCH_FIGURE_BUDGET_S"] ?? 180);
const MIN_RUNS = Math.max(1, Number(process.env["BENCH_MIN_RUNS"] ?? 3));
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];
const GIVEN_URL = opts["database-url"];
const KINDS = (
  GIVEN_URL
    ? [GIVEN_URL.startsWith("file:") ? "sqlite" : "postgresql"]
    : opts.database === "both"
      ? ["sqlite", ...(PG_URL ? ["postgresql"] : [])]
      : [opts.database]
) as ("sqlite" | "postgresql")[];
if (KINDS.includes("postgresql") && !PG_URL && !GIVEN_URL) throw new Error("set BENCH_DATABASE_URL_PG (or TEST_DATABASE_URL_PG) for PostgreSQL");

const TARGETS = { party: 50, portfolio: 100, past: 300, series: 300 } as const;
const LABELS = {
  party: "one party's aging + KPIs, as of the head",
  portfolio: "whole portfolio's aging + KPIs, as of the head",
  past: "any report as of a past date",
  series: "24-month DSO/CEI series, one party",
} as const;
type Figure = keyof typeof TARGETS;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

function viewer(address: string, roles: number): Viewer {
  return { address, member: address, roles, active: true, isOperator: false, administrator: true, deskRoles: [], authority: null };
}

async function freshDb(kind: "sqlite" | "postgresql"): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-reports-"));
    return { url: `file:${join(dir, "ledger.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ledger_bench_reports_${process.pid}`;
  return { url: await createPgDatabase(PG_URL!, name), drop: () => dropPgDatabase(PG_URL!, name) };
}

async function benchOne(
  kind: "sqlite" | "postgresql",
): Promise<{ stats: HistoryStats; figures: Record<Figure, { p50: number; p95: number; max: number; n: number }> }> {
  const target = GIVEN_URL ? { url: GIVEN_URL, drop: async () => {} } : await freshDb(kind);
  let db: Database | null = null;
  try {
    await applyMigrations(target.url);
    db = await openDatabase(target.url);
    const loaded = GIVEN_URL ? (await createReportStore(db).checkpoint()) !== null : false;
    const tLoad = performance.now();
    let stats: HistoryStats;
    if (loaded) {
      // Already loaded (by an earlier run with this seed and size): the sizes from the tables.
      const count = async (sql: string) => Number(((await db!.prisma.$queryRawUnsafe(sql)) as { n: unknown }[])[0]!.n);
      const byName = Object.fromEntries(
        ((await db.prisma.$queryRawUnsafe(`SELECT "name", COUNT(*) AS n FROM "LedgerEvent" GROUP BY "name"`)) as { name: string; n: unknown }[]).map((r) => [
          r.name,
          Number(r.n),
        ]),
      );
      stats = {
        receivables: await count(`SELECT COUNT(*) AS n FROM "Receivable"`),
        events: await count(`SELECT COUNT(*) AS n FROM "LedgerEvent"`),
        versions: await count(`SELECT COUNT(*) AS n FROM "ReceivableVersion"`),
        byName,
        headOpen: { amount: -1n, count: -1 },
        seconds: NaN,
      };
      console.log(`\n[${kind}] reusing the data set in ${target.url}`);
    } else {
      console.log(`\n[${kind}] loading ${COUNT} receivables with their histories (seed ${SEED})…`);
      stats = await seedLedgerHistory(db, COUNT, SEED, (s) => process.stdout.write(`\r  ${s}   `));
    }
    if (kind === "postgresql") {
      const c = new pg.Client({ connectionString: target.url });
      await c.connect();
      await c.query("VACUUM ANALYZE");
      await c.end();
    }
    const loadSeconds = loaded ? NaN : (performance.now() - tLoad) / 1000;
    console.log(
      `\n  data set: ${stats.receivables} receivables, ${stats.events} events (${Object.entries(stats.byName)
        .map(([n, c]) => `${n} ${c}`)
        .join(
          ", ",
        )}), ${stats.versions} past versions, ${HISTORY_BUYERS} buyers, ${HISTORY_SELLERS} sellers, ${HISTORY_FINANCIERS} financiers, head block ${HEAD_BLOCK} (${isoDay(dayOf(END_T))}); ${loaded ? "loaded by an earlier run" : `loaded in ${loadSeconds.toFixed(0)} s`}${kind === "postgresql" ? " (+ VACUUM ANALYZE)" : ""}`,
    );

    const service = createReportService({
      store: createReportStore(db),
      block: async (n) => (n >= 0 && n <= HEAD_BLOCK ? { number: n, hash: blockHash(n), timestamp: blockTime(n) } : null),
      deploymentBlock: DEPLOYMENT_BLOCK,
      finalityDepth: 12,
    });
    const rng = mulberry32(SEED + 1);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
    const auditor = viewer(partyAddress("auditor", 0), Role.Auditor);
    const randomParty = () => {
      const k = Math.floor(rng() * 3);
      if (k === 0) return viewer(partyAddress("seller", Math.floor(rng() * HISTORY_SELLERS)), Role.Seller);
      if (k === 1) return viewer(partyAddress("buyer", Math.floor(rng() * HISTORY_BUYERS)), Role.Buyer);
      return viewer(partyAddress("financier", Math.floor(rng() * HISTORY_FINANCIERS)), Role.Financier);
    };
    const page = { limit: 50, offset: 0 };
    const agingKpis = async (v: Viewer, asOf: { asOfDate?: number } = {}) => {
      await service.aging(v, { ...asOf, groupBy: "none", ...page });
      await service.kpis(v, { ...asOf });
    };

    // Sanity: the portfolio's open balance at the head is the generated ledger's.
    const all = await service.aging(auditor, { groupBy: "none", ...page });
    if (loaded) console.log(`  (no check against the generated ledger: the data set was loaded by an earlier run)`);
    else if (BigInt(all.openBalance) !== stats.headOpen.amount || all.openCount !== stats.headOpen.count) {
      throw new Error(
        `portfolio open balance ${all.openBalance} (${all.openCount}) ≠ the generated ledger's ${stats.headOpen.amount} (${stats.headOpen.count})`,
      );
    } else console.log(`  check: the portfolio's open balance at the head is the generated ledger's (${all.openCount} open receivables)`);

    const firstDay = dayOf(T0) + 1;
    const lastDay = dayOf(END_T) - 1;
    const pastKinds = ["aging", "kpis", "overdue", "items"] as const;
    const pastCounts: Record<string, number[]> = {};
    const runs: Record<Figure, { n: number; run: () => Promise<void> }> = {
      party: { n: RUNS, run: () => agingKpis(randomParty()) },
      portfolio: { n: RUNS, run: () => agingKpis(auditor) },
      past: {
        n: RUNS * 3,
        run: async () => {
          const v = rng() < 0.25 ? auditor : randomParty();
          const asOfDate = firstDay + Math.floor(rng() * (lastDay - firstDay));
          const what = pick(pastKinds);
          const t = performance.now();
          if (what === "aging") await service.aging(v, { asOfDate, groupBy: "none", ...page });
          else if (what === "kpis") await service.kpis(v, { asOfDate });
          else if (what === "overdue") await service.overdue(v, { asOfDate, sort: "-daysPastDue", ...page });
          else await service.agingItems(v, { asOfDate, bucket: pick(BUCKETS), ...page });
          (pastCounts[`${what}${v === auditor ? " (portfolio)" : ""}`] ??= []).push(performance.now() - t);
        },
      },
      series: {
        n: RUNS,
        run: async () => void (await service.series(viewer(partyAddress("seller", Math.floor(rng() * HISTORY_SELLERS)), Role.Seller), { months: 24 })),
      },
    };
    const figures = {} as Record<Figure, { p50: number; p95: number; max: number; n: number }>;
    for (const [name, { n, run }] of Object.entries(runs) as [Figure, (typeof runs)[Figure]][]) {
      const started = performance.now();
      for (let i = 0; i < WARMUP && performance.now() - started < BUDGET_S * 250; i++) await run();
      for (const k of Object.keys(pastCounts)) delete pastCounts[k];
      const lat: number[] = [];
      const measured = performance.now();
      for (let i = 0; i < n; i++) {
        if (i >= MIN_RUNS && performance.now() - measured > BUDGET_S * 1000) break;
        const t = performance.now();
        await run();
        lat.push(performance.now() - t);
      }
      figures[name] = { p50: pct(lat, 50), p95: pct(lat, 95), max: Math.max(...lat), n: lat.length };
      const ok = figures[name].p95 <= TARGETS[name] ? "ok" : "OVER";
      console.log(
        `  ${LABELS[name]}: p50 ${figures[name].p50.toFixed(1)} ms, p95 ${figures[name].p95.toFixed(1)} ms, max ${figures[name].max.toFixed(1)} ms over ${lat.length} runs${lat.length < n ? ` (stopped at the ${BUDGET_S} s budget)` : ""} (target p95 ≤ ${TARGETS[name]} ms: ${ok})`,
      );
      if (name === "past") {
        for (const [k, xs] of Object.entries(pastCounts).sort())
          console.log(`      ${k}: p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms over ${xs.length}`);
      }
    }
    return { stats: { ...stats, seconds: loadSeconds }, figures };
  } finally {
    await db?.close();
    if (opts.keep) console.log(`  kept: --database-url ${target.url}`);
    else await target.drop();
  }
}

const results: Partial<Record<"sqlite" | "postgresql", Awaited<ReturnType<typeof benchOne>>>> = {};
for (const kind of KINDS) results[kind] = await benchOne(kind);

console.log(`\nSUMMARY reports, ${COUNT} receivables (seed ${SEED}), p50 / p95 in ms over ≥ ${RUNS} runs after ${WARMUP} warm-up runs`);
for (const kind of KINDS) {
  const s = results[kind]!.stats;
  console.log(
    `  ${kind}: ${s.receivables} receivables, ${s.events} events, ${s.versions} past versions, ${HISTORY_BUYERS} buyers, ${HISTORY_SELLERS} sellers; ${Number.isNaN(s.seconds) ? "loaded by an earlier run" : `load ${s.seconds.toFixed(0)} s`}`,
  );
}
const head = ["figure", "target p95", ...KINDS.map((k) => `${k} p50 / p95`)];
const rows = (Object.keys(TARGETS) as Figure[]).map((f) => [
  LABELS[f],
  `≤ ${TARGETS[f]}`,
  ...KINDS.map((k) => {
    const x = results[k]!.figures[f];
    return `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}${x.p95 <= TARGETS[f] ? "" : " (over)"}${x.n < RUNS ? ` n=${x.n}` : ""}`;
  }),
]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
