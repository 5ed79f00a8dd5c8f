// What the receivables domain projects from the chain (registered with the indexer): each receivable's current
// state, its undo log of past states (ReceivableVersion, for "as of" reads and reorg rollbacks) and the per-party
// balances kept as aggregates.
import type { Database, Tx } from "../database/client.ts";
import { toDbAmount } from "../database/client.ts";
import { chunks, insertRows } from "../database/bulk-insert.ts";
import { defineHandler } from "../indexer/handlers.ts";
import { writeCheckpointIn } from "../indexer/store.ts";
import type { ChainEvent, Checkpoint } from "../indexer/types.ts";
import { applyLedgerEvent, addBalanceDelta, receivableIdOf, idHex, RECEIVABLE_EVENTS, type ReceivableState, type BalanceDelta } from "./projection.ts";
import { RECEIVABLE_COLUMNS, receivableRow, receivableFromRow } from "./rows.ts";

async function loadReceivables(tx: Tx, ids: string[]): Promise<Map<string, ReceivableState>> {
  const out = new Map<string, ReceivableState>();
  for (const part of chunks(ids, 500)) {
    const rows = await tx.receivable.findMany({ where: { id: { in: part } } });
    for (const r of rows) out.set(r.id, receivableFromRow(r));
  }
  return out;
}

/**
 * Writes receivable states: plain INSERTs for the ones not in `existing` (registered or split off in this batch),
 * upserts for the rest. Without `existing` (rollback, bulk load) every state is upserted.
 */
async function writeReceivables(db: Database, tx: Tx, states: ReceivableState[], existing?: { has(id: string): boolean }) {
  const cols = [...RECEIVABLE_COLUMNS, "updatedBlock"];
  const update = cols
    .filter((c) => c !== "id")
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", ");
  const row = (s: ReceivableState) => [...receivableRow(s, db), s.updatedBlock];
  const upsert = `ON CONFLICT ("id") DO UPDATE SET ${update}`;
  if (!existing) return await insertRows(db, tx, "Receivable", cols, states.map(row), upsert);
  await insertRows(db, tx, "Receivable", cols, states.filter((s) => !existing.has(s.id)).map(row), "");
  await insertRows(db, tx, "Receivable", cols, states.filter((s) => existing.has(s.id)).map(row), upsert);
}

/** Writes past states: each was valid from its updatedBlock until `validTo` (the block that changed it). */
async function writeVersions(db: Database, tx: Tx, past: { state: ReceivableState; validTo: number }[]) {
  const cols = [...RECEIVABLE_COLUMNS, "validFrom", "validTo"];
  const update = cols
    .filter((c) => c !== "id" && c !== "validFrom")
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", ");
  await insertRows(
    db,
    tx,
    "ReceivableVersion",
    cols,
    past.map((v) => [...receivableRow(v.state, db), v.state.updatedBlock, v.validTo]),
    `ON CONFLICT ("id", "validFrom") DO UPDATE SET ${update}`,
  );
}

async function applyBalanceDeltas(db: Database, tx: Tx, deltas: Map<string, BalanceDelta>, block: number) {
  const keys = [...deltas.keys()];
  if (keys.length === 0) return;
  const existing = new Map<string, any>();
  for (const part of chunks(keys, 300)) {
    const or = part.map((k) => {
      const [side, address] = k.split(":") as [string, string];
      return { side, address };
    });
    for (const r of await tx.partyBalance.findMany({ where: { OR: or } })) existing.set(`${r.side}:${r.address}`, r);
  }
  const rows: unknown[][] = [];
  for (const [key, d] of deltas) {
    const [side, address] = key.split(":") as [string, string];
    const r = existing.get(key);
    const cur = r
      ? { openBalance: BigInt(r.openBalance), openCount: Number(r.openCount), confirmedOpen: BigInt(r.confirmedOpen), exposure: BigInt(r.exposure) }
      : { openBalance: 0n, openCount: 0, confirmedOpen: 0n, exposure: 0n };
    rows.push([
      address,
      side,
      toDbAmount(cur.openBalance + d.openBalance),
      cur.openCount + d.openCount,
      toDbAmount(cur.confirmedOpen + d.confirmedOpen),
      toDbAmount(cur.exposure + d.exposure),
      block,
    ]);
  }
  await insertRows(
    db,
    tx,
    "PartyBalance",
    ["address", "side", "openBalance", "openCount", "confirmedOpen", "exposure", "updatedBlock"],
    rows,
    `ON CONFLICT ("address", "side") DO UPDATE SET "openBalance" = excluded."openBalance", "openCount" = excluded."openCount", "confirmedOpen" = excluded."confirmedOpen", "exposure" = excluded."exposure", "updatedBlock" = excluded."updatedBlock"`,
  );
}

