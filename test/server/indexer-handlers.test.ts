// The indexer's handler registry: domains register what they project; a handler that fails deterministically
// stops the indexer once (ProjectionError: /ready 503, the error on /health, nothing of the batch written), while
// a transient failure is retried with backoff. And the module boundaries the registry exists for.
import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { Contract } from "ethers";
import { memberRegistryAbi } from "../../deployments/contracts.ts";
import { openDatabase } from "../../server/database/client.ts";
import { RetryableError } from "../../server/errors.ts";
import { defineHandler } from "../../server/indexer/handlers.ts";
import { startEnv, api, addressOf, headNumber, DATABASES, type TestEnv } from "./helpers.ts";

const SERVER = resolve(import.meta.dirname, "..", "..", "server");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function suspend(env: TestEnv, index: number): Promise<number> {
  const registry = new Contract(env.deployment.contracts.MemberRegistry, memberRegistryAbi as any, await env.provider.getSigner(0));
  const receipt = await (await registry.getFunction("suspend")(addressOf(index))).wait();
  return receipt!.blockNumber as number;
}

for (const database of DATABASES) {
  describe(`indexer handler registry (${database})`, function () {
    describe("a handler that throws deterministically", () => {
      let env: TestEnv;
      let calls = 0;
      const broken = defineHandler({
        name: "broken-audit-trail",
        events: ["MemberSuspended"],
        async apply() {
          calls++;
          throw new TypeError("cannot read properties of undefined (reading 'reason')");
        },
        async rollback() {},
      });
      before(async () => {
        env = await startEnv({ database, server: { projections: [broken] } });
      });
      after(async () => env?.stop());

      it("stops the indexer once: /ready 503, /health names the error, nothing of the batch written", async () => {
        const before = await headNumber(env.provider);
        expect((await api(env.server.url, "/ready")).status).to.equal(200);
        const block = await suspend(env, 1);
        expect(block).to.equal(before + 1);
        const health = await until("the indexer to stop", async () => {
          const h = (await api(env.server.url, "/health")).body;
          return h.indexer.running === false && h;
        });
        expect(health.status).to.equal("error");
        expect(health.indexer.lastError).to.include('projection "broken-audit-trail" failed').and.include("reading 'reason'");
        expect(health.indexer.caughtUp).to.equal(false);
        expect(health.indexer.checkpoint.number, "checkpoint unchanged").to.equal(before);
        // Not retried: more blocks and time pass, the handler was called once.
        await env.provider.send("evm_mine", []);
        await sleep(1_000);
        expect(calls).to.equal(1);
        const ready = await api(env.server.url, "/ready");
        expect(ready.status).to.equal(503);
        expect(ready.body.checkpoint).to.equal(before);
        // Nothing of that batch: no event stored, the member not suspended, the checkpoint where it was.
        const db = await openDatabase(env.db.url);
        try {
          expect(await db.prisma.ledgerEvent.count({ where: { blockNumber: { gt: before } } })).to.equal(0);
          expect((await db.prisma.member.findUnique({ where: { address: addressOf(1) } }))?.suspended).to.equal(false);
          expect((await db.prisma.indexerCheckpoint.findUnique({ where: { id: 1 } }))?.blockNumber).to.equal(before);
        } finally {
          await db.close();
        }
      });
    });

    describe("a handler that fails transiently", () => {
      let env: TestEnv;
      let calls = 0;
      const flaky = defineHandler({
        name: "flaky",
        events: ["MemberSuspended"],
        async apply() {
          if (++calls <= 2) throw new RetryableError("the archive is busy");
        },
        async rollback() {},
      });
      before(async () => {
        env = await startEnv({ database, server: { projections: [flaky] } });
      });
      after(async () => env?.stop());

      it("is retried with backoff until it succeeds, and the batch is then written once", async () => {
        const block = await suspend(env, 2);
        await until(
          "the indexer to catch up",
          async () => (await api(env.server.url, "/ready")).status === 200 && (await api(env.server.url, "/health")).body.indexer.checkpoint?.number >= block,
        );
        expect(calls).to.equal(3);
        const health = (await api(env.server.url, "/health")).body;
        expect(health.status).to.equal("ok");
        expect(health.indexer.lastError).to.equal(null);
        const db = await openDatabase(env.db.url);
        try {
          expect(await db.prisma.ledgerEvent.count({ where: { name: "MemberSuspended" } })).to.equal(1);
          expect((await db.prisma.member.findUnique({ where: { address: addressOf(2) } }))?.suspended).to.equal(true);
        } finally {
          await db.close();
        }
      });
    });
  });
}

