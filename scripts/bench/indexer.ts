// Indexer benchmark (npm run bench:indexer):
//  1. backfill throughput, cold (empty database), from a local Hardhat node with BENCH_EVENTS ledger events
//     (default 100,000: 70% registrations, 20% confirmations, 10% transfers; BENCH_MIX=0 for registrations only),
//     into SQLite and — when BENCH_DATABASE_URL_PG or TEST_DATABASE_URL_PG names a
//     PostgreSQL server (a role that may CREATE DATABASE) — into PostgreSQL; BENCH_RUNS runs each (default 3),
//     the median reported, plus the bare eth_getLogs time for the same range as the RPC floor;
//  2. head lag: time from a block being mined to its receivable being visible through the API (SSE), p50/p99.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgDatabase, dropPgDatabase } from "../pg-admin.ts";
import { JsonRpcProvider, Contract } from "ethers";
import { DAY_S } from "../../common/units.ts";
import { keccak256, toHex } from "viem";
import { startChain, deployFresh } from "../local-chain.ts";
import { startServer } from "../../server/main.ts";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";
import { seedChain } from "./seed-chain.ts";

const EVENTS = Number(process.env["BENCH_EVENTS"] ?? 100_000);
/** Registrations only (BENCH_MIX=0), or 70% registrations, 20% confirmations, 10% transfers (default). */
const MIX = process.env["BENCH_MIX"] !== "0";
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const LAG_SAMPLES = Number(process.env["BENCH_LAG_SAMPLES"] ?? 100);
const PG_URL = process.env["BENCH_DATABASE_URL_PG"] ?? process.env["TEST_DATABASE_URL_PG"];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function freshDb(kind: "sqlite" | "postgresql"): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-db-"));
    return { url: `file:${join(dir, "ledger.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ledger_bench_${process.pid}_${Date.now()}`;
  return { url: await createPgDatabase(PG_URL!, name), drop: () => dropPgDatabase(PG_URL!, name) };
}

const chain = await startChain();
try {
  const deployment = (await deployFresh(chain.rpcUrl)) as any;
  console.log(`seeding ${EVENTS} ledger events on a local Hardhat node…`);
  const seeded = await seedChain(chain.rpcUrl, deployment, { count: EVENTS, mix: MIX });
  const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
  const head = Number(await provider.send("eth_blockNumber", []));

  // The RPC floor: fetching the same logs (plain fetch + JSON.parse, as the indexer does) in 100-block ranges.
  const rpcTimes: number[] = [];
  const totalLogs = { length: 0 };
  const indexed = Object.values(deployment.contracts as Record<string, string>).filter((a) => a !== deployment.contracts.SettlementToken);
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    let n = 0;
    for (let from = deployment.deploymentBlock; from <= head; from += 100) {
      const res = await fetch(chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "eth_getLogs",
          params: [{ address: indexed, fromBlock: "0x" + from.toString(16), toBlock: "0x" + Math.min(head, from + 99).toString(16) }],
        }),
      });
      n += JSON.parse(await res.text()).result.length;
    }
    totalLogs.length = n;
    rpcTimes.push((performance.now() - t0) / 1000);
  }
  console.log(
    `chain: ${seeded.events} ledger events (${seeded.registered} registrations, ${seeded.confirmed} confirmations, ${seeded.transferred} transfers) in ${seeded.blocks} blocks (${seeded.seconds.toFixed(1)} s to seed), ${totalLogs.length} events of the indexed contracts in total, head ${head}`,
  );
  console.log(
    `eth_getLogs of all ${totalLogs.length} events in 100-block ranges: median ${median(rpcTimes).toFixed(2)} s (${Math.round(totalLogs.length / median(rpcTimes))} events/s: the node's ceiling for a sequential reader)`,
  );

  const results: Record<string, number[]> = {};
  for (const kind of ["sqlite", ...(PG_URL ? ["postgresql"] : [])] as ("sqlite" | "postgresql")[]) {
    results[kind] = [];
    for (let r = 0; r < RUNS; r++) {
      const db = await freshDb(kind);
      const t0 = performance.now();
      const server = await startServer({ databaseUrl: db.url, rpcUrl: chain.rpcUrl, deployment, pollIntervalMs: 50, log: () => {} });
      await server.waitForBlock(head);
      const seconds = (performance.now() - t0) / 1000;
      const timing = (await (await fetch(`${server.url}/health`)).json()).indexer.timing;
      await server.close();
      await db.drop();
      results[kind]!.push(totalLogs.length / seconds);
      console.log(
        `  ${kind} run ${r + 1}: ${totalLogs.length} events in ${seconds.toFixed(2)} s = ${Math.round(totalLogs.length / seconds)} events/s (includes start-up and migrations; rpc ${timing.rpcMs} ms, decode ${timing.decodeMs} ms, write ${timing.writeMs} ms)`,
      );
    }
    console.log(`backfill cold into ${kind}: median ${Math.round(median(results[kind]!))} events/s over ${RUNS} runs`);
  }

  // Head lag, on SQLite: mined → visible through the API (server-sent event naming the receivable).
  {
    const db = await freshDb("sqlite");
    const server = await startServer({ databaseUrl: db.url, rpcUrl: chain.rpcUrl, deployment, log: () => {} });
    await server.waitForBlock(head);
    const { login } = await import("../../test/server/helpers.ts");
    const token = await login(server.url, 7);
    const seenAt = new Map<string, number>();
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    void (async () => {
      let buf = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += new TextDecoder().decode(value);
          const now = performance.now();
          for (const m of buf.matchAll(/0x[0-9a-f]{64}/g)) if (!seenAt.has(m[0])) seenAt.set(m[0], now);
          buf = buf.slice(-200);
        }
      } catch {}
    })();
    const seller = await provider.getSigner(1);
    const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, seller);
    const buyer = await (await provider.getSigner(3)).getAddress();
    const now = Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    const lags: number[] = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      const fingerprint = keccak256(toHex(`lag:${Date.now()}:${i}`));
      const tx = await ledger.getFunction("register")({
        fingerprint,
        documentHash: fingerprint,
        buyer,
        amount: 1_000_000n,
        currency: "0x555344",
        issueDate: now,
        dueDate: now + 30 * DAY_S,
        terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
      });
      await tx.wait();
      const minedAt = performance.now(); // automine: the receipt exists once the block is mined
      const id = fingerprint.toLowerCase();
      while (!seenAt.has(id)) await new Promise((r) => setTimeout(r, 2));
      lags.push(Math.max(0, seenAt.get(id)! - minedAt));
      await new Promise((r) => setTimeout(r, Math.random() * 100));
    }
    ctrl.abort();
    await server.close();
    await db.drop();
    console.log(
      `head lag (mined → visible via the API, SQLite, poll ${200} ms): p50 ${median(lags).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms over ${lags.length} blocks`,
    );
  }
  provider.destroy();
} finally {
  await chain.stop();
}
