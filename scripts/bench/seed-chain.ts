// Seeds a local chain with many ledger events for the indexer benchmark: admits the demo consortium, then
// registers `count` invoices with registerBatch (one ReceivableRegistered event each), sending raw
// transactions without waiting for each (the node automines them in order).
//   node scripts/bench/seed-chain.ts <count>      (starts its own chain; prints what it made and stops)
import { JsonRpcProvider } from "ethers";
import { encodeFunctionData, keccak256, toHex } from "viem";
import { receivableLedgerAbi, type Deployment } from "../../deployments/contracts.ts";
import { admitDemoMembers } from "../demo.ts";

const DAY_S = 86_400;

export interface SeedResult {
  events: number;
  blocks: number;
  seconds: number;
}

export async function seedChain(rpcUrl: string, deployment: Deployment, opts: { count: number; perTx?: number; log?: (s: string) => void }): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
  await admitDemoMembers(provider, deployment);
  const accounts: string[] = await provider.send("eth_accounts", []);
  const sellers = [accounts[1]!, accounts[2]!, accounts[3]!, accounts[4]!];
  const buyers = [accounts[3]!, accounts[4]!];
  const now = Number((await provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
  const perTx = opts.perTx ?? 50;
  const startBlock = Number(await provider.send("eth_blockNumber", []));
  const rpc = async (body: unknown) => {
    const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return await res.json();
  };
  // Rejections are collected, never left unhandled (that would kill the process before the chain is stopped).
  const rpcSafe = (body: unknown) => rpc(body).catch((err) => ({ error: { message: String(err) } }));
  let sent = 0;
  const WINDOW = Number(process.env["SEED_WINDOW"] ?? 4);
  const inFlight: Promise<any>[] = [];
  for (let i = 0; i < opts.count; i += perTx) {
    const seller = sellers[(i / perTx) % sellers.length]!;
    const invoices = [];
    for (let j = i; j < Math.min(opts.count, i + perTx); j++) {
      invoices.push({
        fingerprint: keccak256(toHex(`bench:${rpcUrl}:${j}`)),
        documentHash: keccak256(toHex(`bench-doc:${j}`)),
        buyer: buyers[j % buyers.length] === seller ? buyers[(j + 1) % buyers.length]! : buyers[j % buyers.length]!,
        amount: BigInt(1_000_000 + (j % 997) * 1_000_000),
        issueDate: now - (j % 90) * DAY_S,
        dueDate: now + (15 + (j % 120)) * DAY_S,
        terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 },
      });
    }
    const data = encodeFunctionData({ abi: receivableLedgerAbi, functionName: "registerBatch", args: [invoices as any] });
    inFlight.push(rpcSafe({ jsonrpc: "2.0", id: i, method: "eth_sendTransaction", params: [{ from: seller, to: deployment.contracts.ReceivableLedger, data, gas: "0x" + Math.min(16_000_000, perTx * 300_000).toString(16) }] }));
    sent += invoices.length;
    if (inFlight.length >= WINDOW) {
      const r = await inFlight.shift()!;
      if (r.error) throw new Error(`registerBatch failed: ${JSON.stringify(r.error)}`);
    }
    if ((i / perTx) % 100 === 0) log(`seeded ${sent}/${opts.count} registrations`);
  }
  for (const p of inFlight) {
    const r = await p;
    if (r.error) throw new Error(`registerBatch failed: ${JSON.stringify(r.error)}`);
  }
  const endBlock = Number(await provider.send("eth_blockNumber", []));
  provider.destroy();
  return { events: sent, blocks: endBlock - startBlock, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] === import.meta.filename) {
  const { startChain, deployFresh } = await import("../local-chain.ts");
  const chain = await startChain();
  try {
    const d = await deployFresh(chain.rpcUrl);
    const r = await seedChain(chain.rpcUrl, d as any, { count: Number(process.argv[2] ?? 10_000), log: console.log });
    console.log(r);
  } finally {
    await chain.stop();
  }
}