describe("server module boundaries", () => {
  /** The import graph of server/ by file (generated Prisma clients left out), paths relative to server/. */
  function importGraph(): Map<string, Set<string>> {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (f === "generated") continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts")) files.push(p);
      }
    };
    walk(SERVER);
    const graph = new Map<string, Set<string>>();
    for (const f of files) {
      const deps = new Set<string>();
      for (const m of readFileSync(f, "utf8").matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g)) {
        const target = resolve(dirname(f), m[1]!);
        if (target.startsWith(SERVER + "/")) deps.add(relative(SERVER, target));
      }
      graph.set(relative(SERVER, f), deps);
    }
    return graph;
  }
  /** Files reachable from `from` through imports. */
  const reachable = (g: Map<string, Set<string>>, from: string[]) => {
    const seen = new Set<string>();
    const stack = [...from];
    while (stack.length) {
      for (const y of g.get(stack.pop()!) ?? []) if (!seen.has(y)) seen.add(y), stack.push(y);
    }
    return seen;
  };
  const under = (g: Map<string, Set<string>>, folder: string) => [...g.keys()].filter((f) => f.startsWith(folder + "/"));

  it("the receivables' data access and projection do not import server/financing, directly or through other modules (the old server/db circle is gone)", () => {
    const g = importGraph();
    const data = under(g, "receivables").filter((f) => /(store|indexing|projection|rows|visibility)\.ts$/.test(f));
    expect(data).to.include.members(["receivables/store.ts", "receivables/indexing.ts"]);
    const reached = [...reachable(g, data)].filter((f) => f.startsWith("financing/"));
    expect(reached, "server/financing files reached from server/receivables").to.deep.equal([]);
  });

  it("only the stores, the projections' indexing handlers and the database platform use Prisma or SQL", () => {
    // A domain's data access is its store (store.ts or *-store.ts) and, for the tables the indexer projects, its
    // indexing.ts (run in the indexer's batch transaction); the platform (server/database) owns the client.
    const allowed = (f: string) => f.startsWith("database/") || /(^|\/)(store|[\w-]+-store|indexing)\.ts$/.test(f);
    const PRISMA =
      /\.prisma\b|\$queryRaw|\$executeRaw|\$transaction|database\/generated|TransactionClient|\btx\.\w+\.(find|create|update|upsert|delete|count|aggregate|groupBy)/;
    const offenders = [...importGraph().keys()].filter((f) => !allowed(f) && PRISMA.test(readFileSync(join(SERVER, f), "utf8")));
    expect(offenders, "files outside the stores using Prisma or SQL").to.deep.equal([]);
    // The check can fail: a route reading a table directly is caught.
    expect(PRISMA.test("const rows = await ctx.db.prisma.receivable.findMany();")).to.equal(true);
    expect(allowed("receivables/routes.ts")).to.equal(false);
    expect(allowed("receivables/invoice-details-store.ts") && allowed("credit/store.ts") && allowed("members/indexing.ts")).to.equal(true);
  });

  it("the indexer imports no domain: only the platform (server/database, server/chain) and the shared errors", () => {
    const g = importGraph();
    const outside = new Set(
      under(g, "indexer")
        .flatMap((f) => [...g.get(f)!])
        .filter((d) => !d.startsWith("indexer/")),
    );
    expect(
      [...outside].filter((d) => !d.startsWith("database/") && !d.startsWith("chain/") && d !== "errors.ts"),
      "domain modules the indexer imports",
    ).to.deep.equal([]);
  });
});
