// Seeds a local chain with many ledger events for the indexer benchmark: admits the demo consortium, then
// registers invoices with registerBatch (one ReceivableRegistered event each, raw transactions sent without
// waiting for each, automined in order) and — with `mix` — has the buyers confirm some of them and the sellers
// sell some confirmed ones on to a financier (ReceivableConfirmed / ReceivableTransferred: events that update a
// receivable, so the indexer reads the current state and keeps a past version). Those single transactions are
// mined several hundred to a block (automine off, evm_mine), as a busy chain would carry them.
//   node scripts/bench/seed-chain.ts <count> [mix]   (starts its own chain; prints what it made and stops)
import { JsonRpcProvider } from "ethers";
import { encodeFunctionData, keccak256, toHex } from "viem";
import { receivableLedgerAbi, type Deployment } from "../../deployments/contracts.ts";
import { admitDemoMembers } from "../demo.ts";

import { DAY_S } from "../../common/units.ts";

export interface SeedResult {
  events: number;
  registered: number;
  confirmed: number;
  transferred: number;
  blocks: number;
  seconds: number;
}

/** Share of the events that are confirmations and transfers with `mix` (the rest are registrations). */
export const MIX = { confirmed: 0.2, transferred: 0.1 };

export async function seedChain(
  rpcUrl: string,
  deployment: Deployment,
  opts: { count: number; perTx?: number; mix?: boolean; log?: (s: string) => void },
): Promise<SeedResult> {
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
  const toConfirm = opts.mix ? Math.round(opts.count * MIX.confirmed) : 0;
  const toTransfer = opts.mix ? Math.round(opts.count * MIX.transferred) : 0;
  const registrations = opts.count - toConfirm - toTransfer;
  const registered: { id: string; seller: string; buyer: string }[] = [];
  let sent = 0;
  const WINDOW = Number(process.env["SEED_WINDOW"] ?? 4);
  const inFlight: Promise<any>[] = [];
  for (let i = 0; i < registrations; i += perTx) {
    const seller = sellers[(i / perTx) % sellers.length]!;
    const invoices = [];
    for (let j = i; j < Math.min(registrations, i + perTx); j++) {
      invoices.push({
        fingerprint: keccak256(toHex(`bench:${rpcUrl}:${j}`)),
        documentHash: keccak256(toHex(`bench-doc:${j}`)),
        buyer: buyers[j % buyers.length] === seller ? buyers[(j + 1) % buyers.length]! : buyers[j % buyers.length]!,
        amount: BigInt(1_000_000 + (j % 997) * 1_000_000),
        currency: "0x555344", // USD
        issueDate: now - (j % 90) * DAY_S,
        dueDate: now + (15 + (j % 120)) * DAY_S,
        terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 },
      });
      const last = invoices[invoices.length - 1]!;
      registered.push({ id: last.fingerprint, seller: seller.toLowerCase(), buyer: last.buyer.toLowerCase() });
    }
    const data = encodeFunctionData({ abi: receivableLedgerAbi, functionName: "registerBatch", args: [invoices as any] });
    inFlight.push(
      rpcSafe({
        jsonrpc: "2.0",
        id: i,
        method: "eth_sendTransaction",
        params: [{ from: seller, to: deployment.contracts.ReceivableLedger, data, gas: "0x" + Math.min(16_000_000, perTx * 300_000).toString(16) }],
      }),
    );
    sent += invoices.length;
    if (inFlight.length >= WINDOW) {
      const r = await inFlight.shift()!;
      if (r.error) throw new Error(`registerBatch failed: ${JSON.stringify(r.error)}`);
    }
    if ((i / perTx) % 100 === 0) log(`seeded ${sent}/${registrations} registrations`);
  }
  for (const p of inFlight) {
    const r = await p;
    if (r.error) throw new Error(`registerBatch failed: ${JSON.stringify(r.error)}`);
  }
  if (toConfirm > 0) {
    const ledger = deployment.contracts.ReceivableLedger;
    const financier = accounts[5]!;
    const confirms = registered.slice(0, toConfirm).map((r) => ({
      from: r.buyer,
      to: ledger,
      gas: "0x" + (80_000).toString(16),
      data: encodeFunctionData({ abi: receivableLedgerAbi, functionName: "confirm", args: [BigInt(r.id)] }),
    }));
    const transfers = registered.slice(0, toTransfer).map((r) => ({
      from: r.seller,
      to: ledger,
      gas: "0x" + (90_000).toString(16),
      data: encodeFunctionData({ abi: receivableLedgerAbi, functionName: "transfer", args: [BigInt(r.id), financier as `0x${string}`] }),
    }));
    await mineInBlocks(rpcUrl, confirms, log);
    await mineInBlocks(rpcUrl, transfers, log);
  }
  const endBlock = Number(await provider.send("eth_blockNumber", []));
  provider.destroy();
  return {
    events: sent + toConfirm + toTransfer,
    registered: sent,
    confirmed: toConfirm,
    transferred: toTransfer,
    blocks: endBlock - startBlock,
    seconds: (Date.now() - t0) / 1000,
  };
}

/**
 * Sends transactions with automine off and mines them PER_BLOCK to a block; every receipt must say success.
 * Automine is on again afterwards.
 */
async function mineInBlocks(rpcUrl: string, txs: { from: string; to: string; gas: string; data: string }[], log: (s: string) => void) {
  const PER_BLOCK = 300;
  const call = async (body: unknown) =>
    (await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  await call({ jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [false] });
  const hashes: string[] = [];
  try {
    for (let i = 0; i < txs.length; i += PER_BLOCK) {
      const part = txs.slice(i, i + PER_BLOCK);
      const answers: any[] = await call(part.map((tx, j) => ({ jsonrpc: "2.0", id: j, method: "eth_sendTransaction", params: [tx] })));
      for (const a of answers) {
        if (a.error) throw new Error(`sending failed: ${JSON.stringify(a.error)}`);
        hashes.push(a.result);
      }
      await call({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] });
      if ((i / PER_BLOCK) % 20 === 0) log(`mined ${Math.min(txs.length, i + PER_BLOCK)}/${txs.length} transactions`);
    }
  } finally {
    await call({ jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [true] });
  }
  for (let i = 0; i < hashes.length; i += 500) {
    const receipts: any[] = await call(hashes.slice(i, i + 500).map((h, j) => ({ jsonrpc: "2.0", id: j, method: "eth_getTransactionReceipt", params: [h] })));
    for (const r of receipts)
      if (!r.result || r.result.status !== "0x1") throw new Error(`transaction not mined or reverted: ${JSON.stringify(r.result ?? r.error)}`);
  }
}

if (process.argv[1] === import.meta.filename) {
  const { startChain, deployFresh } = await import("../local-chain.ts");
  const chain = await startChain();
  try {
    const d = await deployFresh(chain.rpcUrl);
    const r = await seedChain(chain.rpcUrl, d as any, { count: Number(process.argv[2] ?? 10_000), mix: process.argv[3] === "mix", log: console.log });
    console.log(r);
  } finally {
    await chain.stop();
  }
}
