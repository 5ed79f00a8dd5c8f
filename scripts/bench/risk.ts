// Early-warning benchmark (npm run bench:risk): is the late-payment model any good, and is re-scoring fast enough?
//  1. Quality. A generator of synthetic payment histories (seeded PRNG, BENCH_RISK_SEED) with buyers whose
//     behaviour drifts — half stable, a quarter slowly deteriorating, a quarter improving, noise on every invoice —
//     is loaded straight into the ledger's tables (Receivable, ReceivableVersion, LedgerEvent, block times). The
//     model is trained on snapshots of an earlier period (features as of days 150–350, outcomes as of day 400) and
//     evaluated on a later one (snapshots at days 500 and 580, outcomes as of day 720), all through the server's
//     own SQL features and its own fit. Prints AUC (rank / Mann–Whitney) and calibration per decile.
//     `--write` writes the fitted coefficients to server/risk/coefficients.ts (the defaults a fresh install uses).
//  2. Speed. A book of BENCH_RISK_OPEN open receivables (default 1,000,000) over 20,000 buyers with 20 settled
//     invoices of history each: time to re-score all of them, and one buyer's re-score (median / p95 of 20).
// On SQLite, and on PostgreSQL too when TEST_DATABASE_URL_PG (or BENCH_DATABASE_URL_PG) is set (a database created
// and dropped here). BENCH_RISK_SKIP_SPEED=1 runs only the quality part, BENCH_RISK_SKIP_QUALITY=1 only the speed part.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase, toDbAmount, type Database } from "../../server/database/client.ts";
import { insertRows, chunks } from "../../server/database/bulk-insert.ts";
import { RECEIVABLE_COLUMNS } from "../../server/receivables/rows.ts";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";
import { createRiskStore } from "../../server/risk/store.ts";
import { createRiskService } from "../../server/risk/service.ts";
import { DEFAULT_MODEL } from "../../server/risk/coefficients.ts";
import { fitLogistic, auc, calibration, sigmoid, FEATURES, type LogisticModel } from "../../server/risk/model.ts";
import { STATUS } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";

const SEED = Number(process.env["BENCH_RISK_SEED"] ?? 12);
const OPEN_COUNT = Number(process.env["BENCH_RISK_OPEN"] ?? 1_000_000);
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];
const WRITE = process.argv.includes("--write");
const GRACE = 5;
const T0 = Math.floor(Date.UTC(2025, 0, 1) / 1000);
/** One block a day: block b is day b − 1, at noon UTC. */
const blockOf = (day: number) => day + 1;
const timeOf = (block: number) => T0 + (block - 1) * DAY_S + 12 * 3600;

// ─────────────────────────────────────────────── seeded PRNG ──
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const expo = (mean: number) => -Math.log(1 - rand()) * mean;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const hex = (prefix: string, i: number, width = 40) => "0x" + prefix + i.toString(16).padStart(width - prefix.length, "0");

// ─────────────────────────────────────────────── synthetic ledger ──
interface Book {
  current: unknown[][];
  versions: unknown[][];
  events: unknown[][];
  blocks: Set<number>;
}

function newBook(): Book {
  return { current: [], versions: [], events: [], blocks: new Set() };
}

const logIndex = new Map<number, number>();
function event(book: Book, block: number, name: string, id: string) {
  const li = logIndex.get(block) ?? 0;
  logIndex.set(block, li + 1);
  book.events.push([
    31337,
    block,
    0,
    li,
    "0x" + block.toString(16).padStart(64, "0"),
    "0x" + (block * 100000 + li).toString(16).padStart(64, "0"),
    "ledger",
    name,
    id,
    null,
    "{}",
  ]);
}

interface Invoice {
  id: string;
  seller: string;
  buyer: string;
  face: bigint;
  issueDay: number;
  dueDay: number;
}

/**
 * Writes an invoice's life into the book: its states (current row + the undo log's versions) and its events, up to
 * `headDay`. `steps` are (day, event, status after, outstanding after) in order.
 */
