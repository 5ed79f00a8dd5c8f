// One data model (prisma/model.prisma), two providers. This script keeps the per-provider schema files and
// migration folders generated from that model:
//   node prisma/sync.ts              regenerate prisma/schema.prisma and prisma/postgresql/schema.prisma
//   node prisma/sync.ts --migrate N  regenerate, then write migration <timestamp>_N for both providers
//   node prisma/sync.ts --check      exit 1 when a schema file or a migration folder drifted from the model
// Each migration folder also keeps the schema it migrates to (schema.prisma beside migration.sql; Prisma
// ignores it) so the next migration is diffed from it, offline, without a shadow database.
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SchemaEngine } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

const PRISMA_DIR = import.meta.dirname;
type Provider = "sqlite" | "postgresql";
const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

const schemaFile = (p: Provider) => (p === "sqlite" ? join(PRISMA_DIR, "schema.prisma") : join(PRISMA_DIR, "postgresql", "schema.prisma"));
const migrationsDir = (p: Provider) => (p === "sqlite" ? join(PRISMA_DIR, "migrations") : join(PRISMA_DIR, "postgresql", "migrations"));

export function renderSchema(provider: Provider): string {
  const model = readFileSync(join(PRISMA_DIR, "model.prisma"), "utf8");
  const header = `// GENERATED from prisma/model.prisma by \`node prisma/sync.ts\`. Do not edit.

generator client {
  provider            = "prisma-client"
  output              = "${provider === "sqlite" ? "../server/db/generated/sqlite" : "../../server/db/generated/postgresql"}"
  moduleFormat        = "esm"
  importFileExtension = "ts"
}

datasource db {
  provider = "${provider}"
}

`;
  return header + model;
}

function migrationNames(provider: Provider): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

async function withEngine<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  // diff between two datamodels never touches a database; the engine only needs some adapter.
  const scratch = mkdtempSync(join(tmpdir(), "prisma-sync-"));
  const engine = await SchemaEngine.new(
    { datamodels: undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: `file:${join(scratch, "scratch.db")}` }) as any),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function diffSql(engine: SchemaEngine, fromSchema: string | null, toSchema: string, path: string): Promise<string> {
  const res = await engine.diff({
    from: fromSchema === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path, content: fromSchema }] },
    to: { tag: "schemaDatamodel", files: [{ path, content: toSchema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return res.stdout ?? "";
}

/** A migration may start with hand-written SQL between these markers (e.g. resetting projections); the rest must be generated. */
export const CUSTOM_BEGIN = "-- BEGIN hand-written";
export const CUSTOM_END = "-- END hand-written\n";
function stripCustom(sql: string): string {
  if (!sql.startsWith(CUSTOM_BEGIN)) return sql;
  const end = sql.indexOf(CUSTOM_END);
  return end < 0 ? sql : sql.slice(end + CUSTOM_END.length);
}

const isEmptyMigration = (sql: string) => sql.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("--"));

function lastSnapshot(provider: Provider): string | null {
  const names = migrationNames(provider);
  const last = names[names.length - 1];
  return last ? readFileSync(join(migrationsDir(provider), last, "schema.prisma"), "utf8") : null;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--check") {
    const problems: string[] = [];
    await withEngine(async (engine) => {
      for (const p of PROVIDERS) {
        const want = renderSchema(p);
        if (!existsSync(schemaFile(p)) || readFileSync(schemaFile(p), "utf8") !== want) problems.push(`${schemaFile(p)} differs from prisma/model.prisma (run node prisma/sync.ts)`);
        const snap = lastSnapshot(p);
        const pending = await diffSql(engine, snap, want, schemaFile(p));
        if (!isEmptyMigration(pending)) problems.push(`${p}: the model has changes without a migration (run node prisma/sync.ts --migrate <name>):\n${pending}`);
        let prev: string | null = null;
        for (const name of migrationNames(p)) {
          const dir = join(migrationsDir(p), name);
          const snapshot = readFileSync(join(dir, "schema.prisma"), "utf8");
          const expected = await diffSql(engine, prev, snapshot, schemaFile(p));
          if (stripCustom(readFileSync(join(dir, "migration.sql"), "utf8")) !== expected) problems.push(`${p}: ${name}/migration.sql is not what its schema snapshot generates`);
          prev = snapshot;
        }
        const lock = join(migrationsDir(p), "migration_lock.toml");
        if (!existsSync(lock) || !readFileSync(lock, "utf8").includes(`provider = "${p}"`)) problems.push(`${p}: migration_lock.toml missing or names another provider`);
      }
    });
    const a = migrationNames("sqlite").join(","), b = migrationNames("postgresql").join(",");
    if (a !== b) problems.push(`the providers' migration folders differ: sqlite [${a}] vs postgresql [${b}]`);
    if (problems.length) {
      console.error(`prisma drift check FAILED:\n- ${problems.join("\n- ")}`);
      process.exit(1);
    }
    console.log(`prisma drift check ok: ${PROVIDERS.length} providers, migrations [${a}]`);
    return;
  }
  for (const p of PROVIDERS) {
    mkdirSync(join(schemaFile(p), ".."), { recursive: true });
    writeFileSync(schemaFile(p), renderSchema(p));
  }
  if (args[0] === "--migrate") {
    const label = (args[1] ?? "").replace(/[^a-z0-9_]/gi, "_");
    if (!label) throw new Error("usage: node prisma/sync.ts --migrate <name>");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    await withEngine(async (engine) => {
      for (const p of PROVIDERS) {
        const want = renderSchema(p);
        const sql = await diffSql(engine, lastSnapshot(p), want, schemaFile(p));
        if (isEmptyMigration(sql)) {
          console.log(`${p}: no changes`);
          continue;
        }
        const dir = join(migrationsDir(p), `${stamp}_${label}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "migration.sql"), sql);
        writeFileSync(join(dir, "schema.prisma"), want);
        writeFileSync(join(migrationsDir(p), "migration_lock.toml"), `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${p}"\n`);
        console.log(`${p}: wrote ${dir}`);
      }
    });
  }
}

if (process.argv[1] === import.meta.filename) await main();