/** Folds a batch's ledger events over the current states and writes states, past versions and balances. */
async function applyBatch(db: Database, tx: Tx, events: ChainEvent[], block: number): Promise<string[]> {
  const ids = new Set<string>();
  for (const e of events) {
    const id = receivableIdOf(e);
    if (id && e.name !== "ReceivableRegistered") ids.add(id);
    // A split's parts must be new: loaded so the projection can refuse to overwrite one that exists.
    if (e.name === "ReceivableSplit") for (const part of e.args["partIds"] as unknown[]) ids.add(idHex(part));
  }
  const before = await loadReceivables(tx, [...ids]);
  const state = new Map(before);
  // Undo log: a state that a later block replaces becomes a past version, valid until that block.
  const past: { state: ReceivableState; validTo: number }[] = [];
  const touched = new Set<string>();
  for (const e of events) {
    for (const s of applyLedgerEvent((id) => state.get(id), e)) {
      const prev = state.get(s.id);
      if (prev && prev.updatedBlock < s.updatedBlock) past.push({ state: prev, validTo: s.updatedBlock });
      state.set(s.id, s);
      touched.add(s.id);
    }
  }
  const deltas = new Map<string, BalanceDelta>();
  const changed = [...touched].map((id) => state.get(id)!);
  for (const s of changed) addBalanceDelta(deltas, before.get(s.id), s);
  await writeReceivables(db, tx, changed, before);
  await writeVersions(db, tx, past);
  await applyBalanceDeltas(db, tx, deltas, block);
  return [...touched];
}

/** Restores every receivable changed above `A` to its state at A (from the undo log), or removes it. */
async function rollbackTo(db: Database, tx: Tx, chainId: number, A: number): Promise<string[]> {
  // Receivables changed above A: those named by events above A, and parts created by splits above A.
  const later = await tx.ledgerEvent.findMany({
    where: { chainId, blockNumber: { gt: A }, receivableId: { not: null } },
    select: { receivableId: true, name: true, args: true },
  });
  const changed = new Set<string>();
  for (const e of later) {
    changed.add(e.receivableId!);
    if (e.name === "ReceivableSplit") for (const part of JSON.parse(e.args).partIds as string[]) changed.add(idHex(part));
  }
  const changedIds = [...changed];
  const current = await loadReceivables(tx, changedIds);
  // Each is restored to the past state valid at A (validFrom <= A < validTo), or removed when registered above A.
  const restored: ReceivableState[] = [];
  const removed: string[] = [];
  const deltas = new Map<string, BalanceDelta>();
  for (const part of chunks(changedIds, 500)) {
    const rows = await tx.receivableVersion.findMany({ where: { id: { in: part }, validFrom: { lte: A }, validTo: { gt: A } } });
    const atA = new Map(rows.map((r) => [r.id, receivableFromRow(r)]));
    for (const id of part) {
      const now = current.get(id);
      if (!now) continue;
      const s = now.updatedBlock <= A ? now : atA.get(id);
      addBalanceDelta(deltas, now, s);
      if (!s) removed.push(id);
      else if (s !== now) restored.push(s);
    }
  }
  for (const part of chunks(changedIds, 500)) await tx.receivableVersion.deleteMany({ where: { id: { in: part }, validTo: { gt: A } } });
  for (const part of chunks(removed, 500)) await tx.receivable.deleteMany({ where: { id: { in: part } } });
  await writeReceivables(db, tx, restored);
  await applyBalanceDeltas(db, tx, deltas, A);
  return changedIds;
}

export const receivablesProjection = defineHandler({
  name: "receivables",
  events: RECEIVABLE_EVENTS,
  keys: (e) => ({ receivableId: receivableIdOf(e) }),
  deferrableTables: ["Receivable", "ReceivableVersion"],
  async apply(tx, events, { db, checkpoint }) {
    return { receivables: await applyBatch(db, tx, events, checkpoint.blockNumber) };
  },
  async rollback(tx, toBlock, { db, chainId }) {
    return { receivables: await rollbackTo(db, tx, chainId, toBlock) };
  },
});

/**
 * Bulk-loads receivable states (current rows and their first version) with their aggregates and a checkpoint —
 * for benchmark data sets (scripts/bench/seed-receivables.ts), not for indexing.
 */
export async function bulkLoadReceivables(db: Database, states: ReceivableState[], checkpoint: Checkpoint): Promise<void> {
  await db.prisma.$transaction(
    async (tx) => {
      await writeReceivables(db, tx, states);
      const deltas = new Map<string, BalanceDelta>();
      for (const s of states) addBalanceDelta(deltas, undefined, s);
      await applyBalanceDeltas(db, tx, deltas, checkpoint.blockNumber);
      await writeCheckpointIn(tx, checkpoint);
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}