function writeInvoice(book: Book, inv: Invoice, steps: { day: number; name: string; status: number; outstanding: bigint; face?: bigint }[], headDay: number) {
  const states: { block: number; status: number; outstanding: bigint; face: bigint }[] = [];
  let face = inv.face;
  for (const s of steps) {
    if (s.day > headDay) break;
    if (s.face !== undefined) face = s.face;
    const block = blockOf(s.day);
    event(book, block, s.name, inv.id);
    if (states.length && states[states.length - 1]!.block === block) states[states.length - 1] = { block, status: s.status, outstanding: s.outstanding, face };
    else states.push({ block, status: s.status, outstanding: s.outstanding, face });
    if (s.name !== "ReceivableRegistered" && s.name !== "ReceivableConfirmed" && s.name !== "ReceivableDisputed" && s.name !== "CreditNoteIssued")
      book.blocks.add(block);
  }
  const registered = states[0]!.block;
  const row = (st: (typeof states)[number]) => [
    inv.id,
    inv.seller,
    inv.buyer,
    inv.seller,
    st.status,
    toDbAmount(st.face),
    toDbAmount(st.face - st.outstanding > 0n ? st.face - st.outstanding : 0n),
    toDbAmount(st.outstanding),
    inv.issueDay * DAY_S + T0,
    inv.dueDay * DAY_S + T0 + 12 * 3600,
    "0x" + "d".repeat(64),
    0,
    0,
    0,
    GRACE,
    null,
    null,
    false,
    registered,
    "0x" + "e".repeat(64),
  ];
  for (let i = 0; i < states.length - 1; i++) book.versions.push([...row(states[i]!), states[i]!.block, states[i + 1]!.block]);
  book.current.push([...row(states[states.length - 1]!), states[states.length - 1]!.block]);
}

/** Buyers whose lateness propensity θ drifts over the days: stable, deteriorating or improving, plus noise. */
function generateHistory(buyers: number, days: number) {
  const book = newBook();
  const sellers = Array.from({ length: 60 }, (_, i) => hex("5e11", i));
  let n = 0;
  const kinds = { stable: 0, deteriorating: 0, improving: 0 };
  for (let b = 0; b < buyers; b++) {
    const buyer = hex("b0", b);
    const u = rand();
    const kind = u < 0.5 ? "stable" : u < 0.75 ? "deteriorating" : "improving";
    kinds[kind]++;
    const theta0 = normal() * 0.9 + (kind === "improving" ? 1.2 : 0);
    const slope = kind === "deteriorating" ? 2.4 : kind === "improving" ? -2.4 : 0;
    const typical = Math.exp(11 + normal());
    const gap = 3 + rand() * 8;
    let walk = 0;
    for (let day = Math.floor(rand() * gap); day < days; day += Math.max(1, Math.round(expo(gap)))) {
      walk = 0.97 * walk + 0.15 * normal();
      const term = pick([30, 45, 60, 90]);
      const dueDay = day + term;
      const theta = theta0 + slope * (dueDay / days) + walk;
      const ratio = Math.exp(normal() * 0.6 + (rand() < 0.05 ? 1.5 : 0));
      const face = BigInt(Math.max(1, Math.round(typical * ratio))) * 1_000_000n;
      const inv: Invoice = { id: "0x" + (++n).toString(16).padStart(64, "0"), seller: pick(sellers), buyer, face, issueDay: day, dueDay };
      const pLate = sigmoid(-1.3 + 1.9 * theta + 0.35 * Math.log(ratio) + 0.012 * (term - 45) + 0.3 * normal());
      const late = rand() < pLate;
      const steps: { day: number; name: string; status: number; outstanding: bigint; face?: bigint }[] = [
        { day, name: "ReceivableRegistered", status: STATUS.Registered, outstanding: face },
      ];
      if (rand() < sigmoid(-3.2 + 0.9 * theta)) {
        steps.push({ day: day + 1, name: "ReceivableDisputed", status: STATUS.Disputed, outstanding: face });
        if (rand() < 0.3) {
          steps.push({ day: day + 4, name: "ReceivableCancelled", status: STATUS.Cancelled, outstanding: face });
          writeInvoice(book, inv, steps, days);
          continue;
        }
        steps.push({ day: day + 4, name: "ReceivableConfirmed", status: STATUS.Confirmed, outstanding: face });
      } else steps.push({ day: day + 1, name: "ReceivableConfirmed", status: STATUS.Confirmed, outstanding: face });
      let owed = face;
      if (rand() < 0.06 + 0.04 * Math.max(0, theta)) {
        owed = (face * 9n) / 10n;
        steps.push({ day: day + 6, name: "CreditNoteIssued", status: STATUS.Confirmed, outstanding: face });
        steps.push({ day: day + 7, name: "CreditNoteAccepted", status: STATUS.Confirmed, outstanding: owed, face: owed });
      }
      const payDay = late
        ? dueDay + GRACE + 1 + Math.round(expo(6 + 10 * Math.max(0, theta)))
        : Math.max(day + 8, dueDay - Math.round(rand() * 12) + Math.round(rand() * GRACE));
      if (late && theta > 1 && rand() < 0.25) steps.push({ day: dueDay + 30, name: "ReceivableDefaulted", status: STATUS.Defaulted, outstanding: owed });
      const defaulted = steps[steps.length - 1]!.status === STATUS.Defaulted;
      if (rand() < sigmoid(-2.2 + 0.8 * theta)) {
        const first = owed / 2n;
        steps.push({
          day: Math.min(payDay - 1, Math.max(day + 8, payDay - 10)),
          name: "ReceivablePaid",
          status: defaulted ? STATUS.Defaulted : STATUS.Confirmed,
          outstanding: owed - first,
        });
      }
      steps.push({ day: Math.max(payDay, defaulted ? dueDay + 31 : 0), name: "ReceivablePaid", status: STATUS.Paid, outstanding: 0n });
      steps.sort((a, b) => a.day - b.day);
      writeInvoice(book, inv, steps, days);
    }
  }
  return { book, kinds, invoices: n };
}

