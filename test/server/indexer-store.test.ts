// The indexer's store on its own: a batch is written with its checkpoint or not at all, and writing events that are
// already stored (a second writer on the same database) fails and changes nothing.
import { expect } from "chai";
import { openDatabase, type Database } from "../../server/database/client.ts";
import { applyMigrations } from "../../server/database/migrate.ts";
import { createIndexerStore as createStore, type IndexedBatch } from "../../server/indexer/store.ts";
import { PROJECTIONS } from "../../server/projections.ts";
import type { ChainEvent } from "../../server/indexer/types.ts";
import { freshDatabase, DATABASES } from "./helpers.ts";

/** The store with the domains' projections, as the server builds it. */
const createIndexerStore = (db: Parameters<typeof createStore>[0]) => createStore(db, PROJECTIONS);

const SELLER = "0x" + "a1".repeat(20);
const BUYER = "0x" + "b2".repeat(20);
const hash = (n: number) => "0x" + n.toString(16).padStart(64, "0");

function registered(block: number, logIndex: number, id: bigint, amount: bigint): ChainEvent {
  return {
    chainId: 31337,
    blockNumber: block,
    transactionIndex: 0,
    logIndex,
    blockHash: hash(block),
    transactionHash: hash(1_000 + block),
    contract: "0x" + "c3".repeat(20),
    name: "ReceivableRegistered",
    args: {
      id,
      seller: SELLER,
      buyer: BUYER,
      amount,
      issueDate: 1_700_000_000,
      dueDate: 1_702_592_000,
      terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
      documentHash: hash(77),
    },
  };
}

const batchAt = (block: number, events: ChainEvent[]): IndexedBatch => ({
  events,
  headers: [{ number: block, hash: hash(block), parentHash: hash(block - 1) }],
  checkpoint: { chainId: 31337, blockNumber: block, blockHash: hash(block), headBlock: block },
  pruneBelow: 0,
});

for (const database of DATABASES) {
  describe(`indexer store (${database})`, function () {
    let target: Awaited<ReturnType<typeof freshDatabase>>;
    let db: Database;
    before(async () => {
      target = await freshDatabase(database);
      await applyMigrations(target.url, () => {});
      db = await openDatabase(target.url);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    it("refuses events that are already stored — a second writer fails instead of projecting them twice", async () => {
      const store = createIndexerStore(db);
      await store.writeBatch(batchAt(10, [registered(10, 0, 1n, 1_000n), registered(10, 1, 2n, 2_000n)]));
      const balance = async () => (await db.prisma.partyBalance.findUnique({ where: { address_side: { address: BUYER, side: "buyer" } } }))?.openBalance;
      expect(BigInt((await balance())!)).to.equal(3_000n);

      // The same block again, as another indexer process on this database would write it.
      const again = batchAt(11, [registered(10, 0, 1n, 1_000n), registered(11, 0, 3n, 5_000n)]);
      let failed: unknown = null;
      await store.writeBatch(again).catch((err) => (failed = err));
      expect(failed, "writing a stored event must fail").to.be.instanceOf(Error);
      expect(await db.prisma.ledgerEvent.count()).to.equal(2);
      expect(await db.prisma.receivable.count()).to.equal(2);
      expect(BigInt((await balance())!)).to.equal(3_000n);
      expect((await store.checkpoint())?.blockNumber).to.equal(10);

      // The next block on its own is fine.
      await store.writeBatch(batchAt(11, [registered(11, 0, 3n, 5_000n)]));
      expect(BigInt((await balance())!)).to.equal(8_000n);
      expect((await store.checkpoint())?.blockNumber).to.equal(11);
    });
  });
}

if (DATABASES.includes("postgresql")) {
  describe("COPY on the connection of a Prisma transaction (postgresql)", function () {
    let target: Awaited<ReturnType<typeof freshDatabase>>;
    let db: Database;
    before(async () => {
      target = await freshDatabase("postgresql");
      db = await openDatabase(target.url);
      await db.prisma.$executeRawUnsafe(`CREATE TABLE copy_probe (n integer, t text, b boolean)`);
    });
    after(async () => {
      await db?.close();
      await target?.drop();
    });

    it("round-trips awkward text, nulls and booleans, and commits or rolls back with the transaction", async () => {
      const { copyText } = await import("../../server/database/pg-copy.ts");
      const rows = [
        [1, "tab\there", true],
        [2, "line\nbreak\r\nand \\ backslash", false],
        [3, null, null],
        [4, `quote ' and "double" and \\N and ünïcödé`, true],
      ];
      const n = await db.prisma.$transaction(async (tx) => await db.copyIn!(tx, `COPY copy_probe (n, t, b) FROM STDIN`, copyText(rows)));
      expect(n).to.equal(4);
      const back = (await db.prisma.$queryRawUnsafe(`SELECT n, t, b FROM copy_probe ORDER BY n`)) as { n: number; t: string | null; b: boolean | null }[];
      expect(back.map((r) => [r.n, r.t, r.b])).to.deep.equal(rows);

      // A failing statement after the COPY rolls the copied rows back with everything else.
      await db.prisma
        .$transaction(async (tx) => {
          await db.copyIn!(tx, `COPY copy_probe (n, t, b) FROM STDIN`, copyText([[5, "gone", true]]));
          await tx.$executeRawUnsafe(`SELECT 1/0`);
        })
        .catch(() => {});
      expect(await db.prisma.$queryRawUnsafe(`SELECT count(*)::int AS c FROM copy_probe`)).to.deep.equal([{ c: 4 }]);
    });

    it("names the problem when the data does not fit the table, and outside a transaction", async () => {
      const { copyText } = await import("../../server/database/pg-copy.ts");
      let err: Error | null = null;
      await db.prisma
        .$transaction(async (tx) => db.copyIn!(tx, `COPY copy_probe (n, t, b) FROM STDIN`, copyText([["not a number", "x", true]])))
        .catch((e) => (err = e));
      expect(String(err)).to.match(/invalid input syntax for type integer/);
      err = null;
      await db.copyIn!(db.prisma as any, `COPY copy_probe (n) FROM STDIN`, "1\n").catch((e) => (err = e));
      expect(String(err)).to.match(/no open transaction/);
    });
  });
}
