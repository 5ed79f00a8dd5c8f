// Generates the Prisma clients for both providers into server/database/generated/{sqlite,postgresql}, offline, from the
// model in prisma/schema/ (rendered per provider into prisma/generated/, out of git).
//   node prisma/generate.ts
// `prisma generate` needs no schema engine, but the CLI insists on finding one: any existing file will do.
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { writeGeneratedSchemas } from "./render.ts";

const ROOT = join(import.meta.dirname, "..");
const cli = join(ROOT, "node_modules", "prisma", "build", "index.js");
for (const schema of writeGeneratedSchemas()) {
  const r = spawnSync(process.execPath, [cli, "generate", "--schema", relative(ROOT, schema)], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
