// Report export benchmark (npm run bench:export): an overdue ledger of BENCH_EXPORT_ROWS open, past-due
// receivables (default 100,000: the export's cap) loaded straight into the tables of a fresh database (SQLite, or
// PostgreSQL with BENCH_EXPORT_DATABASE=postgresql and BENCH_DATABASE_URL_PG / TEST_DATABASE_URL_PG), a real local
// chain for the as-of block, the server in this process; then BENCH_RUNS (default 5) downloads of the whole
// ledger's overdue export (auditor) per format: median and p95 of the time to the last byte, the file's size and
// the process's peak RSS. The client only reads the bytes; the time is the server's paging, encoding and sending.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex } from "viem";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";
import { startChain, deployFresh } from "../local-chain.ts";
import { login, addressOf } from "../lib/dev-accounts.ts";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase } from "../../server/database/client.ts";
import { bulkLoadReceivables } from "../../server/receivables/indexing.ts";
import { bulkLoadMembers } from "../../server/members/indexing.ts";
import type { ReceivableState } from "../../server/receivables/projection.ts";
import { startServer } from "../../server/main.ts";
import { STATUS } from "../../common/lifecycle.ts";
import { Role } from "../../common/roles.ts";
import { DAY_S } from "../../common/units.ts";

const ROWS = Number(process.env["BENCH_EXPORT_ROWS"] ?? 100_000);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];
const KIND = (process.env["BENCH_EXPORT_DATABASE"] ?? "sqlite") as "sqlite" | "postgresql";
const PER_BLOCK = 1_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
/** One JSON-RPC call on its own connection (a pooled keep-alive socket would go stale while the rows load). */
const rpc = (url: string, method: string, params: unknown[]) =>
  new Promise<any>((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve(JSON.parse(text).result));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }));
  });

const chain = await startChain();
let dropDb = async () => {};
try {
  const deployment = await deployFresh(chain.rpcUrl);
  // enough blocks for the rows' registration blocks (PER_BLOCK a block), so the as-of head covers every row
  await rpc(chain.rpcUrl, "hardhat_mine", ["0x" + (Math.ceil(ROWS / PER_BLOCK) + 10).toString(16)]);
  const head = await rpc(chain.rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  const headBlock = Number(head.number);
  const now = Number(head.timestamp);
  let databaseUrl: string;
  if (KIND === "postgresql") {
    if (!PG_URL) throw new Error("set BENCH_DATABASE_URL_PG (or TEST_DATABASE_URL_PG)");
    const name = `ledger_bench_export_${process.pid}`;
    databaseUrl = await createPgDatabase(PG_URL, name);
    dropDb = () => dropPgDatabase(PG_URL, name);
  } else {
    const dir = mkdtempSync(join(tmpdir(), "bench-export-"));
    databaseUrl = `file:${join(dir, "ledger.db")}`;
    dropDb = async () => rmSync(dir, { recursive: true, force: true });
  }

  // ROWS open receivables, every one past due (1..365 days), 200 buyers, 50 sellers, a fifth held by a financier
  const t0 = Date.now();
  await applyMigrations(databaseUrl);
  const db = await openDatabase(databaseUrl);
  const party = (kind: string, i: number) => ("0x" + keccak256(toHex(`${kind}:${i}`)).slice(26)).toLowerCase();
  const start = Number(deployment.deploymentBlock) + 1;
  try {
    for (let from = 0; from < ROWS; from += 25_000) {
      const states: ReceivableState[] = [];
      for (let i = from; i < Math.min(ROWS, from + 25_000); i++) {
        const face = BigInt(1_000 + ((i * 7919) % 1_000_000)) * 1_000_000n;
        const paid = i % 3 === 0 ? face / 4n : 0n;
        const seller = party("seller", i % 50);
        const block = start + Math.floor(i / PER_BLOCK);
        states.push({
          id: keccak256(toHex(`export:${i}`)),
          seller,
          buyer: party("buyer", i % 200),
          holder: i % 5 === 0 ? party("financier", i % 7) : seller,
          status: i % 11 === 0 ? STATUS.Defaulted : STATUS.Confirmed,
          faceAmount: face,
          paid,
          outstanding: face - paid,
          issueDate: now - (60 + (i % 365)) * DAY_S,
          dueDate: now - (1 + (i % 365)) * DAY_S,
          documentHash: keccak256(toHex(`doc:${i}`)),
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
          parentId: null,
          lockedBy: null,
          listed: false,
          registeredBlock: block,
          registeredTx: keccak256(toHex(`tx:${i}`)),
          updatedBlock: block,
        });
      }
      await bulkLoadReceivables(db, states, { chainId: 31337, blockNumber: headBlock, blockHash: head.hash, headBlock });
    }
    await bulkLoadMembers(db, [
      { address: addressOf(7).toLowerCase(), roles: Role.Auditor, expiresAt: now + 365 * DAY_S, suspended: false, admittedAtBlock: 1, updatedAtBlock: 1 },
    ]);
  } finally {
    await db.close();
  }
  console.log(`${KIND}: ${ROWS} overdue receivables loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s (as of block ${headBlock})`);

  const server = await startServer({ databaseUrl, rpcUrl: chain.rpcUrl, deployment: deployment as any, port: 0, log: () => {} });
  try {
    const token = await login(server.url, 7);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    for (const format of ["csv", "xlsx"] as const) {
      const ms: number[] = [];
      let bytes = 0;
      for (let run = 0; run < RUNS; run++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/api/reports/export/overdue.${format}`, { headers: { authorization: `Bearer ${token}` } });
        const body = Buffer.from(await res.arrayBuffer());
        ms.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`export ${format}: ${res.status} ${body.toString().slice(0, 300)}`);
        bytes = body.length;
      }
      console.log(
        `overdue.${format}, ${ROWS} rows (${KIND}): median ${(pct(ms, 50) / 1000).toFixed(2)} s, p95 ${(pct(ms, 95) / 1000).toFixed(2)} s over ${RUNS} runs; ${(bytes / 1e6).toFixed(1)} MB`,
      );
    }
    clearInterval(sampler);
    console.log(`peak RSS of the process (server + benchmark) ${(peakRss / 1e6).toFixed(0)} MB`);
  } finally {
    await server.close();
  }
} finally {
  await dropDb();
  await chain.stop();
}
