// The indexer: follows the chain from the deployment block, stores every event of the consortium contracts once
// and projects them, writing each batch with its checkpoint in one transaction. Notices reorganisations by
// parent hash, rolls back to the common ancestor and replays. The single writer of the database.
import { DeepReorgError, ServerError } from "../errors.ts";
import type { IndexerStore, BulkInsert } from "./store.ts";
import type { Checkpoint, BlockHeader, ChainEvent } from "./types.ts";
import { decodeLog, DEFAULT_LEGACY_DEFAULTS, type LegacyDefaults } from "./decode.ts";
import { isRangeTooLarge, type ChainClient } from "../chain/client.ts";

export interface IndexerConfig {
  rpc: ChainClient;
  store: IndexerStore;
  chainId: number;
  deploymentBlock: number;
  /** Contracts whose logs are indexed (MemberRegistry, ReceivableLedger). */
  addresses: string[];
  /** Blocks behind the head that may still be reorganised (0 = instant finality, e.g. QBFT). */
  finalityDepthBlocks: number;
  pollIntervalMs: number;
  log: (line: string) => void;
  /** Initial eth_getLogs range; adapts to the node's limits. */
  initialRangeBlocks?: number;
  maxRangeBlocks?: number;
  /**
   * A cold start (empty database) this many blocks or more behind the head drops the secondary indexes that no
   * write path reads, backfills, and builds them again once caught up (bulk index builds are several times
   * cheaper than keeping random-key indexes while inserting). Default 1,000; Infinity never defers.
   */
  deferIndexesMinBlocks?: number;
  /** What events of earlier contract versions lack (the ledger's settlement currency). */
  legacyDefaults?: LegacyDefaults;
}

/** The chain input the indexer reacts to (tagged union, Ponder sync-realtime style). */
export type IndexerChange =
  | { type: "block"; checkpoint: Checkpoint; final: boolean; events: number; receivables: string[]; members: string[] }
  | { type: "reorg"; from: number; ancestor: Checkpoint; receivables: string[]; members: string[] };

export interface IndexerStatus {
  running: boolean;
  caughtUp: boolean;
  chainId: number;
  startBlock: number;
  checkpoint: Checkpoint | null;
  headBlock: number | null;
  blocksDone: number;
  blocksTotal: number;
  blocksPerSecond: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  eventsIndexed: number;
  reorgs: number;
  lastError: string | null;
  rangeBlocks: number;
  /** Secondary indexes dropped for the backfill in progress (built again once caught up). */
  deferredIndexes: number;
  timing: { rpcMs: number; decodeMs: number; writeMs: number };
}

/** A range of blocks fetched, checked for continuity and decoded, ready to be written. */
interface PreparedBatch {
  from: number;
  to: number;
  headers: BlockHeader[];
  byNumber: Map<number, BlockHeader>;
  events: ChainEvent[];
  /** The events' database INSERT, built here so that it is ready before the write. */
  eventInsert?: BulkInsert;
  /** The node answered from two forks: try again in the next step. */
  retry: boolean;
  decodeMs: number;
}

/** Extra blocks, beyond the finality depth, whose hashes are kept to find a common ancestor. */
const KEPT_BLOCKS_BEYOND_FINALITY = 64;
const PROGRESS_LOG_INTERVAL_MS = 5_000;
const MAX_BACKOFF_MS = 10_000;
/**
 * Logs per eth_getLogs range the adaptive range aims at. Smaller batches pipeline better: the next range is fetched
 * while this one is written (100k events into SQLite: one 100k-log batch 7.9 s, 10k-log batches 6.5 s).
 */
const TARGET_LOGS_PER_REQUEST = 10_000;
/** A cold backfill longer than this defers the secondary indexes (config deferIndexesMinBlocks). */
const DEFAULT_DEFER_INDEXES_MIN_BLOCKS = 1_000;

