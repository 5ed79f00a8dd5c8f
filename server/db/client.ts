// The Prisma client for the configured database (the generated client of its provider + driver adapter).
// Data access (server/db/*) is the only code that imports Prisma.
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PgClient } from "./generated/postgresql/client.ts";
import { createAdapterFactory, providerOf, type DatabaseProvider } from "./provider.ts";

/** Both generated clients have the same model API; the SQLite one's type stands for both. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
  /** Rewrites `?` placeholders for the provider (PostgreSQL wants $1, $2, …). */
  sql(text: string): string;
  close(): Promise<void>;
}

export async function openDatabase(databaseUrl: string): Promise<Database> {
  const provider = providerOf(databaseUrl);
  const adapter = createAdapterFactory(databaseUrl);
  const prisma = (provider === "sqlite" ? new SqliteClient({ adapter: adapter as any }) : (new PgClient({ adapter: adapter as any }) as unknown)) as Db;
  if (provider === "sqlite") {
    // WAL lets API reads run while the indexer writes; NORMAL sync is durable across process crashes.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await prisma.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
  }
  let n = 0;
  const sql = provider === "sqlite" ? (t: string) => t : (t: string) => t.replace(/\?/g, () => `$${++n}`);
  return {
    provider,
    prisma,
    sql: (text) => {
      n = 0;
      return sql(text);
    },
    async close() {
      await prisma.$disconnect();
    },
  };
}

// ─────────────────────────────────────────────────────────────── amounts ──

/** Amounts are stored as 40-digit zero-padded decimal strings (text order = numeric order on both providers). */
export const AMOUNT_DIGITS = 40;
export const toDbAmount = (v: bigint): string => {
  if (v < 0n) throw new RangeError(`negative amount ${v}`);
  return v.toString().padStart(AMOUNT_DIGITS, "0");
};
export const fromDbAmount = (s: string): bigint => BigInt(s);
