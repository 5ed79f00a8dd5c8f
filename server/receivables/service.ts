// Receivable use cases: list and show, scoped to what the viewer may see, stamped with the block they are
// current to. Talks to data access through the ReceivableQueries interface.
import { statusName, statusIndex } from "../../common/lifecycle.ts";
import { badRequest, notFound } from "../errors.ts";
import type { ReceivableQueries, SortKey, IndexedBlock, StoredEvent } from "./store.ts";
import { sortValueOf } from "./store.ts";
import { overdueness, type ReceivableState } from "./projection.ts";
import type { InvoiceDetailService } from "./invoice-details.ts";
import { receivableScope, canSeeReceivable, canSeeDocument, type Viewer, type ResolvedScope } from "./visibility.ts";

const DEFAULT_PAGE = 50;

export interface BlockStamp {
  number: number;
  hash: string;
  final: boolean;
}

export function blockStamp(b: IndexedBlock | null, finalityDepth: number): BlockStamp {
  if (!b) return { number: -1, hash: "0x", final: false };
  return { number: b.number, hash: b.hash, final: b.number <= b.headBlock - finalityDepth };
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();

/**
 * A receivable as the API shows it. `currency`: its ISO 4217 code (the ledger registers only its settlement
 * currency); `now`: the chain's time (unix seconds) the overdue flag is judged at.
 */
export function receivableJson(s: ReceivableState, currency: string, now: number) {
  return {
    id: s.id,
    currency,
    seller: s.seller,
    buyer: s.buyer,
    holder: s.holder,
    status: statusName(s.status),
    faceAmount: s.faceAmount.toString(),
    paid: s.paid.toString(),
    outstanding: s.outstanding.toString(),
    issueDate: iso(s.issueDate),
    dueDate: iso(s.dueDate),
    documentHash: s.documentHash,
    terms: s.terms,
    parentId: s.parentId,
    lockedBy: s.lockedBy,
    listed: s.listed,
    registeredAt: { blockNumber: s.registeredBlock, transactionHash: s.registeredTx },
    updatedBlock: s.updatedBlock,
    ...overdueness(s, now),
  };
}

export function eventJson(e: StoredEvent) {
  return {
    type: e.name,
    blockNumber: e.blockNumber,
    blockHash: e.blockHash,
    transactionHash: e.transactionHash,
    logIndex: e.logIndex,
    args: e.args,
  };
}

function encodeCursor(sort: string, value: string | number, id: string) {
  return Buffer.from(JSON.stringify([sort, value, id])).toString("base64url");
}

function decodeCursor(cursor: string, sort: string): { value: string | number; id: string } {
  try {
    const [s, value, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (s !== sort) throw new Error("sort");
    if ((typeof value !== "string" || !/^\d{1,40}$/.test(value)) && !Number.isInteger(value)) throw new Error("value");
    if (typeof id !== "string" || !/^0x[0-9a-f]{64}$/.test(id)) throw new Error("id");
    return { value, id };
  } catch {
    throw badRequest(`invalid cursor: pass the nextCursor of a previous page with the same sort (${sort})`);
  }
}

export interface ListInput {
  seller?: string | undefined;
  buyer?: string | undefined;
  holder?: string | undefined;
  status?: string[] | undefined;
  dueFrom?: number | undefined;
  dueTo?: number | undefined;
  minAmount?: string | undefined;
  maxAmount?: string | undefined;
  sort?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
  asOfBlock?: number | undefined;
  /** Search by invoice number, counterparty (name or tax id) or amount. */
  q?: string | undefined;
}

export function createReceivableService(deps: {
  queries: ReceivableQueries;
  finalityDepth: number;
  currency: string;
  clock: { now(): Promise<number> };
  details?: () => InvoiceDetailService;
}) {
  const { queries, finalityDepth, currency, clock } = deps;
  const annotate = async <T extends { id: string; seller: string; buyer: string; parentId: string | null }>(items: T[]) =>
    deps.details ? await deps.details().annotate(items) : items;

  async function checkAsOf(asOfBlock: number | undefined) {
    if (asOfBlock === undefined) return;
    const b = await queries.indexedBlock();
    if (!b || asOfBlock > b.number) throw badRequest(`asOfBlock ${asOfBlock} is beyond the indexed block ${b?.number ?? "(none yet)"}`);
  }

  return {
    async list(viewer: Viewer | null, input: ListInput) {
      const scope: ResolvedScope = viewer ? receivableScope(viewer) : { all: true, anyOf: [] };
      const sortText = input.sort ?? "-registeredAt";
      const descending = sortText.startsWith("-");
      const sort = (descending ? sortText.slice(1) : sortText) as SortKey;
      if (input.minAmount !== undefined && input.maxAmount !== undefined && BigInt(input.minAmount) > BigInt(input.maxAmount)) {
        throw badRequest(`minAmount ${input.minAmount} is greater than maxAmount ${input.maxAmount}`);
      }
      if (input.dueFrom !== undefined && input.dueTo !== undefined && input.dueFrom > input.dueTo) throw badRequest("dueFrom is after dueTo");
      await checkAsOf(input.asOfBlock);
      const limit = input.limit ?? DEFAULT_PAGE;
      const page = await queries.list({
        seller: input.seller,
        buyer: input.buyer,
        holder: input.holder,
        status: input.status?.map((s) => statusIndex(s)),
        dueFrom: input.dueFrom,
        dueTo: input.dueTo,
        minAmount: input.minAmount === undefined ? undefined : BigInt(input.minAmount),
        maxAmount: input.maxAmount === undefined ? undefined : BigInt(input.maxAmount),
        sort,
        descending,
        after: input.cursor ? decodeCursor(input.cursor, sortText) : undefined,
        limit,
        asOfBlock: input.asOfBlock,
        scope,
        search: input.q !== undefined && deps.details ? await deps.details().resolveSearch(input.q) : undefined,
      });
      const last = page.items[page.items.length - 1];
      const now = await clock.now();
      return {
        items: await annotate(page.items.map((s) => receivableJson(s, currency, now))),
        nextCursor: page.hasMore && last ? encodeCursor(sortText, sortValueOf(last, sort), last.id) : null,
        block: blockStamp(page.block, finalityDepth),
      };
    },

    async get(viewer: Viewer | null, id: string, asOfBlock?: number) {
      await checkAsOf(asOfBlock);
      const r = await queries.get(id, asOfBlock);
      // Unknown and not-visible look the same, so ids cannot be probed.
      if (!r.state || (viewer && !canSeeReceivable(viewer, r.state, (await queries.involvement([id])).get(id)!))) {
        throw notFound(`receivable ${id} not found${asOfBlock !== undefined ? ` as of block ${asOfBlock}` : ""}`);
      }
      const [annotated] = await annotate([receivableJson(r.state, currency, await clock.now())]);
      const similar = viewer && deps.details ? await deps.details().warningsFor(viewer, r.state) : [];
      return { ...annotated!, similar, events: r.events.map(eventJson), block: blockStamp(r.block, finalityDepth) };
    },

    /** The state only (for access checks by other use cases). */
    async state(id: string) {
      return (await queries.get(id)).state;
    },

    /** The state and what the viewer may do with it: null when unknown or not visible (answer 404 for both). */
    async visibleState(viewer: Viewer, id: string): Promise<{ state: ReceivableState; document: boolean } | null> {
      const state = (await queries.get(id)).state;
      if (!state) return null;
      const inv = (await queries.involvement([id])).get(id)!;
      if (!canSeeReceivable(viewer, state, inv)) return null;
      return { state, document: canSeeDocument(viewer, state, inv) };
    },
  };
}

export type ReceivableService = ReturnType<typeof createReceivableService>;
