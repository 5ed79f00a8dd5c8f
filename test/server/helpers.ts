// Shared set-up of the server tests: a real Hardhat node, a fresh deployment, the demo consortium, a real
// database (a SQLite file in a temp dir, or PostgreSQL when TEST_DATABASE_URL_PG is set) and the server on port 0.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { createPgDatabase, dropPgDatabase } from "../../scripts/pg-admin.ts";
import { startChain, deployFresh, type LocalChain } from "../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../scripts/demo.ts";
import { startServer, type ServerConfig } from "../../server/main.ts";

export { HARDHAT_MNEMONIC, account, addressOf, login } from "../../scripts/lib/dev-accounts.ts";

/** Which databases the suites run on: SQLite always, PostgreSQL when TEST_DATABASE_URL_PG is set. */
export const DATABASES: ("sqlite" | "postgresql")[] = process.env["TEST_DATABASE_URL_PG"] ? ["sqlite", "postgresql"] : ["sqlite"];

/** A fresh, empty database of the given kind; `drop()` removes it. */
export async function freshDatabase(kind: "sqlite" | "postgresql"): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ledger-db-"));
    return { url: `file:${join(dir, "ledger.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env["TEST_DATABASE_URL_PG"]!;
  const name = `ledger_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const url = await createPgDatabase(admin, name, process.env["PG_COLLATE_C"] ? "TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" : "");
  return { url, drop: () => dropPgDatabase(admin, name) };
}

export interface TestEnv {
  chain: LocalChain;
  deployment: Awaited<ReturnType<typeof deployFresh>>;
  provider: JsonRpcProvider;
  db: { url: string; drop(): Promise<void> };
  server: Awaited<ReturnType<typeof startServer>>;
  ids: bigint[];
  stop(): Promise<void>;
}

export async function startEnv(opts: { database?: "sqlite" | "postgresql"; demo?: boolean; server?: Partial<ServerConfig> } = {}): Promise<TestEnv> {
  const chain = await startChain();
  let provider: JsonRpcProvider | undefined;
  let db: { url: string; drop(): Promise<void> } | undefined;
  try {
    const deployment = await deployFresh(chain.rpcUrl);
    provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
    let ids: bigint[] = [];
    if (opts.demo !== false) {
      await admitDemoMembers(provider, deployment as any);
      ids = await registerDemoInvoices(provider, deployment as any);
    }
    db = await freshDatabase(opts.database ?? "sqlite");
    const server = await startServer({
      databaseUrl: db.url,
      rpcUrl: chain.rpcUrl,
      deployment: deployment as any,
      port: 0,
      pollIntervalMs: 50,
      log: () => {},
      ...opts.server,
    });
    await server.waitForBlock(await headNumber(provider));
    const p = provider;
    const d = db;
    return {
      chain,
      deployment,
      provider: p,
      db: d,
      server,
      ids,
      async stop() {
        await server.close();
        p.destroy();
        await chain.stop();
        await d.drop();
      },
    };
  } catch (err) {
    // Never leave a chain (or a database) behind when the set-up fails half-way.
    provider?.destroy();
    await chain.stop();
    await db?.drop().catch(() => {});
    throw err;
  }
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export async function api(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string | undefined; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers["authorization"] = `Bearer ${init.token}`;
  let body: BodyInit | undefined = init.rawBody;
  if (init.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(baseUrl + path, { method: init.method ?? "GET", headers, body: body ?? null });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

// ───────────────────────────────────────────────────────── chain helpers ──

import { Contract } from "ethers";
import { keccak256, toHex } from "viem";
import { receivableLedgerAbi, settlementTokenAbi } from "../../deployments/contracts.ts";

import { DAY_S } from "../../common/units.ts";

/** Registers `count` invoices from `sellerIndex` to `buyerIndex` with registerBatch, `perTx` per transaction. */
export async function registerMany(
  provider: JsonRpcProvider,
  deployment: { contracts: { ReceivableLedger: string } },
  opts: { count: number; perTx?: number; sellerIndex?: number; buyerIndex?: number; tag?: string; amount?: bigint },
): Promise<bigint[]> {
  const seller = await provider.getSigner(opts.sellerIndex ?? 1);
  const buyer = await (await provider.getSigner(opts.buyerIndex ?? 3)).getAddress();
  const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, seller);
  const now = (await provider.getBlock("latest"))!.timestamp;
  const perTx = opts.perTx ?? 50;
  const ids: bigint[] = [];
  const tag = opts.tag ?? Math.random().toString(36).slice(2);
  let nonce = Number(await provider.send("eth_getTransactionCount", [await seller.getAddress(), "pending"]));
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < opts.count; i += perTx) {
    const invoices = [];
    for (let j = i; j < Math.min(opts.count, i + perTx); j++) {
      const fingerprint = keccak256(toHex(`${tag}:${j}`));
      ids.push(BigInt(fingerprint));
      invoices.push({
        fingerprint,
        documentHash: keccak256(toHex(`doc:${tag}:${j}`)),
        buyer,
        amount: opts.amount ?? BigInt(1_000_000 + j),
        currency: "0x555344", // USD, the ledger's settlement currency
        issueDate: now - DAY_S,
        dueDate: now + (30 + (j % 60)) * DAY_S,
        terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
      });
    }
    const tx = await ledger.getFunction("registerBatch")(invoices, { nonce: nonce++ });
    pending.push(tx.wait());
  }
  await Promise.all(pending);
  return ids;
}

export async function confirmAs(provider: JsonRpcProvider, deployment: { contracts: { ReceivableLedger: string } }, buyerIndex: number, id: bigint) {
  const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(buyerIndex));
  await (await ledger.getFunction("confirm")(id)).wait();
}

