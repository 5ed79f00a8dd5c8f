// For API-only processes (several stateless API servers behind a load balancer, one indexer writer elsewhere):
// follows the writer's checkpoint in the shared database instead of indexing, so /health, /ready, waitForBlock
// and the live stream work the same way.
import type { ChainClient } from "../chain/client.ts";
import type { Checkpoint } from "./types.ts";
import type { IndexerChange, IndexerStatus } from "./indexer.ts";

export interface FollowerConfig {
  rpc: ChainClient;
  chainId: number;
  deploymentBlock: number;
  finalityDepthBlocks: number;
  pollIntervalMs: number;
  checkpoint: () => Promise<Checkpoint | null>;
  /** How many secondary indexes the writer has dropped for a backfill (not caught up until they are built). */
  deferredIndexes: () => Promise<number>;
  /** Receivables and members named by events in (fromBlock, toBlock]. */
  changedBetween: (fromBlock: number, toBlock: number) => Promise<{ receivables: string[]; members: string[]; events: number }>;
  log: (line: string) => void;
}

export function createCheckpointFollower(config: FollowerConfig) {
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let checkpoint: Checkpoint | null = null;
  let head: number | null = null;
  let lastError: string | null = null;
  let deferred = 0;
  const listeners = new Set<(c: IndexerChange) => void>();
  const waiters: { block: number; resolve: () => void }[] = [];

  async function poll() {
    try {
      const [cp, h, d] = await Promise.all([config.checkpoint(), config.rpc.blockNumber(), config.deferredIndexes()]);
      head = h;
      deferred = d;
      lastError = null;
      if (cp && (!checkpoint || cp.blockNumber !== checkpoint.blockNumber || cp.blockHash !== checkpoint.blockHash)) {
        const prev = checkpoint;
        checkpoint = cp;
        if (prev && cp.blockNumber < prev.blockNumber) {
          for (const l of listeners) l({ type: "reorg", from: prev.blockNumber, ancestor: cp, receivables: [], members: [] });
        } else {
          const changed = await config.changedBetween(prev?.blockNumber ?? config.deploymentBlock - 1, cp.blockNumber);
          for (const l of listeners) l({ type: "block", checkpoint: cp, final: cp.blockNumber <= h - config.finalityDepthBlocks, ...changed });
        }
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i]!.block <= cp.blockNumber) {
            waiters[i]!.resolve();
            waiters.splice(i, 1);
          }
        }
      }
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (running) timer = setTimeout(poll, config.pollIntervalMs);
  }

  return {
    async start() {
      running = true;
      await poll();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
    },
    poke() {},
    status(): IndexerStatus {
      const done = checkpoint ? Math.max(0, checkpoint.blockNumber - config.deploymentBlock + 1) : 0;
      const total = head === null ? 0 : Math.max(0, head - config.deploymentBlock + 1);
      return {
        running: false,
        caughtUp: !!checkpoint && head !== null && checkpoint.blockNumber >= head && deferred === 0,
        chainId: config.chainId,
        startBlock: config.deploymentBlock,
        checkpoint,
        headBlock: head,
        blocksDone: done,
        blocksTotal: total,
        blocksPerSecond: 0,
        eventsPerSecond: 0,
        etaSeconds: null,
        eventsIndexed: 0,
        reorgs: 0,
        lastError,
        rangeBlocks: 0,
        deferredIndexes: deferred,
        timing: { rpcMs: 0, decodeMs: 0, writeMs: 0 },
      };
    },
    onChange(listener: (c: IndexerChange) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForBlock(n: number): Promise<void> {
      if ((checkpoint?.blockNumber ?? -1) >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ block: n, resolve }));
    },
  };
}
