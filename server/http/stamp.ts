// "Current to block" stamps that come from the same read as the data. The indexer commits a batch's rows and its
// checkpoint in one transaction, so data read between two reads of the checkpoint that agree (same block number
// and hash) is exactly the ledger as of that block: a batch committing in between changes the checkpoint, and the
// read is made again. Reads that go through several stores (financing, credit, members) use this; a store that
// reads rows and checkpoint in one statement (receivables/store.ts) needs no retry.
import type { BlockStampJson as BlockStamp } from "../../common/api/json.ts";
import type { IndexedBlock } from "../receivables/store.ts";
import { blockStamp } from "../receivables/service.ts";
import { HttpError } from "../errors.ts";

/** Attempts before giving up while batches keep committing during the read (a backfill far behind the head). */
export const STAMPED_READ_ATTEMPTS = 8;

const same = (a: IndexedBlock | null, b: IndexedBlock | null) => (a === null ? b === null : b !== null && a.number === b.number && a.hash === b.hash);

export async function readStamped<T>(
  indexedBlock: () => Promise<IndexedBlock | null>,
  finalityDepth: number,
  read: () => Promise<T>,
): Promise<{ data: T; block: BlockStamp }> {
  for (let attempt = 1; attempt <= STAMPED_READ_ATTEMPTS; attempt++) {
    const before = await indexedBlock();
    const data = await read();
    const after = await indexedBlock();
    if (same(before, after)) return { data, block: blockStamp(after, finalityDepth) };
  }
  throw new HttpError(503, "index_busy", "the index moved on during every attempt to read it consistently; retry in a moment");
}
