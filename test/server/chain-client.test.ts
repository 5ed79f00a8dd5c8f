// The server's one chain client: chain time ("now", the indexed block's timestamp) costs no JSON-RPC request on
// list, detail and session paths, for the indexer writer and for an API-only process after its first request —
// counted at a JSON-RPC proxy in front of a real node — and it is still the chain's time after the chain moves.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { JsonRpcProvider } from "ethers";
import { startChain, deployFresh } from "../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../scripts/demo.ts";
import { startServer } from "../../server/main.ts";
import { freshDatabase, api, login, headNumber, DATABASES } from "./helpers.ts";

const DAY_S = 86_400;
const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

/** A JSON-RPC proxy to `target` that counts the requests (each one of a batch) by method. */
async function countingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; reset(): void; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    try {
      const parsed = JSON.parse(body);
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) counts.set(m.method, (counts.get(m.method) ?? 0) + 1);
    } catch {}
    const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    counts,
    reset: () => counts.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const database of DATABASES) {
  describe(`one chain client: chain time without a request per API call (${database})`, function () {
    let chain: Awaited<ReturnType<typeof startChain>>;
    let provider: JsonRpcProvider;
    let proxy: Awaited<ReturnType<typeof countingProxy>>;
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let writer: Awaited<ReturnType<typeof startServer>>;
    let apiOnly: Awaited<ReturnType<typeof startServer>> | undefined;
    let ids: bigint[];
    let deployment: Awaited<ReturnType<typeof deployFresh>>;

    before(async () => {
      chain = await startChain();
      deployment = await deployFresh(chain.rpcUrl);
      provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
      await admitDemoMembers(provider, deployment as any);
      ids = await registerDemoInvoices(provider, deployment as any);
      proxy = await countingProxy(chain.rpcUrl);
      db = await freshDatabase(database);
      // A long poll interval: once caught up the indexer sleeps, so every request the proxy sees is the API's.
      // No timed dunning run; the risk re-score that follows the catch-up reads block times once: wait it out.
      writer = await startServer({
        databaseUrl: db.url,
        rpcUrl: proxy.url,
        deployment: deployment as any,
        port: 0,
        pollIntervalMs: 60_000,
        dunningIntervalMs: 0,
        log: () => {},
      });
      await writer.waitForBlock(await headNumber(provider));
      for (let quiet = 0, tries = 0; quiet < 3 && tries < 100; tries++) {
        proxy.reset();
        await new Promise((r) => setTimeout(r, 200));
        quiet = proxy.counts.size === 0 ? quiet + 1 : 0;
      }
    });
    after(async () => {
      await apiOnly?.close();
      await writer?.close();
      await proxy?.close();
      provider?.destroy();
      await chain?.stop();
      await db?.drop();
    });

    async function browse(url: string, token: string, times: number) {
      for (let i = 0; i < times; i++) {
        const list = await api(url, "/api/receivables", { token });
        expect(list.status).to.equal(200);
        const detail = await api(url, `/api/receivables/${idHex(ids[0]!)}`, { token });
        expect(detail.status).to.equal(200);
      }
    }

    it("list and detail requests on the indexer writer make no JSON-RPC request", async () => {
      const token = await login(writer.url, 1);
      proxy.reset();
      await browse(writer.url, token, 10);
      expect(Object.fromEntries(proxy.counts), "JSON-RPC requests during 10 lists + 10 details").to.deep.equal({});
    });

    it("chain time follows the chain: after time moves past the due date the receivable is overdue by the block's days", async () => {
      const token = await login(writer.url, 1);
      const due = (await api(writer.url, `/api/receivables/${idHex(ids[0]!)}`, { token })).body;
      expect(due.overdue).to.equal(false);
      await provider.send("evm_increaseTime", [41 * DAY_S]);
      await provider.send("evm_mine", []);
      const block = await provider.send("eth_getBlockByNumber", ["latest", false]);
      await writer.waitForBlock(Number(block.number)); // wakes the indexer
      proxy.reset();
      const after = (await api(writer.url, `/api/receivables/${idHex(ids[0]!)}`, { token })).body;
      expect(after.overdue).to.equal(true);
      expect(after.daysOverdue).to.equal(Math.ceil((Number(block.timestamp) - Date.parse(after.dueDate) / 1000) / DAY_S));
      expect(proxy.counts.get("eth_getBlockByNumber") ?? 0, "the new block's time came with the indexer's header").to.equal(0);
    });

    it("an API-only process asks for the indexed block's time once, then serves from the cache", async () => {
      apiOnly = await startServer({
        databaseUrl: db.url,
        rpcUrl: proxy.url,
        deployment: deployment as any,
        port: 0,
        pollIntervalMs: 60_000,
        role: "api",
        log: () => {},
      });
      const token = await login(apiOnly.url, 1);
      proxy.reset();
      await browse(apiOnly.url, token, 10);
      expect(proxy.counts.get("eth_getBlockByNumber") ?? 0, "block reads during 10 lists + 10 details").to.be.at.most(1);
      const others = [...proxy.counts.keys()].filter((m) => m !== "eth_getBlockByNumber");
      expect(others, "other JSON-RPC requests").to.deep.equal([]);
    });
  });
}