export async function transferAs(
  provider: JsonRpcProvider,
  deployment: { contracts: { ReceivableLedger: string } },
  holderIndex: number,
  id: bigint,
  to: string,
) {
  const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await provider.getSigner(holderIndex));
  await (await ledger.getFunction("transfer")(id, to)).wait();
}

export async function payAs(
  provider: JsonRpcProvider,
  deployment: { contracts: { ReceivableLedger: string; SettlementToken: string } },
  buyerIndex: number,
  id: bigint,
  amount: bigint,
) {
  const signer = await provider.getSigner(buyerIndex);
  const token = new Contract(deployment.contracts.SettlementToken, settlementTokenAbi as any, signer);
  await (await token.getFunction("approve")(deployment.contracts.ReceivableLedger, amount)).wait();
  const ledger = new Contract(deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, signer);
  await (await ledger.getFunction("pay")(id, amount)).wait();
}

/** Waits until the server's checkpoint is the chain's current head (number AND hash). */
export async function waitForHead(env: { provider: JsonRpcProvider; server: { url: string } }, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await latestBlock(env.provider);
    const h = (await api(env.server.url, "/health")).body;
    if (h.indexer.checkpoint?.number === head.number && h.indexer.checkpoint?.hash === head.hash) return head;
    if (Date.now() > deadline) throw new Error(`indexer not at head ${head.number} ${head.hash}: ${JSON.stringify(h.indexer)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The chain's head, uncached (ethers caches getBlockNumber for a moment). */
export async function headNumber(provider: JsonRpcProvider): Promise<number> {
  return Number(await provider.send("eth_blockNumber", []));
}

/** The chain's latest block (number, hash), uncached. */
export async function latestBlock(provider: JsonRpcProvider): Promise<{ number: number; hash: string; parentHash: string }> {
  const b = await provider.send("eth_getBlockByNumber", ["latest", false]);
  return { number: Number(b.number), hash: b.hash, parentHash: b.parentHash };
}

/** Asserts that the database holds exactly the chain's events and the chain's state of every receivable and member. */
export async function assertDbEqualsChain(env: TestEnv): Promise<void> {
  const { expect } = await import("chai");
  const { openDatabase } = await import("../../server/database/client.ts");
  const { memberRegistryAbi } = await import("../../deployments/contracts.ts");
  const head = await latestBlock(env.provider);
  const { FactoringMarket, PledgeLoans, CreditInsurance } = env.deployment.contracts as Record<string, string | undefined>;
  const addresses = [
    env.deployment.contracts.MemberRegistry,
    env.deployment.contracts.ReceivableLedger,
    ...[FactoringMarket, PledgeLoans, CreditInsurance].filter((a): a is string => !!a),
  ];
  const logs: any[] = await env.provider.send("eth_getLogs", [
    { address: addresses, fromBlock: "0x" + env.deployment.deploymentBlock.toString(16), toBlock: "0x" + head.number.toString(16) },
  ]);
  const db = await openDatabase(env.db.url);
  try {
    const cp = await db.prisma.indexerCheckpoint.findUnique({ where: { id: 1 } });
    expect(cp?.blockNumber, "checkpoint").to.equal(head.number);
    expect(cp?.blockHash, "checkpoint hash").to.equal(head.hash);
    const events = await db.prisma.ledgerEvent.findMany({ orderBy: [{ blockNumber: "asc" }, { transactionIndex: "asc" }, { logIndex: "asc" }] });
    const key = (b: number, i: number, h: string, t: string) => `${b}/${i}/${h.toLowerCase()}/${t.toLowerCase()}`;
    expect(events.map((e) => key(e.blockNumber, e.logIndex, e.blockHash, e.transactionHash))).to.deep.equal(
      logs.map((l) => key(Number(l.blockNumber), Number(l.logIndex), l.blockHash, l.transactionHash)),
    );
    const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, env.provider);
    const rows = await db.prisma.receivable.findMany();
    const registered = events.filter((e) => e.name === "ReceivableRegistered").length;
    const parts = events.filter((e) => e.name === "ReceivableSplit").reduce((n, e) => n + JSON.parse(e.args).partIds.length, 0);
    expect(rows.length, "receivables").to.equal(registered + parts);
    for (const r of rows) {
      const v = await ledger.getFunction("receivable")(BigInt(r.id), { blockTag: head.number });
      expect({ holder: r.holder, status: r.status, face: BigInt(r.faceAmount), paid: BigInt(r.paid) }, r.id).to.deep.equal({
        holder: v.holder.toLowerCase(),
        status: Number(v.status),
        face: BigInt(v.faceAmount),
        paid: BigInt(v.paid),
      });
    }
    // "As of" earlier blocks equals the chain at those blocks.
    const { createReceivableQueries } = await import("../../server/receivables/store.ts");
    const queries = createReceivableQueries(db);
    const samples = [...new Set([head.number - 1, head.number - 4, Math.floor((env.deployment.deploymentBlock + head.number) / 2)])].filter(
      (b) => b >= env.deployment.deploymentBlock,
    );
    for (const X of samples) {
      const page = await queries.list({ sort: "registeredAt", descending: false, limit: 100_000, asOfBlock: X, scope: { all: true, anyOf: [] } });
      const expectedCount =
        events.filter((e) => e.blockNumber <= X && e.name === "ReceivableRegistered").length +
        events.filter((e) => e.blockNumber <= X && e.name === "ReceivableSplit").reduce((n, e) => n + JSON.parse(e.args).partIds.length, 0);
      expect(page.items.length, `receivables as of ${X}`).to.equal(expectedCount);
      for (const r of page.items) {
        const v = await ledger.getFunction("receivable")(BigInt(r.id), { blockTag: X });
        expect({ holder: r.holder, status: r.status, face: r.faceAmount, paid: r.paid }, `${r.id} as of ${X}`).to.deep.equal({
          holder: v.holder.toLowerCase(),
          status: Number(v.status),
          face: BigInt(v.faceAmount),
          paid: BigInt(v.paid),
        });
      }
    }
    // Aggregates equal a scan.
    const balances = await db.prisma.partyBalance.findMany();
    const OPEN = [1, 2, 3, 6];
    for (const b of balances) {
      const mine = rows.filter((r) => (b.side === "buyer" ? r.buyer : r.seller) === b.address && OPEN.includes(r.status));
      expect(BigInt(b.openBalance), `${b.side} ${b.address}`).to.equal(mine.reduce((s, r) => s + BigInt(r.outstanding), 0n));
      expect(b.openCount).to.equal(mine.length);
    }
    const registry = new Contract(env.deployment.contracts.MemberRegistry, memberRegistryAbi as any, env.provider);
    for (const m of await db.prisma.member.findMany()) {
      const [roles, expiresAt, suspended] = await registry.getFunction("memberOf")(m.address, { blockTag: head.number });
      expect({ roles: m.roles, expiresAt: m.expiresAt, suspended: m.suspended }).to.deep.equal({
        roles: Number(roles),
        expiresAt: Number(expiresAt),
        suspended,
      });
    }
  } finally {
    await db.close();
  }
}
