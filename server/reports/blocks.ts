// Block times for the reports, read from the chain node through the server's one chain client (the index keeps no
// block timestamps): an as-of date becomes the last indexed block with timestamp ≤ the end of that day, found by
// binary search over block numbers.
import type { ChainClient } from "../chain/client.ts";
import type { BlockInfo } from "./service.ts";

export function createBlockReader(chain: Pick<ChainClient, "call">): (n: number) => Promise<BlockInfo | null> {
  return async (n: number) => {
    const b = await chain.call<{ number: string; hash: string; timestamp: string } | null>("eth_getBlockByNumber", ["0x" + n.toString(16), false]);
    return b ? { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp) } : null;
  };
}
