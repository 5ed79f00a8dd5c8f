// The data model (prisma/schema/*.prisma, one file per domain), two providers, symmetric migration folders:
//   node prisma/sync.ts              write the rendered provider schemas (prisma/generated/, out of git)
//   node prisma/sync.ts --migrate N  write migration <timestamp>_N for both providers and move their snapshots on
//   node prisma/sync.ts --check      exit 1 when the model has changes without a migration, the providers' folders
//                                    differ, or a provider's migrations do not build the schema of its snapshot
// Each provider keeps one snapshot, prisma/migrations/<provider>/snapshot.prisma: the schema its last migration
// migrates to, from which the next migration is diffed offline. The check replays the SQLite migrations into a
// scratch database; test/server/schema-drift.test.ts replays both providers' (PostgreSQL where a server runs).
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SchemaEngine } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PROVIDERS, migrationsDir, renderSchema, snapshotPath, writeGeneratedSchemas, type Provider } from "./render.ts";
import { applyMigrations, openSchemaEngine } from "../server/database/migrate.ts";
import { createAdapterFactory } from "../server/database/provider.ts";

function migrationNames(provider: Provider): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Runs `fn` with a schema engine (diffs between two datamodels never touch its scratch database). */
async function withEngine<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), "prisma-sync-"));
  const factory = new PrismaBetterSqlite3({ url: `file:${join(scratch, "scratch.db")}` });
  const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory as any));
  try {
    return await fn(engine);
  } finally {
    engine.free();
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Target = { tag: "empty" } | { tag: "schemaDatamodel" | "schemaDatasource"; files: { path: string; content: string }[]; configDir?: string };
const datamodel = (content: string, path = "schema.prisma"): Target => ({ tag: "schemaDatamodel", files: [{ path, content }] });

async function diffSql(engine: SchemaEngine, from: Target, to: Target): Promise<string> {
  const res = await engine.diff({ from: from as any, to: to as any, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
  return res.stdout ?? "";
}

/**
 * Applies a provider's migrations to the empty database at `databaseUrl` and says what still separates it from the
 * provider's snapshot ("" when the migrations build exactly the snapshot's schema). SQLite: the schema engine diffs
 * the database against the snapshot and answers the SQL it lacks. PostgreSQL: the engine cannot describe a
 * PostgreSQL database through the driver adapter (it fails on the catalogue's `char` columns), so the snapshot's
 * schema is built from scratch in `referenceUrl` (another empty database) and the two catalogues (columns, indexes,
 * constraints) are compared; the answer lists the differences.
 */
export async function migrationDrift(provider: Provider, databaseUrl: string, referenceUrl?: string): Promise<string> {
  const snapshot = snapshotOf(provider);
  if (snapshot === null) throw new Error(`${snapshotPath(provider)} is missing`);
  await applyMigrations(databaseUrl);
  if (provider === "postgresql") {
    if (!referenceUrl) throw new Error("migrationDrift(postgresql) needs an empty reference database");
    const full = await withEngine((engine) => diffSql(engine, { tag: "empty" }, datamodel(snapshot)));
    await execute(referenceUrl, full);
    const [got, want] = [await pgCatalog(databaseUrl), await pgCatalog(referenceUrl)];
    return [...want.filter((l) => !got.includes(l)).map((l) => `missing: ${l}`), ...got.filter((l) => !want.includes(l)).map((l) => `extra: ${l}`)].join("\n");
  }
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    // "schemaDatasource" diffs from the database the engine is connected to.
    const sql = await diffSql(
      engine,
      { tag: "schemaDatasource", files: [{ path: "snapshot.prisma", content: snapshot }], configDir: tmpdir() },
      datamodel(snapshot),
    );
    return isEmptyMigration(sql) ? "" : sql;
  } finally {
    await close();
  }
}

async function execute(url: string, script: string): Promise<void> {
  const adapter = await createAdapterFactory(url).connect();
  try {
    await adapter.executeScript(script);
  } finally {
    await adapter.dispose();
  }
}

/** The public schema's columns, indexes and constraints, one line each, sorted (migration bookkeeping left out). */
async function pgCatalog(url: string): Promise<string[]> {
  const adapter = await createAdapterFactory(url).connect();
  const q = async (sql: string) => (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows.map((r) => r.map(String).join(" | "));
  try {
    const lines = [
      ...(
        await q(
          `SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
        )
      ).map((l) => `column ${l}`),
      ...(await q(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`)).map((l) => `index ${l}`),
      ...(
        await q(
          `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
        )
      ).map((l) => `constraint ${l}`),
    ];
    return lines.sort();
  } finally {
    await adapter.dispose();
  }
}

const isEmptyMigration = (sql: string) => sql.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("--"));
const snapshotOf = (p: Provider): string | null => (existsSync(snapshotPath(p)) ? readFileSync(snapshotPath(p), "utf8") : null);
const lockText = (p: Provider) =>
  `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${p}"\n`;

async function check(): Promise<void> {
  const problems: string[] = [];
  for (const p of PROVIDERS) {
    const snapshot = snapshotOf(p);
    if (snapshot === null) {
      problems.push(`${p}: ${snapshotPath(p)} is missing`);
      continue;
    }
    await withEngine(async (engine) => {
      const pending = await diffSql(engine, datamodel(snapshot), datamodel(renderSchema(p)));
      if (!isEmptyMigration(pending)) problems.push(`${p}: the model has changes without a migration (run node prisma/sync.ts --migrate <name>):\n${pending}`);
    });
    if (p === "sqlite") {
      const scratch = mkdtempSync(join(tmpdir(), "prisma-replay-"));
      try {
        const drift = await migrationDrift(p, `file:${join(scratch, "replay.db")}`);
        if (drift) problems.push(`${p}: its migrations do not build the schema of snapshot.prisma; they lack:\n${drift}`);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
    const lock = join(migrationsDir(p), "migration_lock.toml");
    if (!existsSync(lock) || !readFileSync(lock, "utf8").includes(`provider = "${p}"`))
      problems.push(`${p}: migration_lock.toml missing or names another provider`);
  }
  const a = migrationNames("sqlite").join(","),
    b = migrationNames("postgresql").join(",");
  if (a !== b) problems.push(`the providers' migration folders differ: sqlite [${a}] vs postgresql [${b}]`);
  if (problems.length) {
    console.error(`prisma drift check FAILED:\n- ${problems.join("\n- ")}`);
    process.exit(1);
  }
  console.log(`prisma drift check ok: ${PROVIDERS.length} providers, sqlite migrations replayed, migrations [${a}]`);
}

async function migrate(name: string): Promise<void> {
  const label = name.replace(/[^a-z0-9_]/gi, "_");
  if (!label) throw new Error("usage: node prisma/sync.ts --migrate <name>");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const sqls = new Map<Provider, string>();
  await withEngine(async (engine) => {
    for (const p of PROVIDERS) {
      const snapshot = snapshotOf(p);
      sqls.set(p, await diffSql(engine, snapshot === null ? { tag: "empty" } : datamodel(snapshot), datamodel(renderSchema(p))));
    }
  });
  if ([...sqls.values()].every(isEmptyMigration)) {
    console.log("no changes");
    return;
  }
  // Both providers get the folder, so the folders stay symmetric.
  for (const p of PROVIDERS) {
    const dir = join(migrationsDir(p), `${stamp}_${label}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sqls.get(p)!);
    writeFileSync(snapshotPath(p), renderSchema(p));
    writeFileSync(join(migrationsDir(p), "migration_lock.toml"), lockText(p));
    console.log(`${p}: wrote ${dir}`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--check") return check();
  writeGeneratedSchemas();
  if (args[0] === "--migrate") return migrate(args[1] ?? "");
}

if (process.argv[1] === import.meta.filename) await main();
