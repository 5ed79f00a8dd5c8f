// The indexer against a node with limits: eth_getLogs ranges refused above a limit (as geth, Besu and hosted
// providers do) and slow answers. It adapts its range, shows progress, answers /ready 503 until caught up, and
// ends equal to the chain. Also: the JSON-RPC proxy and serving the built client.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { startChain, deployFresh } from "../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../scripts/demo.ts";
import { startServer } from "../../server/main.ts";
import { freshDatabase, registerMany, headNumber, assertDbEqualsChain, api, startEnv, DATABASES, type TestEnv } from "./helpers.ts";

const MAX_RANGE_BLOCKS = 7;

/** A JSON-RPC proxy that refuses eth_getLogs over more than MAX_RANGE_BLOCKS blocks and delays every answer. */
async function limitedProxy(upstream: string, delayMs: number): Promise<{ url: string; refused: () => number; close(): Promise<void> }> {
  let refused = 0;
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const msg = JSON.parse(body);
    const calls = Array.isArray(msg) ? msg : [msg];
    for (const c of calls) {
      if (c.method === "eth_getLogs") {
        const { fromBlock, toBlock } = c.params[0];
        if (Number(toBlock) - Number(fromBlock) + 1 > MAX_RANGE_BLOCKS) {
          refused++;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ jsonrpc: "2.0", id: c.id, error: { code: -32005, message: `query exceeds max block range ${MAX_RANGE_BLOCKS}` } }));
          return;
        }
      }
    }
    await new Promise((r) => setTimeout(r, delayMs));
    const up = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    res.writeHead(up.status, { "content-type": "application/json" });
    res.end(await up.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as any).port}`,
    refused: () => refused,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

for (const database of DATABASES) {
  describe(`indexer against a node with limits (${database})`, function () {
    let env: TestEnv;
    let proxy: Awaited<ReturnType<typeof limitedProxy>>;
    before(async () => {
      const chain = await startChain();
      const stopOnFailure = (err: unknown) => chain.stop().then(() => Promise.reject(err));
      const deployment = await deployFresh(chain.rpcUrl).catch(stopOnFailure);
      const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
      await admitDemoMembers(provider, deployment as any);
      const ids = await registerDemoInvoices(provider, deployment as any);
      await registerMany(provider, deployment, { count: 120, perTx: 2, tag: `limits-${database}` });
      const db = await freshDatabase(database);
      proxy = await limitedProxy(chain.rpcUrl, 5);
      env = {
        chain,
        deployment,
        provider,
        db,
        ids,
        server: undefined as any,
        async stop() {
          await env.server?.close();
          await proxy.close();
          provider.destroy();
          await chain.stop();
          await db.drop();
        },
      };
    });
    after(async () => env?.stop());

    it("answers /ready 503 while catching up, shows progress, adapts the log range and ends equal to the chain", async () => {
      env.server = await startServer({ databaseUrl: env.db.url, rpcUrl: proxy.url, deployment: env.deployment as any, pollIntervalMs: 50, log: () => {} });
      const early = await api(env.server.url, "/ready");
      expect(early.status).to.equal(503);
      const health = await api(env.server.url, "/health");
      expect(health.body.status).to.be.oneOf(["catching-up", "ok"]);
      expect(health.body.indexer.blocksTotal).to.be.greaterThan(60);
      await env.server.waitForBlock(await headNumber(env.provider));
      expect((await api(env.server.url, "/ready")).status).to.equal(200);
      const done = (await api(env.server.url, "/health")).body;
      expect(done.indexer.rangeBlocks).to.be.at.most(MAX_RANGE_BLOCKS);
      expect(done.indexer.blocksDone).to.equal(done.indexer.blocksTotal);
      expect(done.indexer.etaSeconds).to.equal(0);
      expect(proxy.refused()).to.be.greaterThan(0);
      await assertDbEqualsChain(env);
      await env.server.close();
      env.server = undefined as any; // one indexer writes a database at a time
    });

    it("forwards JSON-RPC through POST /rpc when rpcProxy is on, and says so in /api/config", async () => {
      const s = await startServer({ databaseUrl: env.db.url, rpcUrl: env.chain.rpcUrl, deployment: env.deployment as any, rpcProxy: true, log: () => {} });
      try {
        expect((await api(s.url, "/api/config")).body.rpcUrl).to.equal("/rpc");
        const r = await api(s.url, "/rpc", { method: "POST", body: { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] } });
        expect(r.body.result).to.equal("0x7a69");
      } finally {
        await s.close();
      }
    });

    it("serves the built client with an index.html fallback for client routes, not for /api", async () => {
      const dir = mkdtempSync(join(tmpdir(), "client-"));
      writeFileSync(join(dir, "index.html"), "<!doctype html><title>ledger</title>");
      writeFileSync(join(dir, "app.js"), "console.log(1)");
      const s = await startServer({ databaseUrl: env.db.url, rpcUrl: env.chain.rpcUrl, deployment: env.deployment as any, clientDir: dir, log: () => {} });
      try {
        expect(await (await fetch(`${s.url}/`)).text()).to.include("<title>ledger</title>");
        expect(await (await fetch(`${s.url}/receivables/0xabc`)).text()).to.include("<title>ledger</title>");
        expect(await (await fetch(`${s.url}/app.js`)).text()).to.equal("console.log(1)");
        const missing = await api(s.url, "/api/nothing-here");
        expect(missing.status).to.equal(404);
        expect(missing.body.error.message).to.match(/no such endpoint/);
      } finally {
        await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

for (const database of DATABASES) {
  describe(`API-only process following the indexer writer (${database})`, function () {
    let env: TestEnv;
    before(async () => {
      env = await startEnv({ database });
    });
    after(async () => env?.stop());

    it("serves what the writer indexed, follows new blocks and streams them", async () => {
      const { login, registerMany, latestBlock } = await import("./helpers.ts");
      const apiOnly = await startServer({
        databaseUrl: env.db.url,
        rpcUrl: env.chain.rpcUrl,
        deployment: env.deployment as any,
        role: "api",
        pollIntervalMs: 50,
        log: () => {},
      });
      try {
        const token = await login(apiOnly.url, 7);
        const a = await api(apiOnly.url, "/api/receivables?limit=500", { token });
        const b = await api(env.server.url, "/api/receivables?limit=500", { token: await login(env.server.url, 7) });
        expect(a.body.items).to.deep.equal(b.body.items);
        expect((await api(apiOnly.url, "/ready")).status).to.equal(200);
        const [id] = await registerMany(env.provider, env.deployment, { count: 1, tag: `follower-${database}` });
        const head = await latestBlock(env.provider);
        await apiOnly.waitForBlock(head.number);
        const r = await api(apiOnly.url, `/api/receivables/0x${id!.toString(16).padStart(64, "0")}`, { token });
        expect(r.status).to.equal(200);
        expect(r.body.block.hash).to.equal(head.hash);
        const h = (await api(apiOnly.url, "/health")).body;
        expect(h.indexer.running).to.equal(false);
        expect(h.indexer.checkpoint.number).to.equal(head.number);
      } finally {
        await apiOnly.close();
      }
    });

    it("the writer restarts while an API-only process has the database open (nothing to migrate)", async () => {
      const { registerMany, latestBlock } = await import("./helpers.ts");
      const apiOnly = await startServer({
        databaseUrl: env.db.url,
        rpcUrl: env.chain.rpcUrl,
        deployment: env.deployment as any,
        role: "api",
        pollIntervalMs: 50,
        log: () => {},
      });
      try {
        await env.server.close();
        const started = performance.now();
        env.server = await startServer({
          databaseUrl: env.db.url,
          rpcUrl: env.chain.rpcUrl,
          deployment: env.deployment as any,
          pollIntervalMs: 50,
          log: () => {},
        });
        expect(performance.now() - started, "start-up without waiting for a lock").to.be.below(4_000);
        await registerMany(env.provider, env.deployment, { count: 1, tag: `restart-${database}` });
        const head = await latestBlock(env.provider);
        await env.server.waitForBlock(head.number);
        await apiOnly.waitForBlock(head.number);
        expect((await api(apiOnly.url, "/health")).body.indexer.checkpoint.hash).to.equal(head.hash);
      } finally {
        await apiOnly.close();
      }
    });
  });
}
