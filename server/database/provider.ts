// Which database a DATABASE_URL names, and the Prisma driver adapter for it.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

export type DatabaseProvider = "sqlite" | "postgresql";

export function providerOf(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${databaseUrl}"`);
}

export function createAdapterFactory(databaseUrl: string) {
  return providerOf(databaseUrl) === "sqlite" ? new PrismaBetterSqlite3({ url: databaseUrl }) : new PrismaPg({ connectionString: databaseUrl });
}
