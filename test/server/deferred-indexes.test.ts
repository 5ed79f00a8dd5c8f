// A cold backfill drops the secondary indexes no write path reads and builds them again once caught up — in both
// databases the result must be exactly the migrated schema, also when the process died with the indexes dropped.
import { expect } from "chai";
import { openDatabase } from "../../server/database/client.ts";
import { applyMigrations } from "../../server/database/migrate.ts";
import { createIndexerStore as createStore } from "../../server/indexer/store.ts";
import { PROJECTIONS } from "../../server/projections.ts";
import { startServer } from "../../server/main.ts";
import { freshDatabase, registerMany, headNumber, assertDbEqualsChain, api, login, startEnv, DATABASES, type TestEnv } from "./helpers.ts";

/** The store with the domains' projections, as the server builds it. */
const createIndexerStore = (db: Parameters<typeof createStore>[0]) => createStore(db, PROJECTIONS);

/** Every index of the database as [name, definition], sorted. */
async function indexCatalog(url: string): Promise<string[][]> {
  const db = await openDatabase(url);
  try {
    const rows = (await db.prisma.$queryRawUnsafe(
      db.provider === "sqlite"
        ? `SELECT name, COALESCE(sql, '(automatic)') AS definition FROM sqlite_master WHERE type = 'index' ORDER BY name`
        : `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
    )) as { name: string; definition: string }[];
    return rows.map((r) => [r.name, r.definition]);
  } finally {
    await db.close();
  }
}

for (const database of DATABASES) {
  describe(`deferred indexes during a cold backfill (${database})`, function () {
    let env: TestEnv;
    let migrated: string[][];
    before(async () => {
      // The writer indexes the demo chain with deferral off; this suite backfills other, empty databases.
      env = await startEnv({ database });
      await registerMany(env.provider, env.deployment, { count: 240, perTx: 2, tag: `deferred-${database}` });
      const empty = await freshDatabase(database);
      try {
        await applyMigrations(empty.url, () => {});
        migrated = await indexCatalog(empty.url);
      } finally {
        await empty.drop();
      }
      expect(migrated.map(([n]) => n)).to.include("Receivable_buyer_dueDate_idx");
    });
    after(async () => env?.stop());

    it("drops them while catching up, reports it on /health, and ends with exactly the migrated indexes", async () => {
      const db = await freshDatabase(database);
      const lines: string[] = [];
      const server = await startServer({
        databaseUrl: db.url,
        rpcUrl: env.chain.rpcUrl,
        deployment: env.deployment as any,
        pollIntervalMs: 50,
        deferIndexesMinBlocks: 1,
        maxLogRangeBlocks: 2,
        log: (l) => lines.push(l),
      });
      try {
        const early = (await api(server.url, "/health")).body;
        const deferredLine = lines.find((l) => /secondary indexes deferred/.test(l));
        expect(deferredLine, lines.join("\n")).to.be.a("string");
        const count = Number(/; (\d+) secondary/.exec(deferredLine!)![1]);
        expect(count).to.be.greaterThan(5);
        expect(early.indexer.caughtUp, "still catching up (2-block ranges over ~150 blocks)").to.equal(false);
        expect(early.indexer.deferredIndexes).to.equal(count);
        const catalogWhileDeferred = (await indexCatalog(db.url)).map(([n]) => n);
        expect((await api(server.url, "/health")).body.indexer.caughtUp).to.equal(false);
        expect(catalogWhileDeferred).not.to.include("Receivable_buyer_dueDate_idx");
        expect(catalogWhileDeferred).to.include("LedgerEvent_receivableId_blockNumber_idx"); // read while indexing
        await server.waitForBlock(await headNumber(env.provider));
        expect((await api(server.url, "/ready")).status).to.equal(200);
        expect((await api(server.url, "/health")).body.indexer.deferredIndexes).to.equal(0);
        expect(
          lines.some((l) => new RegExp(`built the ${count} deferred indexes again`).test(l)),
          lines.join("\n"),
        ).to.equal(true);
        expect(await indexCatalog(db.url)).to.deep.equal(migrated);
        const token = await login(server.url, 7);
        const list = await api(server.url, "/api/receivables?sort=dueDate&limit=5", { token });
        expect(list.status).to.equal(200);
        expect(list.body.items).to.have.length(5);
      } finally {
        await server.close();
        await db.drop();
      }
    });

    it("after a crash with the indexes dropped, builds them again on restart; API-only processes are not ready until then", async () => {
      const db = await freshDatabase(database);
      try {
        let server = await startServer({ databaseUrl: db.url, rpcUrl: env.chain.rpcUrl, deployment: env.deployment as any, pollIntervalMs: 50, log: () => {} });
        await server.waitForBlock(await headNumber(env.provider));
        await server.close();
        // The state a kill -9 right after the drop leaves behind: indexes gone, their definitions recorded.
        const raw = await openDatabase(db.url);
        const dropped = await createIndexerStore(raw).deferIndexes();
        await raw.close();
        expect(dropped.length).to.be.greaterThan(5);
        expect((await indexCatalog(db.url)).map(([n]) => n)).not.to.include(dropped[0]);

        // An API-only process sees the writer's checkpoint at the head, but is not ready while indexes are missing.
        const apiOnly = () =>
          startServer({ databaseUrl: db.url, rpcUrl: env.chain.rpcUrl, deployment: env.deployment as any, role: "api", pollIntervalMs: 50, log: () => {} });
        const before = await apiOnly();
        try {
          expect((await api(before.url, "/ready")).status).to.equal(503);
          expect((await api(before.url, "/health")).body.indexer.deferredIndexes).to.equal(dropped.length);
        } finally {
          await before.close();
        }

        server = await startServer({ databaseUrl: db.url, rpcUrl: env.chain.rpcUrl, deployment: env.deployment as any, pollIntervalMs: 50, log: () => {} });
        try {
          await server.waitForBlock(await headNumber(env.provider));
          for (let i = 0; i < 100 && (await api(server.url, "/ready")).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
          expect((await api(server.url, "/ready")).status).to.equal(200);
          expect(await indexCatalog(db.url)).to.deep.equal(migrated);
          await assertDbEqualsChain({ ...env, db, server });
          const after = await apiOnly();
          try {
            expect((await api(after.url, "/ready")).status).to.equal(200);
            expect((await api(after.url, "/health")).body.indexer.deferredIndexes).to.equal(0);
          } finally {
            await after.close();
          }
        } finally {
          await server.close();
        }
      } finally {
        await db.drop();
      }
    });
  });
}