async function load(db: Database, book: Book, head: number) {
  await db.prisma.$transaction(
    async (tx) => {
      for (const part of chunks(book.current, 20_000))
        await insertRows(
          db,
          tx,
          "Receivable",
          [...RECEIVABLE_COLUMNS, "updatedBlock"],
          part.map((r) => r.map((v) => (typeof v === "boolean" && db.provider === "sqlite" ? (v ? 1 : 0) : v))),
          "",
        );
      for (const part of chunks(book.versions, 20_000))
        await insertRows(
          db,
          tx,
          "ReceivableVersion",
          [...RECEIVABLE_COLUMNS, "validFrom", "validTo"],
          part.map((r) => r.map((v) => (typeof v === "boolean" && db.provider === "sqlite" ? (v ? 1 : 0) : v))),
          "",
        );
      for (const part of chunks(book.events, 20_000))
        await insertRows(
          db,
          tx,
          "LedgerEvent",
          ["chainId", "blockNumber", "transactionIndex", "logIndex", "blockHash", "transactionHash", "contract", "name", "receivableId", "member", "args"],
          part,
          "",
        );
      const blocks = [...book.blocks, head].map((b) => [b, timeOf(b)]);
      for (const part of chunks(blocks, 20_000)) await insertRows(db, tx, "RiskBlockTime", ["number", "timestamp"], part, `ON CONFLICT ("number") DO NOTHING`);
      await tx.indexerCheckpoint.upsert({
        where: { id: 1 },
        create: { id: 1, chainId: 31337, blockNumber: head, blockHash: "0x" + head.toString(16).padStart(64, "0"), headBlock: head, updatedAt: new Date() },
        update: { blockNumber: head, headBlock: head },
      });
    },
    { timeout: 3_600_000, maxWait: 60_000 },
  );
}

function service(db: Database, head: number, model: LogisticModel) {
  return createRiskService({
    store: createRiskStore(db),
    model,
    graceDays: GRACE,
    head: async () => head,
    blockTime: async (n) => timeOf(n),
    limits: async () => new Map(),
  });
}

