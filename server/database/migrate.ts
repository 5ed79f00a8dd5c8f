// Applies prisma/migrations/<provider> at start-up, offline, with Prisma's schema
// engine compiled to WebAssembly. Records applied migrations in _prisma_migrations exactly like
// `prisma migrate deploy`.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { SchemaEngine, type MigrationList } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { createAdapterFactory, providerOf, type DatabaseProvider } from "./provider.ts";

import { migrationsDir, renderSchema } from "../../prisma/render.ts";

export { migrationsDir };

export function loadMigrations(provider: DatabaseProvider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok" as const, value: readFileSync(file, "utf8") } : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

/**
 * Opens the WebAssembly schema engine on the database. The engine has no way to close its connections, so the
 * factory is wrapped to remember them and `close()` disposes them (otherwise SQLite stays locked).
 */
export async function openSchemaEngine(databaseUrl: string, log: (line: string) => void = () => {}) {
  const provider = providerOf(databaseUrl);
  const schema = renderSchema(provider);
  const inner = createAdapterFactory(databaseUrl) as any;
  const opened: { dispose(): Promise<void> }[] = [];
  const factory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const a = await inner.connect();
      opened.push(a);
      return a;
    },
    async connectToShadowDb() {
      const a = await inner.connectToShadowDb();
      opened.push(a);
      return a;
    },
  };
  const engine = await SchemaEngine.new(
    { datamodels: [[`prisma/generated/${provider}/schema.prisma`, schema]] },
    (message: string) => log(`schema-engine: ${message}`),
    bindMigrationAwareSqlAdapterFactory(factory as any),
  );
  return {
    engine,
    async close() {
      engine.free();
      for (const a of opened) await a.dispose().catch(() => {});
    },
  };
}

/**
 * Whether every migration of this checkout is recorded as applied, finished, not rolled back, with the checksum
 * of its file (the schema engine's: sha256 of migration.sql). Asked on a plain connection, which unlike the schema
 * engine works while other processes have the database open.
 */
async function allApplied(databaseUrl: string, provider: DatabaseProvider): Promise<boolean> {
  const adapter = await createAdapterFactory(databaseUrl).connect();
  try {
    const result = await adapter.queryRaw({
      sql: `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      args: [],
      argTypes: [],
    });
    const applied = new Map(result.rows.map((r) => [String(r[0]), String(r[1])]));
    return loadMigrations(provider).migrationDirectories.every((d) => {
      const content = d.migrationFile.content;
      return content.tag === "ok" && applied.get(d.path) === createHash("sha256").update(content.value).digest("hex");
    });
  } catch {
    return false; // no migrations table yet, or unreadable: the schema engine decides
  } finally {
    await adapter.dispose();
  }
}

/**
 * Applies pending migrations; returns the names of those applied now. When nothing is pending the schema engine is
 * not started: on SQLite it cannot even check while another process (an API-only server) has the file open — it
 * waits for a lock and fails after 5 s — so a writer restarting beside API processes would not start.
 */
export async function applyMigrations(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const provider = providerOf(databaseUrl);
  if (await allApplied(databaseUrl, provider)) return [];
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const out = await engine.applyMigrations({
      migrationsList: loadMigrations(provider),
      filters: { externalTables: [], externalEnums: [] },
    });
    if (out.appliedMigrationNames.length > 0) log(`applied migrations: ${out.appliedMigrationNames.join(", ")}`);
    return out.appliedMigrationNames;
  } catch (err) {
    // SQLite busy (another process has the file open) reaches us as an unknown "SocketTimeout" connector error.
    if (provider === "sqlite" && /SocketTimeout/.test(String(err)))
      throw new Error(
        `cannot migrate ${databaseUrl}: another process has the database open (an API-only server?); stop it, start the writer, then start it again`,
        { cause: err },
      );
    throw err;
  } finally {
    await close();
  }
}

/** For processes that must not migrate (API-only): throws unless every migration is applied. */
export async function assertMigrated(db: { prisma: { $queryRawUnsafe<T>(q: string): Promise<T> } }, provider: DatabaseProvider): Promise<void> {
  const wanted = loadMigrations(provider).migrationDirectories.map((d) => d.path);
  let applied: string[] = [];
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = rows.map((r) => r.migration_name);
  } catch {
    // no table yet
  }
  const missing = wanted.filter((m) => !applied.includes(m));
  if (missing.length) throw new Error(`database not migrated (missing ${missing.join(", ")}): start the indexer writer first, it applies migrations`);
}
