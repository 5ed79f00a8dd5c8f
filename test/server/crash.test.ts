// Crash safety: the indexer runs as a separate process (node server/main.ts) backfilling a long chain and is
// killed with SIGKILL at random points, restarted, killed again…; the final database holds every event once and
// exactly the chain's state.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { openDatabase } from "../../server/database/client.ts";
import { startChain, deployFresh } from "../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../scripts/demo.ts";
import { JsonRpcProvider } from "ethers";
import { freshDatabase, registerMany, headNumber, assertDbEqualsChain, DATABASES, type TestEnv } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const KILLS = 6;

function spawnIndexer(env: Record<string, string>): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [join(ROOT, "server", "main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /API on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code, signal) => reject(new Error(`indexer exited (${code ?? signal}) before listening:\n${out.slice(-2000)}`)));
  });
  url.catch(() => {});
  return { child, url };
}

async function checkpointOf(url: string): Promise<number> {
  const db = await openDatabase(url);
  try {
    return (await db.prisma.indexerCheckpoint.findUnique({ where: { id: 1 } }))?.blockNumber ?? -1;
  } finally {
    await db.close();
  }
}

for (const database of DATABASES) {
  describe(`crash safety (${database})`, function () {
    this.timeout(300_000);
    let env: TestEnv;
    let deploymentFile: string;

    before(async () => {
      const chain = await startChain();
      const stopOnFailure = (err: unknown) => chain.stop().then(() => Promise.reject(err));
      const deployment = await deployFresh(chain.rpcUrl).catch(stopOnFailure);
      deploymentFile = deployment.file;
      const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
      await admitDemoMembers(provider, deployment as any);
      const ids = await registerDemoInvoices(provider, deployment as any);
      await registerMany(provider, deployment, { count: 1_200, perTx: 4, tag: `crash-${database}` });
      const db = await freshDatabase(database);
      env = {
        chain,
        deployment,
        provider,
        db,
        ids,
        server: undefined as any,
        async stop() {
          provider.destroy();
          await chain.stop();
          await db.drop();
        },
      };
    });
    after(async () => env?.stop());

    it(`survives ${KILLS} kill -9 during a backfill and ends equal to the chain`, async () => {
      const head = await headNumber(env.provider);
      const childEnv = {
        DATABASE_URL: env.db.url,
        RPC_URL: env.chain.rpcUrl,
        DEPLOYMENT_FILE: deploymentFile,
        MAX_LOG_RANGE_BLOCKS: "4",
        POLL_INTERVAL_MS: "50",
        DEFER_INDEXES_MIN_BLOCKS: "1", // the kills land while the secondary indexes are dropped
      };
      const checkpoints: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        const { child, url } = spawnIndexer(childEnv);
        await url;
        await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 400)));
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
        checkpoints.push(await checkpointOf(env.db.url));
      }
      // The kills landed in the middle of the backfill, and progress was never lost.
      expect(
        checkpoints.some((c) => c > 0 && c < head),
        `checkpoints ${checkpoints} head ${head}`,
      ).to.equal(true);
      for (let i = 1; i < checkpoints.length; i++) expect(checkpoints[i]).to.be.at.least(checkpoints[i - 1]!);

      const { child, url } = spawnIndexer(childEnv);
      try {
        const base = await url;
        const deadline = Date.now() + 120_000;
        for (;;) {
          const h = await (await fetch(`${base}/health`)).json();
          if (h.indexer.checkpoint?.number === head) break;
          if (Date.now() > deadline) throw new Error(`no catch-up: ${JSON.stringify(h)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        await assertDbEqualsChain(env);
        // The indexes dropped for the backfill are all back, and nothing is left recorded as deferred.
        const db = await openDatabase(env.db.url);
        try {
          expect(await db.prisma.deferredIndex.count()).to.equal(0);
          const names = (await db.prisma.$queryRawUnsafe(
            db.provider === "sqlite"
              ? `SELECT name FROM sqlite_master WHERE type = 'index'`
              : `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`,
          )) as { name: string }[];
          expect(names.map((r) => r.name)).to.include.members([
            "Receivable_buyer_dueDate_idx",
            "Receivable_faceAmount_idx",
            "ReceivableVersion_validTo_idx",
            "LedgerEvent_member_blockNumber_idx",
          ]);
        } finally {
          await db.close();
        }
      } finally {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    });
  });
}