export function createIndexer(config: IndexerConfig) {
  const { rpc, store, chainId, deploymentBlock, addresses, finalityDepthBlocks: finality, log } = config;
  const maxRange = config.maxRangeBlocks ?? 100_000;
  const legacyDefaults = config.legacyDefaults ?? DEFAULT_LEGACY_DEFAULTS;
  let range = config.initialRangeBlocks ?? 100;
  /** Largest range the node has not refused (lowered whenever it refuses one, probed upwards again later). */
  let ceiling = maxRange;
  let successesSinceRefusal = 0;
  const PROBE_AFTER_SUCCESSES = 200;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let checkpoint: Checkpoint | null = null;
  let head: number | null = null;
  let caughtUp = false;
  let reorgs = 0;
  let eventsIndexed = 0;
  let lastError: string | null = null;
  const listeners = new Set<(c: IndexerChange) => void>();
  const waiters: { block: number; resolve: () => void }[] = [];
  const run = { startedAt: 0, startBlock: 0, events: 0 };
  /** Where the time of this run went (milliseconds): JSON-RPC, decoding, database writes. */
  const timing = { rpcMs: 0, decodeMs: 0, writeMs: 0 };
  let lastProgressLog = 0;
  /** Names of the secondary indexes dropped for this backfill. */
  let deferred: string[] = [];
  let prefetch: { from: number; promise: Promise<PreparedBatch> } | null = null;

  const emit = (c: IndexerChange) => {
    for (const l of listeners) {
      try {
        l(c);
      } catch (err) {
        log(`indexer listener failed: ${(err as Error).message}`);
      }
    }
  };

  const settleWaiters = () => {
    const done = checkpoint?.blockNumber ?? -1;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.block <= done) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };

  function status(): IndexerStatus {
    const done = checkpoint ? Math.max(0, checkpoint.blockNumber - deploymentBlock + 1) : 0;
    const total = head === null ? 0 : Math.max(0, head - deploymentBlock + 1);
    const elapsedS = run.startedAt ? (Date.now() - run.startedAt) / 1000 : 0;
    const blocksThisRun = checkpoint ? checkpoint.blockNumber - run.startBlock : 0;
    const bps = elapsedS > 0 ? blocksThisRun / elapsedS : 0;
    const remaining = head !== null && checkpoint ? Math.max(0, head - checkpoint.blockNumber) : null;
    return {
      running,
      caughtUp,
      chainId,
      startBlock: deploymentBlock,
      checkpoint,
      headBlock: head,
      blocksDone: done,
      blocksTotal: total,
      blocksPerSecond: Math.round(bps * 10) / 10,
      eventsPerSecond: elapsedS > 0 ? Math.round(run.events / elapsedS) : 0,
      etaSeconds: remaining === null ? null : remaining === 0 ? 0 : bps > 0 ? Math.round(remaining / bps) : null,
      eventsIndexed,
      reorgs,
      lastError,
      rangeBlocks: range,
      deferredIndexes: deferred.length,
      timing: { rpcMs: Math.round(timing.rpcMs), decodeMs: Math.round(timing.decodeMs), writeMs: Math.round(timing.writeMs) },
    };
  }

  async function initialCheckpoint(): Promise<Checkpoint> {
    const before = deploymentBlock - 1;
    const h = before >= 0 ? await rpc.header(before) : null;
    return { chainId, blockNumber: before, blockHash: h?.hash ?? "0x" + "0".repeat(64), headBlock: before };
  }

  /** Fetches logs for [from, to], shrinking the range while the node refuses it; returns the range covered. */
  async function fetchLogs(from: number, to: number) {
    for (;;) {
      try {
        const logs = await rpc.getLogs(addresses, from, to);
        const span = to - from + 1;
        // A refusal may have been transient (a timeout under load): try a larger ceiling now and then.
        if (ceiling < maxRange && ++successesSinceRefusal >= PROBE_AFTER_SUCCESSES) {
          ceiling = Math.min(maxRange, ceiling * 2);
          successesSinceRefusal = 0;
        }
        if (span >= range && logs.length < TARGET_LOGS_PER_REQUEST / 2) range = Math.min(ceiling, range * 2);
        else if (logs.length > TARGET_LOGS_PER_REQUEST * 2 && range > 1) range = Math.max(1, Math.floor(range / 2));
        return { logs, to };
      } catch (err) {
        if (!isRangeTooLarge(err) || to === from) throw err;
        ceiling = Math.max(1, Math.min(ceiling, to - from));
        successesSinceRefusal = 0;
        range = Math.max(1, Math.floor((to - from + 1) / 2));
        to = from + range - 1;
        log(`eth_getLogs range too large; retrying with ${range} blocks`);
      }
    }
  }

  /** Builds the indexes deferred for a backfill again; the indexer reports caught up only after this. */
  async function restoreDeferredIndexes() {
    if (deferred.length === 0) return;
    const t = performance.now();
    const built = await store.restoreIndexes();
    deferred = [];
    log(`indexer: caught up; built the ${built.length} deferred indexes again in ${Math.round(performance.now() - t)} ms`);
  }

  async function handleReorg(cp: Checkpoint): Promise<void> {
    const kept = await store.recentBlocks();
    let ancestor: BlockHeader | null = null;
    for (const b of kept) {
      if (b.number > cp.blockNumber) continue;
      const onChain = await rpc.header(b.number);
      if (onChain && onChain.hash === b.hash) {
        ancestor = b;
        break;
      }
    }
    if (!ancestor) {
      if (cp.blockNumber < deploymentBlock) return;
      throw new DeepReorgError(
        `reorganisation deeper than the ${kept.length} kept blocks below ${cp.blockNumber}; re-index from an empty database (finality depth ${finality} too small?)`,
      );
    }
    const target: Checkpoint = { chainId, blockNumber: ancestor.number, blockHash: ancestor.hash, headBlock: head ?? ancestor.number };
    const result = await store.rollbackTo(target);
    reorgs++;
    log(
      `reorg: block ${cp.blockNumber} (${cp.blockHash.slice(0, 10)}) is no longer on the chain; rolled back to ${ancestor.number} (${ancestor.hash.slice(0, 10)}), ${result.changedReceivables.length} receivables restored`,
    );
    checkpoint = target;
    emit({ type: "reorg", from: cp.blockNumber, ancestor: target, receivables: result.changedReceivables, members: result.changedMembers });
  }

  /**
   * Fetches the logs of [from, to] (shrinking `to` while the node refuses the range) and the headers the batch
   * needs — its last block always, and every block that may still be reorganised or is kept to find an ancestor
   * later (relative to `headNow`) — then decodes the logs in chain order. `retry` when the node answered from two
   * forks (a header missing, parent hashes or a log's block hash not matching): the next step sees the reorg.
   */
  async function prepare(from: number, to: number, headNow: number): Promise<PreparedBatch> {
    const fetched = await fetchLogs(from, to);
    to = fetched.to;
    const keepFrom = Math.max(from, headNow - finality - KEPT_BLOCKS_BEYOND_FINALITY);
    const numbers: number[] = [];
    for (let n = keepFrom; n <= to; n++) numbers.push(n);
    if (numbers[numbers.length - 1] !== to) numbers.push(to);
    const got = await rpc.headers(numbers);
    const t = performance.now();
    const retry = (): PreparedBatch => ({ from, to, headers: [], byNumber: new Map(), events: [], retry: true, decodeMs: performance.now() - t });
    const byNumber = new Map<number, BlockHeader>();
    const headers: BlockHeader[] = [];
    for (const h of got) {
      if (!h) return retry(); // the chain got shorter under us
      byNumber.set(h.number, h);
      headers.push(h);
    }
    for (const h of headers) {
      const prev = byNumber.get(h.number - 1);
      if (prev && h.parentHash !== prev.hash) return retry();
    }
    const events: ChainEvent[] = [];
    for (const raw of fetched.logs) {
      if (raw.removed) continue;
      const known = byNumber.get(Number(raw.blockNumber));
      if (known && known.hash !== raw.blockHash.toLowerCase()) return retry(); // logs from another fork
      const e = decodeLog(raw, chainId, legacyDefaults);
      if (e) events.push(e);
    }
    events.sort((a, b) => a.blockNumber - b.blockNumber || a.transactionIndex - b.transactionIndex || a.logIndex - b.logIndex);
    const eventInsert = store.buildEventInsert(events);
    return { from, to, headers, byNumber, events, eventInsert, retry: false, decodeMs: performance.now() - t };
  }

  /** One step: reorg check, then at most one batch of blocks. Returns whether more blocks are waiting. */
  async function step(): Promise<boolean> {
    head = await rpc.blockNumber();
    const cp = checkpoint ?? (await store.checkpoint()) ?? (await initialCheckpoint());
    checkpoint = cp;
    if (cp.blockNumber >= deploymentBlock) {
      const onChain = await rpc.header(cp.blockNumber);
      if (!onChain || onChain.hash !== cp.blockHash) {
        await handleReorg(cp);
        return true;
      }
    }
    if (head <= cp.blockNumber) {
      await restoreDeferredIndexes();
      caughtUp = true;
      return false;
    }
    const from = cp.blockNumber + 1;
    let t = performance.now();
    let batch: PreparedBatch | null = null;
    if (prefetch && prefetch.from === from) batch = await prefetch.promise.catch(() => null);
    prefetch = null;
    if (batch && batch.to > head) batch = null; // prepared against a longer chain
    const prefetched = batch !== null;
    batch ??= await prepare(from, Math.min(head, from + range - 1), head);
    // Waiting for the node (a prefetched batch was decoded while the previous one was written).
    const waited = performance.now() - t;
    timing.rpcMs += prefetched ? waited : Math.max(0, waited - batch.decodeMs);
    timing.decodeMs += batch.decodeMs;
    if (batch.retry) return true;
    const { to, headers, byNumber, events, eventInsert } = batch;
    // Parent-hash continuity onto the checkpoint (inside the batch was checked when it was prepared).
    const first = byNumber.get(from);
    if (first && first.parentHash !== cp.blockHash) return true;
    const last = byNumber.get(to)!;
    const next: Checkpoint = { chainId, blockNumber: to, blockHash: last.hash, headBlock: head };
    // While catching up, prepare the next range (fetch, headers, decode) during this write; it is checked onto
    // this batch's last block like any other range when used.
    if (to < head) {
      const nextFrom = to + 1;
      const p = prepare(nextFrom, Math.min(head, nextFrom + range - 1), head);
      p.catch(() => {});
      prefetch = { from: nextFrom, promise: p };
      // Let the request reach the node before a synchronous (SQLite) write blocks the event loop, so that the node
      // answers it during the write. fetch() writes the request a few event-loop turns after the call: measured
      // with a 600 ms synchronous block right after it, the answer came 190 ms after the block without yielding
      // and 25 ms after it with three turns.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    }
    t = performance.now();
    const result = await store.writeBatch({
      events,
      ...(eventInsert ? { eventInsert } : {}),
      headers: headers.filter((h) => h.number >= head! - finality - KEPT_BLOCKS_BEYOND_FINALITY),
      checkpoint: next,
      pruneBelow: Math.min(to, head - finality - KEPT_BLOCKS_BEYOND_FINALITY),
    });
    timing.writeMs += performance.now() - t;
    checkpoint = next;
    eventsIndexed += events.length;
    run.events += events.length;
    if (to >= head) await restoreDeferredIndexes();
    caughtUp = to >= head;
    settleWaiters();
    emit({
      type: "block",
      checkpoint: next,
      final: to <= head - finality,
      events: events.length,
      receivables: result.changedReceivables,
      members: result.changedMembers,
    });
    if (Date.now() - lastProgressLog > PROGRESS_LOG_INTERVAL_MS && !caughtUp) {
      lastProgressLog = Date.now();
      const s = status();
      log(
        `indexer: block ${to}/${head} (${s.blocksDone}/${s.blocksTotal} blocks, ${s.blocksPerSecond} blocks/s, ${s.eventsPerSecond} events/s, eta ${s.etaSeconds ?? "?"} s)`,
      );
    }
    return !caughtUp;
  }

  async function mainLoop() {
    let backoff = config.pollIntervalMs;
    while (running) {
      let more = false;
      try {
        more = await step();
        lastError = null;
        backoff = config.pollIntervalMs;
      } catch (err) {
        lastError = (err as Error).message;
        const retryable = !(err instanceof ServerError) || err.retryable;
        log(`indexer error (${retryable ? "retrying" : "stopped"}): ${lastError}`);
        if (!retryable) {
          running = false;
          caughtUp = false; // /ready answers 503 until an operator intervenes
          break;
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        await sleep(backoff);
        continue;
      }
      if (!more) await sleep(config.pollIntervalMs);
    }
  }

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });
  }

  return {
    async start() {
      if (running) return;
      checkpoint = await store.checkpoint();
      head = await rpc.blockNumber().catch(() => null); // totals for /health before the first batch
      // A backfill interrupted by a crash resumes with its indexes still deferred; a cold start far behind defers them.
      deferred = await store.deferredIndexes();
      const minBlocks = config.deferIndexesMinBlocks ?? DEFAULT_DEFER_INDEXES_MIN_BLOCKS;
      if (deferred.length === 0 && checkpoint === null && head !== null && head - deploymentBlock + 1 >= minBlocks) {
        deferred = await store.deferIndexes();
        log(`indexer: cold backfill of ${head - deploymentBlock + 1} blocks; ${deferred.length} secondary indexes deferred until caught up`);
      }
      run.startedAt = Date.now();
      run.startBlock = checkpoint?.blockNumber ?? deploymentBlock - 1;
      run.events = 0;
      running = true;
      loop = mainLoop();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    /** Polls now instead of waiting for the next interval. */
    poke() {
      wake?.();
    },
    status,
    onChange(listener: (c: IndexerChange) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Resolves once block `n` is projected. */
    waitForBlock(n: number): Promise<void> {
      if ((checkpoint?.blockNumber ?? -1) >= n) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push({ block: n, resolve });
        wake?.();
      });
    },
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