async function withDatabase<T>(kind: "sqlite" | "postgresql", fn: (db: Database) => Promise<T>): Promise<T> {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-risk-"));
    url = `file:${join(dir, "ledger.db")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `bench_risk_${process.pid}_${Date.now()}`;
    url = await createPgDatabase(PG_URL!, name);
    drop = () => dropPgDatabase(PG_URL!, name);
  }
  try {
    await applyMigrations(url, () => {});
    const db = await openDatabase(url);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    await drop();
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))]!;

async function quality(kind: "sqlite" | "postgresql") {
  logIndex.clear();
  const DAYS = 720;
  const t0 = performance.now();
  const { book, kinds, invoices } = generateHistory(Number(process.env["BENCH_RISK_BUYERS"] ?? 400), DAYS);
  return await withDatabase(kind, async (db) => {
    const head = blockOf(DAYS);
    await load(db, book, head);
    console.log(
      `[${kind}] quality: ${invoices} invoices of ${kinds.stable + kinds.deteriorating + kinds.improving} buyers (${kinds.stable} stable, ${kinds.deteriorating} deteriorating, ${kinds.improving} improving), ${book.events.length} events, seed ${SEED}; generated and loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const risk = service(db, head, DEFAULT_MODEL);
    const train = { rows: [] as number[][], labels: [] as (0 | 1)[] };
    for (const day of [150, 200, 250, 300, 350]) {
      const s = await risk.trainingSet(blockOf(day), blockOf(400));
      train.rows.push(...s.rows);
      train.labels.push(...s.labels);
    }
    const test = { rows: [] as number[][], labels: [] as (0 | 1)[] };
    for (const day of [500, 580]) {
      const s = await risk.trainingSet(blockOf(day), head);
      test.rows.push(...s.rows);
      test.labels.push(...s.labels);
    }
    const t1 = performance.now();
    const fit = fitLogistic(train.rows, train.labels);
    const fitMs = performance.now() - t1;
    const model: LogisticModel = {
      version: `bench-risk-seed${SEED}`,
      madeBy: "",
      graceDays: GRACE,
      features: fit.features,
      mean: fit.mean,
      std: fit.std,
      intercept: fit.intercept,
      weights: fit.weights,
    };
    const predict = (row: number[]) => sigmoid(model.intercept + row.reduce((s, v, i) => s + model.weights[i]! * ((v - model.mean[i]!) / model.std[i]!), 0));
    const pTest = test.rows.map(predict);
    const aucTest = auc(pTest, test.labels)!;
    const aucTrain = auc(train.rows.map(predict), train.labels)!;
    const aucDefault = auc(
      test.rows.map((r) =>
        sigmoid(DEFAULT_MODEL.intercept + r.reduce((s, v, i) => s + DEFAULT_MODEL.weights[i]! * ((v - DEFAULT_MODEL.mean[i]!) / DEFAULT_MODEL.std[i]!), 0)),
      ),
      test.labels,
    )!;
    const lateShare = (ls: (0 | 1)[]) => ls.reduce<number>((s, l) => s + l, 0) / ls.length;
    console.log(
      `[${kind}] train: ${train.rows.length} receivables (snapshots days 150–350, outcomes by day 400), late share ${lateShare(train.labels).toFixed(3)}; fit ${fit.iterations} Newton iterations in ${fitMs.toFixed(0)} ms`,
    );
    console.log(
      `[${kind}] test:  ${test.rows.length} receivables (snapshots days 500, 580, outcomes by day 720), late share ${lateShare(test.labels).toFixed(3)}`,
    );
    console.log(
      `[${kind}] AUC on the later period: ${aucTest.toFixed(4)} (target ≥ 0.85; on the training period ${aucTrain.toFixed(4)}; the shipped default coefficients ${DEFAULT_MODEL.version}: ${aucDefault.toFixed(4)})`,
    );
    console.log(`[${kind}] calibration by decile of predicted probability (later period):`);
    console.log("  decile  count  predicted  observed");
    for (const c of calibration(pTest, test.labels))
      console.log(
        `  ${String(c.bin).padStart(6)}  ${String(c.count).padStart(5)}  ${c.predicted.toFixed(3).padStart(9)}  ${c.observed.toFixed(3).padStart(8)}`,
      );
    console.log(
      `[${kind}] coefficients (standardized): intercept ${model.intercept.toFixed(3)}; ` +
        FEATURES.map((f, i) => `${f} ${model.weights[i]!.toFixed(3)}`).join(", "),
    );
    model.madeBy = `npm run bench:risk -- --write: fitted by server/risk/model.ts (Newton/IRLS, ridge 1) on ${train.rows.length} synthetic receivables of scripts/bench/risk.ts (seed ${SEED}; features as of days 150, 200, 250, 300, 350, outcomes by day 400; grace ${GRACE} days)`;
    model.metrics = { auc: Math.round(aucTest * 10_000) / 10_000, trainRows: train.rows.length, testRows: test.rows.length };
    return model;
  });
}

