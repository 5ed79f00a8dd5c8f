// API benchmark (npm run bench:api): a book of BENCH_RECEIVABLES receivables (default 1,000,000) in PostgreSQL
// (BENCH_DATABASE_URL_PG or TEST_DATABASE_URL_PG, a role that may CREATE DATABASE; SQLite when neither is set
// or BENCH_API_DATABASE=sqlite), the server in its own process (node server/main.ts), and an open-loop load
// generator at BENCH_RATE requests/s (default 200) for BENCH_SECONDS (default 20):
//   - filtered, paginated lists (auditor: buyer + status filter sorted by due date, next page by cursor; status +
//     amount range; a buyer's own book sorted by due date): p50/p99;
//   - per-buyer open balance and exposure: p50/p99.
// Latency is measured from each request's scheduled start (no coordinated omission). The generator shares the
// machine with the server and PostgreSQL, so it does no per-request work beyond sending and reading (addresses and
// tokens are computed once, requests go through node:http with keep-alive); its own event-loop delay is printed
// with each phase so that a starved generator is seen rather than counted as server latency.
import { spawn } from "node:child_process";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";
import { startChain, deployFresh } from "../local-chain.ts";
import { login, addressOf } from "../lib/dev-accounts.ts";
import { seedReceivables, seedAddress, SEED_BUYERS } from "./seed-receivables.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const COUNT = Number(process.env["BENCH_RECEIVABLES"] ?? 1_000_000);
const RATE = Number(process.env["BENCH_RATE"] ?? 200);
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 20);
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];
const KIND = (process.env["BENCH_API_DATABASE"] ?? (PG_URL ? "postgresql" : "sqlite")) as "sqlite" | "postgresql";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

// Unlimited sockets: a slow answer never holds back the next scheduled request (open loop). Idle sockets are
// closed after 4 s, before the server's 5 s keep-alive timeout: otherwise a request now and then goes out on a
// socket the server is closing at that moment and fails with ECONNRESET.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4_000 });

/** GET with a bearer token; resolves with the status once the whole body has arrived. */
function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

async function openLoop(name: string, make: (i: number) => { url: string; token: string }, base: string) {
  const lat: number[] = [];
  let errors = 0;
  const total = RATE * SECONDS;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const t0 = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { url, token } = make(i);
    pending.push(
      get(base + url, token)
        .then((status) => {
          if (status !== 200) errors++;
          lat.push(performance.now() - at);
        })
        .catch((err) => {
          if (errors++ === 0) console.log(`${name}: first error: ${(err as Error).message}`);
        }),
    );
  }
  await Promise.all(pending);
  loopDelay.disable();
  const achieved = (lat.length / ((performance.now() - t0) / 1000)).toFixed(0);
  console.log(
    `${name}: ${lat.length} requests at ${RATE}/s (achieved ~${achieved}/s), p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms, errors ${errors}; generator event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  return { p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

const chain = await startChain();
let dropDb = async () => {};
let child: ReturnType<typeof spawn> | null = null;
try {
  const deployment = await deployFresh(chain.rpcUrl);
  const head = await (
    await fetch(chain.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
    })
  ).json();
  let databaseUrl: string;
  if (KIND === "postgresql") {
    if (!PG_URL) throw new Error("set BENCH_DATABASE_URL_PG (or TEST_DATABASE_URL_PG), e.g. $(bash scripts/ci/postgres.sh | tail -1)");
    const name = `ledger_bench_api_${process.pid}`;
    databaseUrl = await createPgDatabase(PG_URL, name);
    dropDb = () => dropPgDatabase(PG_URL, name);
  } else {
    const dir = mkdtempSync(join(tmpdir(), "bench-api-"));
    databaseUrl = `file:${join(dir, "ledger.db")}`;
    dropDb = async () => rmSync(dir, { recursive: true, force: true });
  }
  console.log(`seeding ${COUNT} receivables into ${KIND}…`);
  const seeded = await seedReceivables(databaseUrl, COUNT, {
    chainId: 31337,
    checkpoint: { blockNumber: Number(head.result.number), blockHash: head.result.hash },
    realBuyer: addressOf(3),
    realAuditor: addressOf(7),
    log: (s) => process.stdout.write(`\r${s}   `),
  });
  console.log(`\nseeded in ${seeded.seconds.toFixed(0)} s`);
  if (KIND === "postgresql") {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query("VACUUM ANALYZE");
    await c.end();
  }

  child = spawn(process.execPath, [join(ROOT, "server", "main.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, RPC_URL: chain.rpcUrl, DEPLOYMENT_FILE: deployment.file, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child!.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /API on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.once("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const auditor = await login(base, 7);
  const buyer = await login(base, 3);
  // addressOf derives an HD key (PBKDF2, ~20 ms of CPU): once, never per request.
  const realBuyer = addressOf(3);
  const someBuyer = (i: number) => (i % 7 === 0 ? realBuyer : seedAddress("buyer", 1 + (i % (SEED_BUYERS - 1))));

  // A cursor for "next page" requests.
  const first = await (
    await fetch(`${base}/api/receivables?buyer=${someBuyer(1)}&status=Confirmed&sort=dueDate&limit=50`, { headers: { authorization: `Bearer ${auditor}` } })
  ).json();
  console.log(`sanity: first page ${first.items.length} items, block ${first.block.number}`);
  const cursors = new Map<string, string>();
  for (let i = 0; i < 50; i++) {
    const b = someBuyer(i);
    const r = await (
      await fetch(`${base}/api/receivables?buyer=${b}&status=Confirmed&sort=dueDate&limit=50`, { headers: { authorization: `Bearer ${auditor}` } })
    ).json();
    if (r.nextCursor) cursors.set(b, r.nextCursor);
  }
  const lists = (i: number) => {
    const b = someBuyer(i);
    switch (i % 4) {
      case 0:
        return { url: `/api/receivables?buyer=${b}&status=Confirmed&sort=dueDate&limit=50`, token: auditor };
      case 1:
        return {
          url: `/api/receivables?buyer=${b}&status=Confirmed&sort=dueDate&limit=50${cursors.get(b) ? `&cursor=${cursors.get(b)}` : ""}`,
          token: auditor,
        };
      case 2:
        return { url: `/api/receivables?status=Defaulted&minAmount=500000000000&maxAmount=600000000000&limit=50`, token: auditor };
      default:
        return { url: `/api/receivables?sort=dueDate&limit=50`, token: buyer };
    }
  };
  await openLoop("warm-up", lists, base);
  const list = await openLoop(`filtered paginated list (${COUNT} receivables, ${KIND})`, lists, base);
  const bal = await openLoop(`per-buyer open balance + exposure (${KIND})`, (i) => ({ url: `/api/balances/${someBuyer(i)}`, token: auditor }), base);
  console.log(
    `\nSUMMARY ${KIND} ${COUNT} receivables @ ${RATE} req/s: list p50 ${list.p50.toFixed(1)} ms p99 ${list.p99.toFixed(1)} ms (target ≤ 50); balance p50 ${bal.p50.toFixed(1)} ms p99 ${bal.p99.toFixed(1)} ms (target ≤ 20)`,
  );
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await dropDb();
  await chain.stop();
}
