// Where the receivables list comes from: the API server's indexed view, or — when no API server answers (the
// Vite dev server against a bare chain) — straight from the ledger's logs. Both return the server's shapes.
import type { Address, Hex } from "viem";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";
import { receivableIdHex } from "../../common/ids.ts";
import { statusName } from "../../common/lifecycle.ts";
import { ApiError, api, type ReceivableDetail, type ReceivableEvent, type ReceivableJson, type ReceivablePage, type ReceivableQuery } from "./api.ts";
import type { ChainClient } from "./chain.ts";

export interface ReceivableSource {
  kind: "api" | "chain";
  list(q: ReceivableQuery): Promise<ReceivablePage>;
  get(id: string): Promise<ReceivableDetail>;
}

export async function chooseSource(chain: ChainClient): Promise<ReceivableSource> {
  try {
    await api.listReceivables({ limit: 1 });
    return { kind: "api", list: api.listReceivables, get: api.getReceivable };
  } catch (e) {
    if (e instanceof ApiError && e.status !== 404 && e.status !== 405) {
      // The API exists but refused (e.g. needs sign-in): still the source of truth.
      return { kind: "api", list: api.listReceivables, get: api.getReceivable };
    }
    return createChainSource(chain);
  }
}

function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const iso = (unix: number | bigint) => new Date(Number(unix) * 1000).toISOString();

export function createChainSource(chain: ChainClient): ReceivableSource {
  const { publicClient, config } = chain;

  async function load(): Promise<{ items: ReceivableDetail[]; block: number }> {
    const block = await publicClient.getBlockNumber();
    const logs = await publicClient.getContractEvents({
      address: config.contracts.ReceivableLedger,
      abi: receivableLedgerAbi,
      fromBlock: BigInt(config.deploymentBlock),
      toBlock: block,
    });
    const events = new Map<string, ReceivableEvent[]>();
    const registered = new Map<string, { blockNumber: number; transactionHash: Hex; documentHash: Hex }>();
    for (const log of logs) {
      const args = (log.args ?? {}) as Record<string, unknown>;
      if (typeof args.id !== "bigint") continue;
      const id = receivableIdHex(args.id);
      const ev: ReceivableEvent = {
        type: log.eventName ?? "Unknown",
        blockNumber: Number(log.blockNumber),
        blockHash: log.blockHash ?? undefined,
        transactionHash: log.transactionHash as Hex,
        logIndex: Number(log.logIndex),
        args: plain(args) as Record<string, unknown>,
      };
      events.set(id, [...(events.get(id) ?? []), ev]);
      if (log.eventName === "ReceivableRegistered") {
        registered.set(id, { blockNumber: ev.blockNumber, transactionHash: ev.transactionHash, documentHash: args.documentHash as Hex });
      }
    }
    const items = await Promise.all(
      [...registered.entries()].map(async ([id, reg]) => {
        const r = await publicClient.readContract({
          address: config.contracts.ReceivableLedger,
          abi: receivableLedgerAbi,
          functionName: "receivable",
          args: [BigInt(id)],
        });
        const item: ReceivableDetail = {
          id: id as Hex,
          seller: r.seller,
          buyer: r.buyer,
          holder: r.holder,
          status: statusName(Number(r.status)),
          faceAmount: r.faceAmount.toString(),
          paid: r.paid.toString(),
          outstanding: (r.faceAmount - r.paid).toString(),
          issueDate: iso(r.issueDate),
          dueDate: iso(r.dueDate),
          documentHash: reg.documentHash,
          terms: { ...r.terms },
          parentId: r.parentId === 0n ? null : receivableIdHex(r.parentId),
          lockedBy: r.lockedBy,
          registeredAt: { blockNumber: reg.blockNumber, transactionHash: reg.transactionHash },
          events: events.get(id) ?? [],
        };
        return item;
      }),
    );
    items.sort((a, b) => (b.registeredAt?.blockNumber ?? 0) - (a.registeredAt?.blockNumber ?? 0));
    return { items, block: Number(block) };
  }

  const same = (a: Address | undefined, b: string) => !a || a.toLowerCase() === b.toLowerCase();

  return {
    kind: "chain",
    async list(q) {
      const { items, block } = await load();
      const filtered = items.filter(
        (r) => same(q.seller, r.seller) && same(q.buyer, r.buyer) && same(q.holder, r.holder) && (!q.status || r.status === q.status),
      );
      const start = Number(q.cursor ?? 0);
      const limit = q.limit ?? 20;
      const page = filtered.slice(start, start + limit).map(({ events: _events, ...rest }): ReceivableJson => rest);
      return { items: page, nextCursor: start + limit < filtered.length ? String(start + limit) : null, block: { number: block } };
    },
    async get(id) {
      const { items } = await load();
      const found = items.find((r) => r.id.toLowerCase() === id.toLowerCase());
      if (!found) throw new ApiError(404, `receivable ${id} not found`);
      return found;
    },
  };
}

/** Follows nextCursor to collect up to `maxItems` receivables (for portfolio and audit views). */
export async function listAll(
  source: ReceivableSource,
  q: ReceivableQuery,
  maxItems = 2_000,
): Promise<{ items: ReceivableJson[]; complete: boolean; block: number | null }> {
  const items: ReceivableJson[] = [];
  let cursor: string | null = null;
  let block: number | null = null;
  do {
    const page: ReceivablePage = await source.list({ ...q, limit: 500, cursor });
    // Keep the block of the first page: later pages are read at the same block when the server pins it.
    if (block === null && page.block) block = page.block.number;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < maxItems);
  return { items, complete: !cursor, block };
}
