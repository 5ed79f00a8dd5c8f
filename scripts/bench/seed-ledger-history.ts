// A synthetic ledger WITH its full event histories, for the reports benchmark (scripts/bench/reports.ts):
// `count` receivables registered over 24 months between 10,000 buyers and 2,000 sellers (skewed: a few large
// parties, many small ones), with 50 financiers that buy some of them. Each receivable's life is drawn from a
// seeded PRNG (deterministic for a given seed and size): registration, confirmation (or dispute, cancellation,
// nothing), a transfer to a financier, a credit note issued and accepted, partial and full payments around the
// due date by the buyer's own payment behaviour, defaults with recoveries and write-offs; events later than the
// head are not generated, so the head has open, overdue and at-risk receivables.
//
// The rows are what the indexer would have written for those events: each event is a LedgerEvent row (the
// decoded arguments as the indexer stores them) and is folded with the receivables projection's own
// applyLedgerEvent; every state a later block replaced becomes a ReceivableVersion row (validFrom = the block it
// was made in, validTo = the block that replaced it), exactly as receivables/indexing.ts keeps its undo log, and
// the last state is the Receivable row. The rows go straight into the tables (COPY on PostgreSQL, one prepared
// INSERT on SQLite), with the tables' secondary indexes dropped during the load and built again after it (as the
// indexer's cold backfill does). PartyBalance is not loaded (the reports do not read it).
import { createHash } from "node:crypto";
import type { Database } from "../../server/database/client.ts";
import { buildInsert, runInsert } from "../../server/database/bulk-insert.ts";
import { writeCheckpointIn } from "../../server/indexer/store.ts";
import { applyLedgerEvent, type ReceivableState } from "../../server/receivables/projection.ts";
import { RECEIVABLE_COLUMNS, receivableRow } from "../../server/receivables/rows.ts";
import type { ChainEvent } from "../../server/indexer/types.ts";
import { OPEN } from "../../common/lifecycle.ts";
import { Role } from "../../common/roles.ts";
import { DAY_S } from "../../common/units.ts";

export const HISTORY_BUYERS = 10_000;
export const HISTORY_SELLERS = 2_000;
export const HISTORY_FINANCIERS = 50;
export const CHAIN_ID = 31337;
/** Block time of the synthetic chain: block n has timestamp T0 + n × BLOCK_S (block 1 is the deployment block). */
export const BLOCK_S = 15;
/** The history covers the 24 months 2024-12-01 .. 2026-11-30 (UTC); the head is the last block of 2026-11-30. */
export const T0 = Date.UTC(2024, 11, 1) / 1000;
export const END_T = Date.UTC(2026, 11, 1) / 1000 - 1;
export const HEAD_BLOCK = Math.floor((END_T - T0) / BLOCK_S);
export const DEPLOYMENT_BLOCK = 1;

const LEDGER = "0x" + "1e".repeat(20);
const CHUNK = 10_000;
const U = 1_000_000n; // one token in base units

const hex = (text: string, bytes = 32) =>
  "0x" +
  createHash("sha256")
    .update(text)
    .digest("hex")
    .slice(0, bytes * 2);
export const partyAddress = (kind: "buyer" | "seller" | "financier" | "auditor", i: number) => hex(`${kind}:${i}`, 20);
export const blockHash = (n: number) => "0x" + n.toString(16).padStart(64, "0");
export const blockTime = (n: number) => T0 + n * BLOCK_S;
/** The block an event at unix time `t` lands in (its timestamp is the end of its 15-second slot). */
const blockOf = (t: number) => 1 + Math.floor((t - T0) / BLOCK_S);

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Buyer {
  /** Mean days paid after the due date (negative: early). */
  delayDays: number;
  partialShare: number;
  defaultShare: number;
}

export interface HistoryStats {
  receivables: number;
  events: number;
  versions: number;
  byName: Record<string, number>;
  /** What the generated ledger says the portfolio's open balance is at the head (the reports must agree). */
  headOpen: { amount: bigint; count: number };
  seconds: number;
}

const jsonArgs = (args: Record<string, unknown>) => JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
const LEDGER_EVENT_COLUMNS = [
  "chainId",
  "blockNumber",
  "transactionIndex",
  "logIndex",
  "blockHash",
  "transactionHash",
  "contract",
  "name",
  "receivableId",
  "member",
  "args",
];
const TABLES = ["Receivable", "ReceivableVersion", "LedgerEvent"];

async function secondaryIndexes(db: Database): Promise<{ name: string; definition: string }[]> {
  const tables = TABLES.map((t) => `'${t}'`).join(",");
  return (await db.prisma.$queryRawUnsafe(
    db.provider === "sqlite"
      ? `SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`
      : `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname) JOIN pg_index x ON x.indexrelid = c.oid
         WHERE i.schemaname = current_schema() AND i.tablename IN (${tables}) AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.indexname`,
  )) as { name: string; definition: string }[];
}

