// One data model (prisma/schema/*.prisma), two providers: each provider's migrations must build exactly the schema
// of its snapshot, and the snapshot must equal the model (no change without a migration).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { migrationDrift } from "../../prisma/sync.ts";
import { createAdapterFactory } from "../../server/database/provider.ts";
import { applyMigrations } from "../../server/database/migrate.ts";
import { freshDatabase, DATABASES } from "./helpers.ts";

describe("Prisma schemas and migrations", () => {
  it("have not drifted from the one data model (node prisma/sync.ts --check)", () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "..", "..", "prisma", "sync.ts"), "--check"], { encoding: "utf8" });
    expect(r.status, r.stderr + r.stdout).to.equal(0);
    expect(r.stdout).to.match(/prisma drift check ok: 2 providers, sqlite migrations replayed/);
  });

  for (const database of DATABASES) {
    describe(`replayed on ${database}`, () => {
      it("the migrations build exactly the snapshot's schema", async () => {
        const [db, reference] = [await freshDatabase(database), await freshDatabase(database)];
        try {
          expect(await migrationDrift(database, db.url, reference.url)).to.equal("");
        } finally {
          await db.drop();
          await reference.drop();
        }
      });

      it("a database that lacks part of the snapshot's schema is reported, with the SQL it lacks", async () => {
        const [db, reference] = [await freshDatabase(database), await freshDatabase(database)];
        try {
          await applyMigrations(db.url);
          const adapter = await createAdapterFactory(db.url).connect();
          await adapter.executeRaw({ sql: `DROP INDEX "LedgerEvent_receivableId_blockNumber_idx"`, args: [], argTypes: [] });
          await adapter.dispose();
          expect(await migrationDrift(database, db.url, reference.url)).to.match(/LedgerEvent_receivableId_blockNumber_idx/);
        } finally {
          await db.drop();
          await reference.drop();
        }
      });
    });
  }
});
