// One data model, two providers: the generated schema files and migration folders must match prisma/model.prisma.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

describe("Prisma schemas and migrations", () => {
  it("have not drifted from the one data model (node prisma/sync.ts --check)", () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "..", "..", "prisma", "sync.ts"), "--check"], { encoding: "utf8" });
    expect(r.status, r.stderr + r.stdout).to.equal(0);
    expect(r.stdout).to.match(/prisma drift check ok: 2 providers/);
  });
});
