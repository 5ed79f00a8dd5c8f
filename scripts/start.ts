// `npm start`: the whole product on one machine, on its embedded default — a local Hardhat JSON-RPC chain
// with the contracts deployed, demo members and invoices, a SQLite database, the server (indexer + API) and
// the web client. Prints the URL; Ctrl-C stops everything it started.
// Configuration (environment): PORT (web, default 3000), CHAIN_PORT (default 8545), DATA_DIR (default ./data).
import { mkdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { startChain, freePort } from "./local-chain.ts";
import { deploy } from "./deploy.ts";
import { admitDemoMembers, registerDemoInvoices, publishDemoDetails, linkDemoStaff } from "./demo.ts";

const ROOT = join(import.meta.dirname, "..");

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import("node:net");
  return await new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number, what: string): Promise<number> {
  if (await portIsFree(preferred)) return preferred;
  const port = await freePort();
  console.log(`[start] port ${preferred} is busy; ${what} uses ${port} instead`);
  return port;
}

const clientDir = join(ROOT, "client", "dist");
if (!existsSync(join(clientDir, "index.html"))) {
  console.error("[start] the web client is not built: run `npm run build` first (scripts/start.sh does it for you)");
  process.exit(1);
}

const chainPort = await pickPort(Number(process.env.CHAIN_PORT ?? 8545), "the local chain");
const webPort = await pickPort(Number(process.env.PORT ?? 3000), "the web server");
const dataDir = process.env.DATA_DIR ?? join(ROOT, "data");

console.log(`[start] starting the local chain on 127.0.0.1:${chainPort}`);
const chain = await startChain({ port: chainPort });
let server: { url: string; close(): Promise<void> } | undefined;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\n[start] stopping…");
  await server?.close().catch((e: unknown) => console.error(e));
  await chain.stop().catch((e: unknown) => console.error(e));
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  const deployment = await deploy({ network: "localhost", rpcUrl: chain.rpcUrl });
  console.log(`[start] deployed: ledger ${deployment.contracts.ReceivableLedger} at block ${deployment.deploymentBlock}`);
  const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
  await admitDemoMembers(provider, deployment as never);
  const ids = await registerDemoInvoices(provider, deployment as never);
  const head = await provider.getBlockNumber();
  console.log(`[start] demo consortium admitted, ${ids.length} demo invoices registered (chain at block ${head})`);

  // The local chain is new at every start, so the database starts empty too.
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, "ledger.db");
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) rmSync(f, { force: true });

  const { startServer } = await import("../server/main.ts");
  const started = await startServer({
    databaseUrl: `file:${dbFile}`,
    rpcUrl: chain.rpcUrl,
    deployment: deployment as never,
    port: webPort,
    clientDir,
    rpcProxy: true,
    log: (line: string) => console.log(`[server] ${line}`),
  });
  server = started;
  await started.waitForBlock(head);
  // Company profiles and the demo invoices' details (invoice numbers) live off-chain, in the server.
  await publishDemoDetails(started.url, provider, deployment as never, ids);
  // People inside the members: named staff with desk roles on the spare development accounts.
  await linkDemoStaff(started.url, provider);
  provider.destroy();
  console.log(`\n  Receivables ledger is running: ${started.url}\n`);
  console.log("  Pick a demo account in the top bar (sellers, buyers, financiers, auditor, operator, and their staff).");
  console.log("  Ctrl-C stops the chain and the server.\n");
} catch (err) {
  console.error("[start] failed:", err);
  await stop(1);
}
