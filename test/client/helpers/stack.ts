// The whole product for a browser test: a Hardhat node, a fresh deployment with the demo members, the real
// server (SQLite file in a temp dir, JSON-RPC proxy, the built client) and a fresh Chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import type { Address } from "viem";
import type { Page } from "playwright-core";
import { startChain, deployFresh, type LocalChain } from "../../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../../scripts/demo.ts";
import type { Deployment } from "../../../deployments/contracts.ts";
import { startServer, type RunningServer } from "../../../server/main.ts";
import { buildClientIfStale, launchChromium, CLIENT_DIST, type LaunchedBrowser } from "./browser.ts";

export interface Stack {
  chain: LocalChain;
  deployment: Deployment;
  server: RunningServer;
  browser: LaunchedBrowser;
  page: Page;
  /** eth_accounts of the node (DEMO_ACCOUNTS indexes into it). */
  accounts: Address[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  /** Ids of the demo invoices (when registered), in DEMO_INVOICES order. */
  ids: bigint[];
  stop(): Promise<void>;
}

export async function startStack(opts: { demoInvoices?: boolean } = {}): Promise<Stack> {
  if (buildClientIfStale()) console.log("    (built client/dist)");
  const chain = await startChain();
  const cleanups: (() => Promise<void> | void)[] = [() => chain.stop()];
  const stop = async () => {
    for (const f of cleanups.reverse()) await Promise.resolve(f()).catch(() => undefined);
  };
  try {
    const deployment = (await deployFresh(chain.rpcUrl)) as Deployment;
    const provider = new JsonRpcProvider(chain.rpcUrl);
    await admitDemoMembers(provider, deployment);
    const ids = opts.demoInvoices ? await registerDemoInvoices(provider, deployment) : [];
    const accounts = (await provider.send("eth_accounts", [])) as Address[];
    provider.destroy();
    const dataDir = mkdtempSync(join(tmpdir(), "ledger-client-test-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({
      databaseUrl: `file:${join(dataDir, "ledger.db")}`,
      rpcUrl: chain.rpcUrl,
      deployment,
      port: 0,
      clientDir: CLIENT_DIST,
      rpcProxy: true,
      // One browser here plays every member of the consortium from one loopback address, page after page: the
      // per-address limits (sized for one person's client) would answer 429 midway through a file.
      rateLimits: { rpc: 1_000_000, writes: 1_000_000, signIn: 1_000_000 },
      log: () => undefined,
    });
    cleanups.push(() => server.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    return { chain, deployment, server, browser, page, accounts, pageErrors, ids, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