/** Loads the history into `db` (migrated, empty). Deterministic for a given (count, seed). */
export async function seedLedgerHistory(db: Database, count: number, seed: number, log: (s: string) => void = () => {}): Promise<HistoryStats> {
  const t0 = Date.now();
  const rng = mulberry32(seed);
  const pick = (n: number, skew: number) => Math.min(n - 1, Math.floor(n * rng() ** skew));
  const between = (a: number, b: number) => a + (b - a) * rng();
  const buyers = Array.from({ length: HISTORY_BUYERS }, (_, i): Buyer => {
    const r = mulberry32(seed * 7919 + i);
    return { delayDays: -10 + 70 * r() ** 2, partialShare: 0.05 + 0.3 * r(), defaultShare: 0.005 + 0.1 * r() ** 4 };
  });
  const buyerAddr = buyers.map((_, i) => partyAddress("buyer", i));
  const sellerAddr = Array.from({ length: HISTORY_SELLERS }, (_, i) => partyAddress("seller", i));
  const finAddr = Array.from({ length: HISTORY_FINANCIERS }, (_, i) => partyAddress("financier", i));
  const txInBlock = new Uint16Array(HEAD_BLOCK + 2);
  const stats: HistoryStats = { receivables: 0, events: 0, versions: 0, byName: {}, headOpen: { amount: 0n, count: 0 }, seconds: 0 };

  const dropped = await secondaryIndexes(db);
  for (const ix of dropped) await db.prisma.$executeRawUnsafe(`DROP INDEX "${ix.name}"`);
  const span = END_T - DAY_S - T0;

  for (let start = 0; start < count; start += CHUNK) {
    const recRows: unknown[][] = [];
    const verRows: unknown[][] = [];
    const evRows: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const idHexStr = hex(`receivable:${seed}:${i}`);
      const id = BigInt(idHexStr);
      const seller = sellerAddr[pick(HISTORY_SELLERS, 1.6)]!;
      const bi = pick(HISTORY_BUYERS, 1.4);
      const buyer = buyerAddr[bi]!;
      const behaviour = buyers[bi]!;
      // Registration times increase with i (the history is generated in time order), issue date up to 3 days before.
      const regT = Math.floor(T0 + ((i + rng()) / count) * span);
      const issueDate = regT - Math.floor(between(0, 3) * DAY_S);
      const termDays = [30, 30, 45, 60, 60, 90, 120][Math.floor(rng() * 7)]!;
      const dueDate = issueDate + termDays * DAY_S;
      const graceDays = 5;
      const lateBps = 1200;
      const face0 = BigInt(Math.round(1_000 * 1_000 ** rng())) * U; // log-uniform 1k .. 1M tokens
      const plan: { t: number; name: string; args: Record<string, unknown> }[] = [];
      let t = regT;
      const at = (next: number) => (t = Math.max(Math.floor(next), t + 60));
      plan.push({
        t,
        name: "ReceivableRegistered",
        args: {
          id,
          seller,
          buyer,
          amount: face0,
          currency: "0x555344",
          issueDate,
          dueDate,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: lateBps, graceDays },
          documentHash: hex(`doc:${i}`),
        },
      });
      const u = rng();
      let confirmed = true;
      if (u < 0.03) {
        plan.push({ t: at(t + between(1, 5) * DAY_S), name: "ReceivableDisputed", args: { id, buyer, reasonHash: hex(`dispute:${i}`) } });
        if (rng() < 0.5) {
          plan.push({ t: at(t + between(1, 10) * DAY_S), name: "ReceivableCancelled", args: { id, seller } });
          confirmed = false;
        }
      } else if (u < 0.045) {
        plan.push({ t: at(t + between(0.1, 5) * DAY_S), name: "ReceivableCancelled", args: { id, seller } });
        confirmed = false;
      } else if (u < 0.07) confirmed = false; // never confirmed: stays Registered (open)
      if (confirmed) {
        plan.push({ t: at(t + between(0.01, 7) * DAY_S), name: "ReceivableConfirmed", args: { id, buyer, bySignature: rng() < 0.3 } });
        let holder = seller;
        let face = face0;
        let outstanding = face0;
        if (rng() < 0.15) {
          const to = finAddr[pick(HISTORY_FINANCIERS, 1.3)]!;
          plan.push({ t: at(t + between(1, 15) * DAY_S), name: "ReceivableTransferred", args: { id, from: holder, to } });
          holder = to;
        }
        if (rng() < 0.06) {
          const note = (face * BigInt(Math.floor(between(2, 20)))) / 100n;
          const noteId = BigInt(hex(`note:${i}`));
          plan.push({ t: at(t + between(1, 10) * DAY_S), name: "CreditNoteIssued", args: { id, noteId, amount: note, reasonHash: hex(`cn:${i}`) } });
          face -= note;
          outstanding = face;
          plan.push({ t: at(t + between(0.5, 3) * DAY_S), name: "CreditNoteAccepted", args: { id, noteId, faceAmount: face } });
        }
        const pay = (when: number, principal: bigint) => {
          const late = Math.max(0, Math.floor((when - dueDate) / DAY_S) - graceDays);
          const interest = (principal * BigInt(lateBps) * BigInt(late)) / (10_000n * 365n);
          outstanding -= principal;
          plan.push({
            t: at(when),
            name: "ReceivablePaid",
            args: { id, payer: buyer, holder, amount: principal + interest, principal, interest, outstanding, refunded: 0n },
          });
        };
        const payT = Math.max(t + DAY_S, dueDate + (behaviour.delayDays + between(-10, 10)) * DAY_S);
        if (rng() < behaviour.partialShare) {
          const parts = 1 + Math.floor(rng() * 2);
          for (let k = 1; k <= parts; k++) pay(t + ((payT - t) * k) / (parts + 1), (outstanding * BigInt(Math.floor(between(20, 45)))) / 100n);
        }
        if (rng() < behaviour.defaultShare) {
          plan.push({
            t: at(Math.max(t + DAY_S, dueDate + (graceDays + between(30, 90)) * DAY_S)),
            name: "ReceivableDefaulted",
            args: { id, holder, outstanding },
          });
          const r = rng();
          if (r < 0.4) pay(t + between(30, 120) * DAY_S, r < 0.15 ? outstanding : (outstanding * BigInt(Math.floor(between(30, 90)))) / 100n);
          else if (r < 0.7) plan.push({ t: at(t + between(60, 180) * DAY_S), name: "ReceivableWrittenOff", args: { id, holder, outstanding } });
        } else pay(payT, outstanding);
      }

      // Fold the events up to the head with the projection itself; replaced states become the undo log.
      let state: ReceivableState | undefined;
      for (const p of plan) {
        const block = blockOf(p.t);
        if (block > HEAD_BLOCK) break;
        const tx = txInBlock[block]!++;
        const e: ChainEvent = {
          chainId: CHAIN_ID,
          blockNumber: block,
          transactionIndex: tx,
          logIndex: tx,
          blockHash: blockHash(block),
          transactionHash: hex(`tx:${block}:${tx}`),
          contract: LEDGER,
          name: p.name,
          args: p.args,
        };
        evRows.push([CHAIN_ID, block, tx, tx, e.blockHash, e.transactionHash, LEDGER, p.name, idHexStr, null, jsonArgs(p.args)]);
        stats.byName[p.name] = (stats.byName[p.name] ?? 0) + 1;
        for (const s of applyLedgerEvent((x) => (x === idHexStr ? state : undefined), e)) {
          if (state && state.updatedBlock < s.updatedBlock) verRows.push([...receivableRow(state, db), state.updatedBlock, s.updatedBlock]);
          state = s;
        }
      }
      recRows.push([...receivableRow(state!, db), state!.updatedBlock]);
      if (OPEN.has(state!.status) && state!.outstanding > 0n) {
        stats.headOpen.amount += state!.outstanding;
        stats.headOpen.count++;
      }
    }
    await db.prisma.$transaction(
      async (tx) => {
        await runInsert(db, tx, buildInsert(db, "Receivable", [...RECEIVABLE_COLUMNS, "updatedBlock"], recRows, ""));
        await runInsert(db, tx, buildInsert(db, "ReceivableVersion", [...RECEIVABLE_COLUMNS, "validFrom", "validTo"], verRows, ""));
        await runInsert(db, tx, buildInsert(db, "LedgerEvent", LEDGER_EVENT_COLUMNS, evRows, ""));
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
    stats.receivables += recRows.length;
    stats.versions += verRows.length;
    stats.events += evRows.length;
    log(`loaded ${stats.receivables}/${count} receivables, ${stats.events} events (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  log(`building ${dropped.length} indexes…`);
  for (const ix of dropped) await db.prisma.$executeRawUnsafe(ix.definition);

  const members = [
    ...buyerAddr.map((address) => ({ address, roles: Role.Buyer })),
    ...sellerAddr.map((address) => ({ address, roles: Role.Seller })),
    ...finAddr.map((address) => ({ address, roles: Role.Financier })),
    { address: partyAddress("auditor", 0), roles: Role.Auditor },
  ].map((m) => ({ ...m, expiresAt: END_T + 365 * DAY_S, suspended: false, admittedAtBlock: DEPLOYMENT_BLOCK, updatedAtBlock: DEPLOYMENT_BLOCK }));
  await db.prisma.$transaction(
    async (tx) => {
      const cols = ["address", "roles", "expiresAt", "suspended", "admittedAtBlock", "updatedAtBlock"] as const;
      await runInsert(
        db,
        tx,
        buildInsert(
          db,
          "Member",
          [...cols],
          members.map((m) => cols.map((c) => m[c])),
          "",
        ),
      );
      await writeCheckpointIn(tx, { chainId: CHAIN_ID, blockNumber: HEAD_BLOCK, blockHash: blockHash(HEAD_BLOCK), headBlock: HEAD_BLOCK });
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
  stats.seconds = (Date.now() - t0) / 1000;
  return stats;
}
