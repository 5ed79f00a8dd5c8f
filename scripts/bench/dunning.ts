// Dunning benchmark (npm run bench:dunning): BENCH_RECEIVABLES open receivables (default 100,000) loaded directly
// into the tables (the receivables' bulk load, no chain) of 20 creditors and 50 buyers, all confirmed and due
// between 10 days ahead and 90 days ago, a customer (tier, e-mail, language) per creditor × buyer, then dunning
// runs of the real engine against the real outbox:
//   - the first run: opens every case, decides every level and enqueues its messages (decide + enqueue time);
//   - BENCH_RUNS more runs (default 3) over the same facts (nothing new to decide): median and max.
// On SQLite (a temp file) and on PostgreSQL when BENCH_DATABASE_URL_PG or TEST_DATABASE_URL_PG is set
// (BENCH_DATABASES=sqlite|postgresql|both narrows it). Block times come from a stub (one day for the whole run).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex } from "viem";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase } from "../../server/database/client.ts";
import { bulkLoadReceivables } from "../../server/receivables/indexing.ts";
import { openAsOf, statesAsOf } from "../../server/receivables/store.ts";
import type { ReceivableState } from "../../server/receivables/projection.ts";
import { createOutboxStore } from "../../server/notifications/store.ts";
import { createCollectionStore } from "../../server/collections/store.ts";
import { createDunningEngine } from "../../server/collections/engine.ts";
import { STATUS } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";

const COUNT = Number(process.env["BENCH_RECEIVABLES"] ?? 100_000);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const CREDITORS = 20;
const BUYERS = 50;
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];
const WHICH = process.env["BENCH_DATABASES"] ?? (PG_URL ? "both" : "sqlite");

const addr = (kind: string, i: number) => ("0x" + keccak256(toHex(`${kind}:${i}`)).slice(26)).toLowerCase();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function bench(kind: "sqlite" | "postgresql") {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-dunning-"));
    url = `file:${join(dir, "ledger.db")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `bench_dunning_${process.pid}`;
    url = await createPgDatabase(PG_URL!, name, "");
    drop = () => dropPgDatabase(PG_URL!, name);
  }
  try {
    await applyMigrations(url, () => {});
    const db = await openDatabase(url);
    const today = Math.floor(Date.now() / 1000 / DAY_S);
    const t0 = performance.now();
    for (let start = 0; start < COUNT; start += 25_000) {
      const states: ReceivableState[] = [];
      for (let i = start; i < Math.min(COUNT, start + 25_000); i++) {
        const face = BigInt(1_000 + ((i * 7919) % 500_000)) * 1_000_000n;
        const creditor = addr("creditor", i % CREDITORS);
        states.push({
          id: keccak256(toHex(`dunning-bench:${i}`)),
          seller: creditor,
          buyer: addr("buyer", i % BUYERS),
          holder: creditor,
          status: STATUS.Confirmed,
          faceAmount: face,
          paid: 0n,
          outstanding: face,
          issueDate: (today - 120) * DAY_S,
          dueDate: (today + 10 - (i % 100)) * DAY_S + 43_200,
          documentHash: keccak256(toHex(`doc:${i}`)),
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
          parentId: null,
          lockedBy: null,
          listed: false,
          registeredBlock: 1 + Math.floor(i / 100),
          registeredTx: keccak256(toHex(`tx:${i}`)),
          updatedBlock: 1 + Math.floor(i / 100),
        });
      }
      await bulkLoadReceivables(db, states, {
        chainId: 31337,
        blockNumber: 1 + Math.floor(COUNT / 100),
        blockHash: "0xbench",
        headBlock: 1 + Math.floor(COUNT / 100),
      });
    }
    const store = createCollectionStore(db);
    const tiers = ["A", "B", "C"] as const;
    for (let c = 0; c < CREDITORS; c++) {
      for (let b = 0; b < BUYERS; b++) {
        await store.putCustomer(
          { creditor: addr("creditor", c), buyer: addr("buyer", b), tier: tiers[b % 3]!, email: `ap${b}@buyer.example`, language: b % 2 ? "zh-CN" : "en" },
          "bench",
          new Date(),
        );
      }
    }
    const loadS = (performance.now() - t0) / 1000;
    const outbox = createOutboxStore(db, { messageIdDomain: "bench.invalid" });
    const engine = createDunningEngine({
      store,
      outbox,
      finalityDepth: 0,
      deploymentBlock: 0,
      currency: "USD",
      log: () => {},
      checkpoint: async () => ({ number: 1 + Math.floor(COUNT / 100), hash: "0xbench", headBlock: 1 + Math.floor(COUNT / 100) }),
      blockTime: async () => today * DAY_S + 36_000,
      openAsOf: (block, q) => openAsOf(db, block, q),
      statesAsOf: (block, ids) => statesAsOf(db, block, ids),
      invoiceNumber: async () => null,
      creditorName: async (a) => a,
    });
    const f0 = performance.now();
    const first = await engine.run();
    const firstS = (performance.now() - f0) / 1000;
    const again: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a0 = performance.now();
      const s = await engine.run();
      again.push((performance.now() - a0) / 1000);
      if (s!.levelsDecided !== 0) throw new Error(`a repeated run decided ${s!.levelsDecided} levels`);
    }
    const messages = (await outbox.list({ limit: 1 })).length ? first!.messagesEnqueued : 0;
    console.log(
      `${kind}: ${COUNT} open receivables (load ${loadS.toFixed(1)} s); first run ${firstS.toFixed(1)} s: ${first!.casesOpened} cases, ${first!.levelsDecided} levels decided, ${messages} messages enqueued, ${first!.feesCharged} fees` +
        ` (${(first!.levelsDecided / firstS).toFixed(0)} levels/s); repeated runs (nothing new) median ${median(again).toFixed(1)} s, max ${Math.max(...again).toFixed(1)} s over ${RUNS}`,
    );
    await db.close();
  } finally {
    await drop();
  }
}

for (const kind of WHICH === "both" ? (["sqlite", "postgresql"] as const) : [WHICH as "sqlite" | "postgresql"]) await bench(kind);
