// The server's data model, one file per domain in prisma/schema/, rendered into one schema per provider.
// Shared by prisma/sync.ts (migrations, drift check), prisma/generate.ts (Prisma clients) and server/database/migrate.ts
// (the schema engine at start-up), so the rendered schemas need not be kept in git.
//
// Conventions of the model (identical on both providers):
// - addresses are lower-case 0x hex; receivable ids are 0x + 64 hex (the invoice fingerprint);
// - token amounts are decimal strings left-padded with zeros to 40 digits, so that text order equals numeric
//   order and range filters and sorts run in SQL without losing precision (uint96/uint256 exceed 64 bits);
// - block numbers and unix times are Int.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

export const PRISMA_DIR = import.meta.dirname;
/** The model, one `.prisma` file per domain (receivables, members, financing, …). */
export const MODEL_DIR = join(PRISMA_DIR, "schema");

/** Where a provider's rendered schema is written for `prisma generate` (out of git). */
export const generatedSchemaPath = (p: Provider) => join(PRISMA_DIR, "generated", p, "schema.prisma");
/** A provider's migration folders (same names for both providers). */
export const migrationsDir = (p: Provider) => join(PRISMA_DIR, "migrations", p);
/** The schema a provider's last migration migrates to; the next migration is diffed from it, offline. */
export const snapshotPath = (p: Provider) => join(migrationsDir(p), "snapshot.prisma");

/** The model's files in a stable order. */
export function modelFiles(): { path: string; content: string }[] {
  return readdirSync(MODEL_DIR)
    .filter((f) => f.endsWith(".prisma"))
    .sort()
    .map((f) => ({ path: `prisma/schema/${f}`, content: readFileSync(join(MODEL_DIR, f), "utf8") }));
}

/** The whole schema for one provider: generator and datasource, then every model file. */
export function renderSchema(provider: Provider): string {
  const header = `// GENERATED from prisma/schema/*.prisma by prisma/render.ts. Do not edit.

generator client {
  provider            = "prisma-client"
  output              = "../../../server/database/generated/${provider}"
  moduleFormat        = "esm"
  importFileExtension = "ts"
}

datasource db {
  provider = "${provider}"
}
`;
  return (
    header +
    modelFiles()
      .map((f) => `\n// ─── ${f.path} ───\n\n${f.content}`)
      .join("")
  );
}

/** Writes both providers' rendered schemas (for `prisma generate`). */
export function writeGeneratedSchemas(): string[] {
  return PROVIDERS.map((p) => {
    const path = generatedSchemaPath(p);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderSchema(p));
    return path;
  });
}
