// The Prisma client for the configured database (the generated client of its provider + driver adapter).
// Database platform: the Prisma client per provider; the domains' stores (server/<domain>/store.ts) are the only other code that imports it.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { createAdapterFactory, providerOf, type DatabaseProvider } from "./provider.ts";
import { copyIn, type PgClient } from "./pg-copy.ts";

/**
 * Loads the generated Prisma client of a provider. The clients are generated at set-up (`node prisma/generate.ts`);
 * when one is missing (a fresh clone started directly) it is generated here first, offline.
 */
async function loadClient(provider: DatabaseProvider): Promise<new (options: { adapter: unknown }) => SqliteClient> {
  const rel = provider === "sqlite" ? "./generated/sqlite/client.ts" : "./generated/postgresql/client.ts";
  const url = new URL(rel, import.meta.url);
  if (!existsSync(url)) {
    const script = fileURLToPath(new URL("../../prisma/generate.ts", import.meta.url));
    const r = spawnSync(process.execPath, [script], { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error(`the Prisma client is missing and generating it failed: run node prisma/generate.ts`);
  }
  return (await import(url.href)).PrismaClient;
}

/** Both generated clients have the same model API; the SQLite one's type stands for both. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
  /** Rewrites `?` placeholders for the provider (PostgreSQL wants $1, $2, …). */
  sql(text: string): string;
  /**
   * SQLite only: runs one prepared statement once per row, with the rows bound as parameters, on the one
   * connection Prisma uses. Called inside a Prisma interactive transaction the rows join that transaction
   * (better-sqlite3 is synchronous and Prisma's transaction holds that connection). For bulk writes, where
   * parsing SQL literals and Prisma's per-statement overhead cost more than SQLite's own work.
   */
  runEach?(sql: string, rows: unknown[][]): void;
  /**
   * PostgreSQL only: `COPY <table> (<columns>) FROM STDIN` with `data` (COPY text format) inside the Prisma
   * interactive transaction `tx` — on that transaction's own connection, found by its backend process id.
   */
  copyIn?(tx: Tx, sql: string, data: string): Promise<number>;
  close(): Promise<void>;
}

export async function openDatabase(databaseUrl: string): Promise<Database> {
  const provider = providerOf(databaseUrl);
  const adapter = createAdapterFactory(databaseUrl);
  // The SQLite adapter opens one better-sqlite3 connection per connect(); keep a handle on it for runEach.
  let sqlite: { prepare(sql: string): { run(...params: unknown[]): unknown } } | null = null;
  const statements = new Map<string, { run(...params: unknown[]): unknown }>();
  if (provider === "sqlite") {
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const connected = await connect();
      sqlite = (connected as unknown as { client: typeof sqlite }).client;
      statements.clear();
      return connected;
    };
  }
  // The PostgreSQL adapter runs each interactive transaction on a pool connection of its own; keep track of the
  // open ones so that copyIn can use the connection of the transaction it is called in.
  const open = new Set<PgClient>();
  if (provider === "postgresql") {
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const connected = await connect();
      const start = connected.startTransaction.bind(connected);
      connected.startTransaction = async (...args: Parameters<typeof start>) => {
        const tx = await start(...args);
        const client = (tx as unknown as { client: PgClient }).client;
        open.add(client);
        const commit = tx.commit.bind(tx);
        const rollback = tx.rollback.bind(tx);
        tx.commit = async () => (open.delete(client), await commit());
        tx.rollback = async () => (open.delete(client), await rollback());
        return tx;
      };
      return connected;
    };
  }
  const Client = await loadClient(provider);
  const prisma = new Client({ adapter }) as Db;
  if (provider === "sqlite") {
    // WAL lets API reads run while the indexer writes; NORMAL sync is durable across process crashes.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await prisma.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
    // A page cache large enough for the indexer's batches (the default is 2 MiB): random-keyed indexes (receivable
    // id, faceAmount, buyer/dueDate) otherwise spill dirty pages to the WAL mid-transaction and re-read them.
    // The cache only grows as pages are used; it does not change durability.
    await prisma.$executeRawUnsafe("PRAGMA cache_size = -131072");
    await prisma.$executeRawUnsafe("PRAGMA temp_store = MEMORY");
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
    ...(provider === "sqlite"
      ? {
          runEach(text: string, rows: unknown[][]) {
            if (!sqlite) throw new Error("runEach: the SQLite connection is not open (call it inside a transaction)");
            let stmt = statements.get(text);
            if (!stmt) statements.set(text, (stmt = sqlite.prepare(text)));
            for (const row of rows) stmt.run(...row);
          },
        }
      : {
          async copyIn(tx: Tx, text: string, data: string) {
            const [row] = (await tx.$queryRawUnsafe(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
            const client = [...open].find((c) => c.processID === Number(row!.pid));
            if (!client) throw new Error(`copyIn: no open transaction on backend ${row!.pid} (call it inside prisma.$transaction)`);
            return await copyIn(client, text, data);
          },
        }),
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
