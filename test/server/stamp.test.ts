// "Current to block" from the same read as the data (issue 10, server item 3): readStamped re-reads while the
// checkpoint moves during the read, and answers with the block the data is as of.
import { expect } from "chai";
import { readStamped, STAMPED_READ_ATTEMPTS } from "../../server/http/stamp.ts";
import type { IndexedBlock } from "../../server/receivables/store.ts";

const block = (number: number, hash = `0x${number.toString(16).padStart(4, "0")}`): IndexedBlock => ({ number, hash, headBlock: number + 2 });

/** A checkpoint that a "batch" moves forward (or re-orgs) when the test says so. */
function ledger(start: IndexedBlock) {
  let cp: IndexedBlock | null = start;
  let reads = 0;
  return {
    indexedBlock: async () => (reads++, cp),
    set: (b: IndexedBlock | null) => (cp = b),
    reads: () => reads,
  };
}

describe("stamped reads", () => {
  it("answers with the checkpoint when nothing committed during the read", async () => {
    const l = ledger(block(10));
    const r = await readStamped(l.indexedBlock, 1, async () => "rows at 10");
    expect(r).to.deep.equal({ data: "rows at 10", block: { number: 10, hash: block(10).hash, final: true } });
    expect(l.reads()).to.equal(2);
  });

  it("reads again when a batch commits during the read, and stamps the data with the block it was read at", async () => {
    const l = ledger(block(10));
    let calls = 0;
    const r = await readStamped(l.indexedBlock, 5, async () => {
      calls++;
      if (calls === 1) l.set(block(11)); // a batch commits while the first read runs
      return `rows read on call ${calls}`;
    });
    expect(calls).to.equal(2);
    expect(r.data).to.equal("rows read on call 2");
    expect(r.block.number).to.equal(11);
    expect(r.block.final).to.equal(false); // head 13, finality depth 5
  });

  it("treats a reorg to the same height (another hash) as a change", async () => {
    const l = ledger(block(10));
    let calls = 0;
    const r = await readStamped(l.indexedBlock, 1, async () => {
      if (++calls === 1) l.set(block(10, "0xbeef"));
      return calls;
    });
    expect(r).to.deep.include({ data: 2 });
    expect(r.block.hash).to.equal("0xbeef");
  });

  it("gives up with a 503 naming the reason when the index moves during every attempt", async () => {
    const l = ledger(block(10));
    let n = 10;
    const err = await readStamped(l.indexedBlock, 1, async () => l.set(block(++n))).catch((e) => e);
    expect(err.status).to.equal(503);
    expect(err.code).to.equal("index_busy");
    expect(err.message).to.match(/retry/);
    expect(n - 10).to.equal(STAMPED_READ_ATTEMPTS);
  });
});