/** 1M open receivables over 20,000 buyers (50 each) with 20 settled invoices of history per buyer. */
async function speed(kind: "sqlite" | "postgresql", model: LogisticModel) {
  logIndex.clear();
  const BUYERS = 20_000;
  const perBuyer = Math.ceil(OPEN_COUNT / BUYERS);
  const DAYS = 400;
  const head = blockOf(DAYS);
  return await withDatabase(kind, async (db) => {
    const t0 = performance.now();
    let n = 0;
    let loaded = 0;
    for (let b0 = 0; b0 < BUYERS; b0 += 2_000) {
      const book = newBook();
      for (let b = b0; b < Math.min(BUYERS, b0 + 2_000); b++) {
        const buyer = hex("b1", b);
        const theta = normal();
        for (let i = 0; i < 20; i++) {
          const day = 10 + i * 15;
          const inv: Invoice = {
            id: "0x" + (++n).toString(16).padStart(64, "0"),
            seller: hex("5e11", b % 500),
            buyer,
            face: BigInt(1_000 + Math.floor(rand() * 100_000)) * 1_000_000n,
            issueDay: day,
            dueDay: day + 30,
          };
          const pay = day + 30 + (rand() < sigmoid(theta) ? 6 + Math.round(expo(10)) : -Math.round(rand() * 5));
          writeInvoice(
            book,
            inv,
            [
              { day, name: "ReceivableRegistered", status: STATUS.Registered, outstanding: inv.face },
              { day: day + 1, name: "ReceivableConfirmed", status: STATUS.Confirmed, outstanding: inv.face },
              { day: pay, name: "ReceivablePaid", status: STATUS.Paid, outstanding: 0n },
            ],
            DAYS,
          );
        }
        for (let i = 0; i < perBuyer && loaded < OPEN_COUNT; i++, loaded++) {
          const day = DAYS - 60 + Math.floor(rand() * 60);
          const inv: Invoice = {
            id: "0x" + (++n).toString(16).padStart(64, "0"),
            seller: hex("5e11", (b + i) % 500),
            buyer,
            face: BigInt(1_000 + Math.floor(rand() * 100_000)) * 1_000_000n,
            issueDay: day,
            dueDay: day + pick([30, 60, 90]),
          };
          // open ones: only their current row (registered and confirmed at issue; no events the features read)
          book.current.push([
            inv.id,
            inv.seller,
            inv.buyer,
            inv.seller,
            STATUS.Confirmed,
            toDbAmount(inv.face),
            toDbAmount(0n),
            toDbAmount(inv.face),
            T0 + day * DAY_S,
            T0 + inv.dueDay * DAY_S,
            "0x" + "d".repeat(64),
            0,
            0,
            0,
            GRACE,
            null,
            null,
            false,
            blockOf(day),
            "0x" + "e".repeat(64),
            blockOf(day),
          ]);
        }
      }
      await load(db, book, head);
    }
    console.log(
      `[${kind}] speed: ${loaded} open receivables and ${BUYERS * 20} settled ones of ${BUYERS} buyers loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    const risk = service(db, head, model);
    const t1 = performance.now();
    const all = await risk.rescore(null);
    const fullS = (performance.now() - t1) / 1000;
    console.log(
      `[${kind}] re-score of every open receivable: ${all.receivables} receivables of ${all.buyers} buyers in ${fullS.toFixed(1)} s (target ≤ 120 s); phases ${JSON.stringify(all.timings)}`,
    );
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const buyer = hex("b1", Math.floor(rand() * BUYERS));
      const t = performance.now();
      await risk.rescore([buyer]);
      if (i > 0) times.push(performance.now() - t);
    }
    console.log(
      `[${kind}] one buyer's re-score (~${perBuyer} open + 20 settled receivables): median ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms over ${times.length} buyers (target ≤ 50 ms)`,
    );
  });
}

const kinds: ("sqlite" | "postgresql")[] = PG_URL && process.env["BENCH_RISK_DATABASE"] !== "sqlite" ? ["sqlite", "postgresql"] : ["sqlite"];
let model: LogisticModel | null = null;
for (const kind of process.env["BENCH_RISK_SKIP_QUALITY"] === "1" ? [] : kinds) {
  const m = await quality(kind);
  model ??= m;
}
if (WRITE && model) {
  const file = join(import.meta.dirname, "..", "..", "server", "risk", "coefficients.ts");
  writeFileSync(
    file,
    `// Default coefficients of the late-payment model, so a fresh install scores without training. Written by\n` +
      `// \`npm run bench:risk -- --write\` (scripts/bench/risk.ts): ${model.madeBy}.\n` +
      `// AUC ${model.metrics?.auc} on the later period (${model.metrics?.testRows} receivables). Retrain from the ledger's own history with\n` +
      `// \`node scripts/risk-train.ts\`.\n` +
      `import type { LogisticModel } from "./model.ts";\n\n` +
      `export const DEFAULT_MODEL: LogisticModel = ${JSON.stringify({ ...model, mean: model.mean.map((x) => +x.toPrecision(8)), std: model.std.map((x) => +x.toPrecision(8)), intercept: +model.intercept.toPrecision(8), weights: model.weights.map((x) => +x.toPrecision(8)) }, null, 2)};\n`,
  );
  console.log(`wrote ${file}`);
}
if (process.env["BENCH_RISK_SKIP_SPEED"] !== "1") for (const kind of kinds) await speed(kind, model ?? DEFAULT_MODEL);
