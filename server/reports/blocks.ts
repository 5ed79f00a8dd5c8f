// Block times for the reports, read from the chain node (the index keeps no block timestamps): an as-of date
// becomes the last indexed block with timestamp ≤ the end of that day, found by binary search over block numbers.
import { RpcError } from "../errors.ts";
import type { BlockInfo } from "./service.ts";

export function createBlockReader(rpcUrl: string): (n: number) => Promise<BlockInfo | null> {
  let seq = 0;
  return async (n: number) => {
    let res: Response;
    try {
      res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++seq, method: "eth_getBlockByNumber", params: ["0x" + n.toString(16), false] }),
      });
    } catch (err) {
      throw new RpcError(`JSON-RPC node unreachable: ${(err as Error).message}`, { cause: err });
    }
    const body = (await res.json()) as { result?: { number: string; hash: string; timestamp: string } | null; error?: { message: string; code: number } };
    if (body.error) throw new RpcError(`eth_getBlockByNumber: ${body.error.message}`, { code: body.error.code });
    const b = body.result;
    return b ? { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp) } : null;
  };
}
