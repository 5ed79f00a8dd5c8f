// The server's one JSON-RPC client (the indexer, the financing and credit readers and the composition root share
// it): batched requests, typed errors (retryable unless the node said the request itself is wrong), the few calls
// the server needs, and chain time. Block timestamps are kept by block hash as headers pass through (the indexer
// fetches its checkpoint's header with every batch), so "now" — the indexed block's time — costs no request on
// list, detail and session paths; without an indexed block it is the latest block's, fetched at most once a second.
import { RpcError } from "../errors.ts";
import type { BlockHeader } from "../indexer/types.ts";

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

const RPC_TIMEOUT_MS = 30_000;
const MAX_BATCH_REQUESTS = 200;
/** How long the latest block's time is reused when no indexed block is known. */
export const CLOCK_CACHE_MS = 1_000;
/** Block timestamps kept (by hash, and by number for settled blocks). */
const KEPT_BLOCK_TIMES = 4_096;

/** A block the database is current to. */
export interface BlockRef {
  number: number;
  hash: string;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEPT_BLOCK_TIMES) map.delete(map.keys().next().value as K);
}

export function createChainClient(url: string) {
  let nextId = 1;
  /** JSON-RPC requests sent, by method (a batch counts each request in it). */
  const requests = new Map<string, number>();
  const count = (method: string, n = 1) => requests.set(method, (requests.get(method) ?? 0) + n);
  const timeByHash = new Map<string, number>();
  const timeByNumber = new Map<number, number>();
  let latest: { at: number; now: number } | null = null;

  async function post(body: unknown): Promise<any> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
      });
    } catch (cause) {
      throw new RpcError(`JSON-RPC node ${url} unreachable`, { cause });
    }
    const text = await res.text();
    if (!res.ok)
      throw new RpcError(`JSON-RPC node answered HTTP ${res.status}: ${text.slice(0, 200)}`, {
        retryable: res.status >= 500 || res.status === 429 || res.status === 413,
      });
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new RpcError(`JSON-RPC node sent invalid JSON`, { cause });
    }
  }

  const unwrap = (method: string, msg: any) => {
    if (msg.error) throw new RpcError(`${method}: ${msg.error.message ?? JSON.stringify(msg.error)}`, { code: msg.error.code });
    return msg.result;
  };

  async function call<T>(method: string, params: unknown[] = []): Promise<T> {
    count(method);
    return unwrap(method, await post({ jsonrpc: "2.0", id: nextId++, method, params }));
  }

  async function batch<T>(method: string, paramsList: unknown[][]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < paramsList.length; i += MAX_BATCH_REQUESTS) {
      const part = paramsList.slice(i, i + MAX_BATCH_REQUESTS);
      const first = nextId;
      nextId += part.length;
      count(method, part.length);
      const res = await post(part.map((params, j) => ({ jsonrpc: "2.0", id: first + j, method, params })));
      if (!Array.isArray(res)) throw new RpcError(`${method}: node rejected a batch request: ${JSON.stringify(res).slice(0, 200)}`);
      const byId = new Map(res.map((m: any) => [m.id, m]));
      for (let j = 0; j < part.length; j++) {
        const msg = byId.get(first + j);
        if (!msg) throw new RpcError(`${method}: batch answer misses request ${j}`);
        out.push(unwrap(method, msg));
      }
    }
    return out;
  }

  const toHeader = (b: any): BlockHeader | null => {
    if (!b) return null;
    if (b.timestamp !== undefined && typeof b.hash === "string") remember(timeByHash, b.hash.toLowerCase(), Number(b.timestamp));
    return { number: Number(b.number), hash: b.hash, parentHash: b.parentHash };
  };
  const hex = (n: number) => "0x" + n.toString(16);

  /** Timestamp of block `n` as the node has it now (recorded by hash on the way). */
  async function fetchTime(n: number | "latest"): Promise<{ hash: string; time: number } | null> {
    const b = await call<any>("eth_getBlockByNumber", [typeof n === "number" ? hex(n) : n, false]);
    toHeader(b);
    return b ? { hash: String(b.hash).toLowerCase(), time: Number(b.timestamp) } : null;
  }

  /** Timestamp of the block `ref` names: kept from headers already fetched, else one request. */
  async function blockTimeOf(ref: BlockRef): Promise<number> {
    const kept = timeByHash.get(ref.hash.toLowerCase());
    if (kept !== undefined) return kept;
    // Not seen yet (an API-only process, or a reorg since): the block at this height now.
    const b = await fetchTime(ref.number);
    return b ? b.time : Math.floor(Date.now() / 1000);
  }

  return {
    url,
    call,
    /** JSON-RPC requests sent so far, by method. */
    requestCounts: (): Record<string, number> => Object.fromEntries(requests),
    blockTimeOf,
    /**
     * Timestamp of block `n` (cached by number: a reorg may shift it by seconds, which lateness in days tolerates).
     */
    async blockTime(n: number): Promise<number> {
      const cached = timeByNumber.get(n);
      if (cached !== undefined) return cached;
      const b = await fetchTime(n);
      if (!b) return Math.floor(Date.now() / 1000);
      remember(timeByNumber, n, b.time);
      return b.time;
    },
    /** Chain time (unix seconds): the timestamp of block `at` (the indexed block), else of the latest block. */
    async now(at?: BlockRef | null): Promise<number> {
      if (at && at.number >= 0) return await blockTimeOf(at);
      if (latest && Date.now() - latest.at < CLOCK_CACHE_MS) return latest.now;
      const b = await fetchTime("latest");
      latest = { at: Date.now(), now: b ? b.time : Math.floor(Date.now() / 1000) };
      return latest.now;
    },
    async chainId(): Promise<number> {
      return Number(await call<string>("eth_chainId"));
    },
    async blockNumber(): Promise<number> {
      return Number(await call<string>("eth_blockNumber"));
    },
    async header(n: number): Promise<BlockHeader | null> {
      return toHeader(await call("eth_getBlockByNumber", [hex(n), false]));
    },
    async headers(numbers: number[]): Promise<(BlockHeader | null)[]> {
      if (numbers.length === 0) return [];
      return (
        await batch<any>(
          "eth_getBlockByNumber",
          numbers.map((n) => [hex(n), false]),
        )
      ).map(toHeader);
    },
    async getLogs(addresses: string[], fromBlock: number, toBlock: number): Promise<RawLog[]> {
      return await call<RawLog[]>("eth_getLogs", [{ address: addresses, fromBlock: hex(fromBlock), toBlock: hex(toBlock) }]);
    },
    async ethCall(to: string, data: string): Promise<string> {
      return await call<string>("eth_call", [{ to, data }, "latest"]);
    },
  };
}

export type ChainClient = ReturnType<typeof createChainClient>;

/** Whether an eth_getLogs failure means "ask for a smaller range" (node limits differ: geth, Besu, Alchemy…). */
export function isRangeTooLarge(err: unknown): boolean {
  const text = String((err as Error)?.message ?? err).toLowerCase();
  // Huge answers can also come back truncated (invalid JSON) or kill the connection: ask for less then, too.
  return /range|too many|limit|exceed|too large|response size|timeout|timed out|10000|query returned more|invalid json|unreachable/.test(text);
}
