// What the members domain projects from the chain (registered with the indexer): each member's admission state.
import type { Database, Tx } from "../database/client.ts";
import { defineHandler } from "../indexer/handlers.ts";
import type { ChainEvent } from "../indexer/types.ts";
import { applyMemberEvent, MEMBER_EVENTS, type MemberState } from "./projection.ts";

const ORDER = [{ blockNumber: "asc" as const }, { transactionIndex: "asc" as const }, { logIndex: "asc" as const }];
const memberOf = (e: Pick<ChainEvent, "args">) => String(e.args["member"]).toLowerCase();

function memberFromRow(r: any): MemberState {
  return {
    address: r.address,
    roles: Number(r.roles),
    expiresAt: Number(r.expiresAt),
    suspended: Boolean(r.suspended),
    admittedAtBlock: Number(r.admittedAtBlock),
    updatedAtBlock: Number(r.updatedAtBlock),
  };
}

async function writeMembers(tx: Tx, members: MemberState[]) {
  for (const m of members) {
    await tx.member.upsert({ where: { address: m.address }, create: m, update: m });
  }
}

export const membersProjection = defineHandler({
  name: "members",
  events: MEMBER_EVENTS,
  keys: (e) => ({ member: memberOf(e) }),
  async apply(tx, events) {
    const addresses = [...new Set(events.map(memberOf))];
    const members = new Map<string, MemberState>();
    for (const r of await tx.member.findMany({ where: { address: { in: addresses } } })) members.set(r.address, memberFromRow(r));
    for (const e of events) {
      const address = memberOf(e);
      const next = applyMemberEvent(members.get(address), e);
      if (next) members.set(address, next);
    }
    await writeMembers(tx, [...members.values()]);
    return { members: addresses };
  },
  /** Members touched above `toBlock`: re-folded from their events at or below it. */
  async rollback(tx, toBlock, { chainId }) {
    const addresses = (
      await tx.ledgerEvent.findMany({ where: { chainId, blockNumber: { gt: toBlock }, member: { not: null } }, select: { member: true }, distinct: ["member"] })
    ).map((r) => r.member!);
    for (const address of addresses) {
      const evs = await tx.ledgerEvent.findMany({ where: { member: address, blockNumber: { lte: toBlock } }, orderBy: ORDER });
      let m: MemberState | undefined;
      for (const r of evs) m = applyMemberEvent(m, { ...r, args: JSON.parse(r.args) });
      if (m) await tx.member.upsert({ where: { address }, create: m, update: m });
      else await tx.member.deleteMany({ where: { address } });
    }
    return { members: addresses };
  },
});

/** Bulk-loads member states (benchmark data sets, not indexing). */
export async function bulkLoadMembers(db: Database, members: MemberState[]): Promise<void> {
  await db.prisma.$transaction(async (tx) => writeMembers(tx, members));
}
