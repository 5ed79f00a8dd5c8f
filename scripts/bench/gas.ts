// Gas per user flow of the ledger, measured on Hardhat's in-process network with the contracts deployed exactly
// as scripts/deploy.ts deploys them (behind their proxies). Prints a table beside the targets of issue 3 and
// compares with the committed snapshot snapshots/gas.json.
//   node scripts/bench/gas.ts            print the table and any difference from the snapshot
//   node scripts/bench/gas.ts --check    exit 1 (printing the diff) when any figure differs from the snapshot
//   node scripts/bench/gas.ts --update   rewrite the snapshot
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { OFFER_TYPES, LOAN_OFFER_TYPES, mutableTypes } from "../../common/eip712.ts";
import { join } from "node:path";
import { network } from "hardhat";
import { Contract, SigningKey, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { HARDHAT_KEYS } from "./keys.ts";
import { deployCore, artifact } from "../deploy/01-core.ts";
import { deployFinancing } from "../deploy/02-financing.ts";

const SNAPSHOT_FILE = join(import.meta.dirname, "..", "..", "snapshots", "gas.json");
import { DAY_S } from "../../common/units.ts";
const UNIT = 1_000_000n;
const BATCH_SIZE = 50;
const START_S = 2_000_000_000;
const ROLE = { seller: 1, buyer: 2, financier: 4 } as const;

const FINANCING = { FactoringMarket: 1, PledgeLoans: 1, CreditInsurance: 1 } as const;

/** Targets of issue 3 (gas per flow; the batch figure is per invoice). */
const TARGETS: Record<string, number> = {
  register: 120_000,
  registerAndConfirm: 150_000,
  registerBatchPerInvoice: 70_000,
  confirm: 50_000,
  payInFull: 80_000,
  transfer: 70_000,
  splitInTwo: 150_000,
  // issue 5
  acceptBid: 120_000,
  openLoan: 120_000,
  payWithLoanWaterfall: 110_000,
};

export async function measureGas(): Promise<Record<string, number>> {
  const { ethers } = await network.create();
  const [operator, seller, buyer, financier, supplier] = (await ethers.getSigners()) as Signer[];
  const core = await deployCore(operator!, { operator: await operator!.getAddress(), timelockDelaySeconds: 0 });
  const financing = await deployFinancing(operator!, { ledger: core.ReceivableLedger, timelock: core.Timelock, governorIsDeployer: true });
  const at = (name: string, address: string, signer: Signer) => new Contract(address, artifact(name, name in FINANCING ? "financing" : "").abi, signer);
  const registry = at("MemberRegistry", core.MemberRegistry, operator!);
  const token = at("SettlementToken", core.SettlementToken, operator!);
  const ledger = (s: Signer) => at("ReceivableLedger", core.ReceivableLedger, s);
  // A fixed clock, so calldata (dates, deadlines) and therefore gas are the same on every run.
  await ethers.provider.send("evm_setNextBlockTimestamp", [START_S]);
  await ethers.provider.send("evm_mine", []);
  const now = START_S;
  for (const [s, roles] of [
    [seller, ROLE.seller],
    [buyer, ROLE.buyer | ROLE.seller],
    [financier, ROLE.financier],
    [supplier, ROLE.seller],
  ] as const) {
    await (await registry.getFunction("admit")(await s!.getAddress(), roles, now + 365 * DAY_S)).wait();
  }
  // Holders already have a balance, as trading companies do (a first-ever credit would add 17.1k in the token).
  for (const s of [buyer, seller, financier, supplier]) {
    await (await token.getFunction("mint")(await s!.getAddress(), 1_000_000n * UNIT)).wait();
  }
  await (await token.connect(buyer!).getFunction("approve")(core.ReceivableLedger, 2n ** 255n)).wait();

  let n = 0;
  const invoice = (amount = 10_000n * UNIT) => {
    n += 1;
    return {
      fingerprint: keccak256(toUtf8Bytes(`bench invoice ${n}`)),
      documentHash: keccak256(toUtf8Bytes(`bench document ${n}`)),
      buyer: "",
      amount,
      currency: "0x555344", // USD
      issueDate: now - 20 * DAY_S,
      dueDate: now + 40 * DAY_S,
      terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 },
    };
  };
  const buyerAddr = await buyer!.getAddress();
  const sellerAddr = await seller!.getAddress();
  const gas = async (tx: Promise<any>) => {
    const receipt = await (await tx).wait();
    if (process.env.GAS_TRACE) await traceOpcodes(ethers.provider, receipt.hash);
    return Number(receipt.gasUsed);
  };
  const result: Record<string, number> = {};

  const inv1 = { ...invoice(), buyer: buyerAddr };
  result.register = await gas(ledger(seller!).getFunction("register")(inv1));

  const inv2 = { ...invoice(), buyer: buyerAddr };
  const deadline = now + DAY_S;
  const digest: string = await ledger(seller!).getFunction("confirmationDigest")(
    inv2.fingerprint,
    sellerAddr,
    buyerAddr,
    inv2.amount,
    inv2.dueDate,
    inv2.documentHash,
    deadline,
  );
  const signature = signDigest(buyerAddr, digest);
  result.registerAndConfirm = await gas(ledger(seller!).getFunction("registerAndConfirm")(inv2, deadline, signature));

  const batch = Array.from({ length: BATCH_SIZE }, () => ({ ...invoice(), buyer: buyerAddr }));
  result.registerBatchPerInvoice = Math.round((await gas(ledger(seller!).getFunction("registerBatch")(batch))) / BATCH_SIZE);

  result.confirm = await gas(ledger(buyer!).getFunction("confirm")(inv1.fingerprint));
  // A batch invoice for the payment, and the two confirmed ones for transfer and split.
  await (await ledger(buyer!).getFunction("confirm")(batch[0]!.fingerprint)).wait();
  await ethers.provider.send("evm_increaseTime", [15 * DAY_S]); // past the discount window, before the due date
  await ethers.provider.send("evm_mine", []);
  result.payInFull = await gas(ledger(buyer!).getFunction("pay")(batch[0]!.fingerprint, inv1.amount));
  result.transfer = await gas(ledger(seller!).getFunction("transfer")(inv1.fingerprint, await financier!.getAddress()));
  result.splitInTwo = await gas(
    ledger(seller!).getFunction("split")(inv2.fingerprint, [6_000n * UNIT, 4_000n * UNIT], [await supplier!.getAddress(), sellerAddr]),
  );

  // Issue 5: factoring sale (DvP), opening a pledge loan, and the buyer's payment through the loan waterfall.
  const { chainId } = await ethers.provider.getNetwork();
  const market = at("FactoringMarket", financing.FactoringMarket, seller!);
  const loans = at("PledgeLoans", financing.PledgeLoans, seller!);
  const finAddr = await financier!.getAddress();
  for (const spender of [financing.FactoringMarket, financing.PledgeLoans]) {
    // Financiers approve the market and the loan module without limit (OpenZeppelin's ERC-20 then skips the
    // allowance update on each transfer).
    await (await token.connect(financier!).getFunction("approve")(spender, 2n ** 256n - 1n)).wait();
  }
  for (const i of [1, 2, 3]) await (await ledger(buyer!).getFunction("confirm")(batch[i]!.fingerprint)).wait();
  const later = START_S + 15 * DAY_S; // the clock moved 15 days on before the payment above
  // A financier that has bid before: its nonce bitmap word is already in use (offer nonces 0..255 share a slot).
  await (await market.connect(financier!).getFunction("cancelOffer")(0)).wait();
  await (await market.getFunction("list")(batch[1]!.fingerprint, 9_000n * UNIT, later + 7 * DAY_S, false, 0)).wait();
  const offer = { id: BigInt(batch[1]!.fingerprint), listing: 0, financier: finAddr, price: 9_500n * UNIT, nonce: 1n, expiry: BigInt(later + DAY_S) };
  const offerSig = await financier!.signTypedData(
    { name: "FactoringMarket", version: "1", chainId, verifyingContract: financing.FactoringMarket },
    mutableTypes(OFFER_TYPES),
    offer,
  );
  result.acceptBid = await gas(market.getFunction("acceptOffer")(offer, offerSig));

  await (await loans.connect(financier!).getFunction("cancelOffer")(0)).wait();
  const loanOffer = { id: BigInt(batch[2]!.fingerprint), lender: finAddr, advanceBps: 8_000, rateBps: 1_000, nonce: 1n, expiry: BigInt(later + DAY_S) };
  const loanSig = await financier!.signTypedData(
    { name: "PledgeLoans", version: "1", chainId, verifyingContract: financing.PledgeLoans },
    mutableTypes(LOAN_OFFER_TYPES),
    loanOffer,
  );
  result.openLoan = await gas(loans.getFunction("openLoan")(loanOffer, loanSig));
  await ethers.provider.send("evm_increaseTime", [10 * DAY_S]);
  await ethers.provider.send("evm_mine", []);
  result.payWithLoanWaterfall = await gas(ledger(buyer!).getFunction("pay")(batch[2]!.fingerprint, 20_000n * UNIT));
  return result;
}

