// A small JSON-RPC client for the indexer: batched requests, typed errors (retryable unless the node said the
// request itself is wrong), and the few calls the indexer needs.
import { RpcError } from "../errors.ts";
import type { BlockHeader } from "./types.ts";

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

export function createRpcClient(url: string) {
  let nextId = 1;

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
    if (!res.ok) throw new RpcError(`JSON-RPC node answered HTTP ${res.status}: ${text.slice(0, 200)}`, { retryable: res.status >= 500 || res.status === 429 || res.status === 413 });
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
    return unwrap(method, await post({ jsonrpc: "2.0", id: nextId++, method, params }));
  }

  async function batch<T>(method: string, paramsList: unknown[][]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < paramsList.length; i += MAX_BATCH_REQUESTS) {
      const part = paramsList.slice(i, i + MAX_BATCH_REQUESTS);
      const first = nextId;
      nextId += part.length;
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

  const toHeader = (b: any): BlockHeader | null => (b ? { number: Number(b.number), hash: b.hash, parentHash: b.parentHash } : null);
  const hex = (n: number) => "0x" + n.toString(16);

  return {
    url,
    call,
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
      return (await batch<any>("eth_getBlockByNumber", numbers.map((n) => [hex(n), false]))).map(toHeader);
    },
    async getLogs(addresses: string[], fromBlock: number, toBlock: number): Promise<RawLog[]> {
      return await call<RawLog[]>("eth_getLogs", [{ address: addresses, fromBlock: hex(fromBlock), toBlock: hex(toBlock) }]);
    },
    async ethCall(to: string, data: string): Promise<string> {
      return await call<string>("eth_call", [{ to, data }, "latest"]);
    },
  };
}

export type RpcClient = ReturnType<typeof createRpcClient>;

/** Whether an eth_getLogs failure means "ask for a smaller range" (node limits differ: geth, Besu, Alchemy…). */
export function isRangeTooLarge(err: unknown): boolean {
  const text = String((err as Error)?.message ?? err).toLowerCase();
  // Huge answers can also come back truncated (invalid JSON) or kill the connection: ask for less then, too.
  return /range|too many|limit|exceed|too large|response size|timeout|timed out|10000|query returned more|invalid json|unreachable/.test(text);
}
