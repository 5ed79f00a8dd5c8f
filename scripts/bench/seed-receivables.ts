// Seeds a database with a large synthetic book of receivables (current rows + per-party aggregates + members),
// for the API benchmark. The rows go through the server's own data access (bulk load), not through the chain.
//   node scripts/bench/seed-receivables.ts <databaseUrl> <count> [checkpointBlock] [checkpointHash]
import { keccak256, toHex } from "viem";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase } from "../../server/database/client.ts";
import { bulkLoadReceivables } from "../../server/receivables/indexing.ts";
import { bulkLoadMembers } from "../../server/members/indexing.ts";
import type { ReceivableState } from "../../server/receivables/projection.ts";
import { STATUS } from "../../common/lifecycle.ts";
import { Role } from "../../common/roles.ts";

export const SEED_BUYERS = 500;
export const SEED_SELLERS = 2_000;
const CHUNK = 25_000;
import { DAY_S } from "../../common/units.ts";

/** Synthetic party addresses: index 0 of each list may be a real account (so a SIWE viewer can own data). */
export function seedAddress(kind: "buyer" | "seller", i: number): string {
  return ("0x" + keccak256(toHex(`${kind}:${i}`)).slice(26)).toLowerCase();
}

export async function seedReceivables(
  databaseUrl: string,
  count: number,
  opts: { chainId: number; checkpoint: { blockNumber: number; blockHash: string }; realBuyer?: string; realAuditor?: string; log?: (s: string) => void },
) {
  const log = opts.log ?? (() => {});
  await applyMigrations(databaseUrl);
  const db = await openDatabase(databaseUrl);
  const t0 = Date.now();
  const buyer = (i: number) => (i === 0 && opts.realBuyer ? opts.realBuyer.toLowerCase() : seedAddress("buyer", i));
  const statuses = [STATUS.Registered, STATUS.Confirmed, STATUS.Confirmed, STATUS.Confirmed, STATUS.Paid, STATUS.Paid, STATUS.Disputed, STATUS.Defaulted];
  const now = Math.floor(Date.now() / 1000);
  try {
    for (let start = 0; start < count; start += CHUNK) {
      const states: ReceivableState[] = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i++) {
        const status = statuses[i % statuses.length]!;
        const face = BigInt(1_000 + ((i * 7919) % 1_000_000)) * 1_000_000n;
        const paid = status === STATUS.Paid ? face : 0n;
        const seller = seedAddress("seller", i % SEED_SELLERS);
        states.push({
          id: keccak256(toHex(`receivable:${i}`)),
          seller,
          buyer: buyer(i % SEED_BUYERS),
          holder: i % 5 === 0 ? seedAddress("seller", (i + 1) % SEED_SELLERS) : seller,
          status,
          faceAmount: face,
          paid,
          outstanding: face - paid,
          issueDate: now - (i % 365) * DAY_S,
          dueDate: now + ((i % 240) - 60) * DAY_S,
          documentHash: keccak256(toHex(`doc:${i}`)),
          terms: { discountBps: 200, discountDays: 10, lateInterestBps: 1200, graceDays: 5 },
          parentId: null,
          lockedBy: null,
          listed: false,
          registeredBlock: 1 + Math.floor(i / 50),
          registeredTx: keccak256(toHex(`tx:${Math.floor(i / 50)}`)),
          updatedBlock: 1 + Math.floor(i / 50),
        });
      }
      await bulkLoadReceivables(db, states, {
        chainId: opts.chainId,
        blockNumber: opts.checkpoint.blockNumber,
        blockHash: opts.checkpoint.blockHash,
        headBlock: opts.checkpoint.blockNumber,
      });
      log(`seeded ${Math.min(count, start + CHUNK)}/${count} receivables (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const members = [];
    if (opts.realBuyer)
      members.push({
        address: opts.realBuyer.toLowerCase(),
        roles: Role.Buyer,
        expiresAt: now + 365 * DAY_S,
        suspended: false,
        admittedAtBlock: 1,
        updatedAtBlock: 1,
      });
    if (opts.realAuditor)
      members.push({
        address: opts.realAuditor.toLowerCase(),
        roles: Role.Auditor,
        expiresAt: now + 365 * DAY_S,
        suspended: false,
        admittedAtBlock: 1,
        updatedAtBlock: 1,
      });
    await bulkLoadMembers(db, members);
  } finally {
    await db.close();
  }
  return { seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] === import.meta.filename) {
  const [url, n, block, hash] = process.argv.slice(2);
  if (!url) throw new Error("usage: node scripts/bench/seed-receivables.ts <databaseUrl> <count> [checkpointBlock] [checkpointHash]");
  const r = await seedReceivables(url, Number(n ?? 1_000_000), {
    chainId: 31337,
    checkpoint: { blockNumber: Number(block ?? 0), blockHash: hash ?? "0x" },
    log: console.log,
  });
  console.log(r);
}