/** Signs a raw 32-byte digest with a Hardhat account's key (eth_sign would prefix it). */
export function signDigest(address: string, digest: string): string {
  const key = HARDHAT_KEYS[address.toLowerCase()];
  if (!key) throw new Error(`no key for ${address}`);
  return new SigningKey(key).sign(digest).serialized;
}

/** GAS_TRACE=1: prints gas by opcode for each measured transaction (to find where gas goes). */
async function traceOpcodes(provider: any, hash: string): Promise<void> {
  const trace = await provider.send("debug_traceTransaction", [hash, { disableStorage: true, disableMemory: true }]);
  const byOp: Record<string, number> = {};
  for (const step of trace.structLogs) byOp[step.op] = (byOp[step.op] ?? 0) + step.gasCost;
  const top = Object.entries(byOp)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12);
  console.log(hash.slice(0, 10), trace.gas, top.map(([op, g]) => `${op}:${g}`).join(" "));
}

function table(result: Record<string, number>, snapshot: Record<string, number> | undefined): string {
  const rows = Object.entries(result).map(([flow, g]) => {
    const target = TARGETS[flow];
    const before = snapshot?.[flow];
    const delta = before === undefined ? "new" : g === before ? "=" : `${g > before ? "+" : ""}${g - before}`;
    return `| ${flow.padEnd(24)} | ${String(g).padStart(9)} | ${String(target ?? "-").padStart(9)} | ${target && g <= target ? "yes" : "NO "} | ${delta.padStart(8)} |`;
  });
  return ["| flow                     |       gas |    target | ok  | vs snap  |", "|---|---:|---:|---|---:|", ...rows].join("\n");
}

if (process.argv[1] === import.meta.filename) {
  const result = await measureGas();
  const snapshot = existsSync(SNAPSHOT_FILE) ? (JSON.parse(readFileSync(SNAPSHOT_FILE, "utf8")) as Record<string, number>) : undefined;
  console.log(table(result, snapshot));
  const diffs = Object.keys({ ...result, ...(snapshot ?? {}) }).filter((k) => result[k] !== snapshot?.[k]);
  if (process.argv.includes("--update")) {
    writeFileSync(SNAPSHOT_FILE, JSON.stringify(result, null, 2) + "\n");
    console.log(`wrote ${SNAPSHOT_FILE}`);
  } else if (diffs.length > 0) {
    console.log(`\ndiffers from snapshots/gas.json:`);
    for (const k of diffs) console.log(`  ${k}: snapshot ${snapshot?.[k] ?? "-"} → measured ${result[k] ?? "-"}`);
    if (process.argv.includes("--check")) process.exit(1);
  } else {
    console.log("\nmatches snapshots/gas.json");
  }
  process.exit(0);
}
