// A live upgrade: the ledger of before issue 9 (test/contracts/fixtures/ReceivableLedger.v1.json, whose
// ReceivableRegistered has no currency) registers and confirms an invoice, the timelock upgrades it to today's
// implementation, more invoices are registered in the new shape, and a server indexing from the deployment block
// shows every receivable as the chain has it — the old registration in the ledger's settlement currency.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, ContractFactory, Interface, JsonRpcProvider, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";
import { startChain, deployFresh } from "../../scripts/local-chain.ts";
import { admitDemoMembers, registerDemoInvoices } from "../../scripts/demo.ts";
import { artifact, currencyBytes3 } from "../../scripts/deploy/01-core.ts";
import { openDatabase } from "../../server/database/client.ts";
import { startServer } from "../../server/main.ts";
import { freshDatabase, api, login, headNumber, addressOf, assertDbEqualsChain, DATABASES, type TestEnv } from "./helpers.ts";

const V1 = JSON.parse(readFileSync(join(import.meta.dirname, "..", "contracts", "fixtures", "ReceivableLedger.v1.json"), "utf8")) as {
  abi: any[];
  bytecode: string;
};
const DAY_S = 86_400;
const UNIT = 10n ** 6n;
const idHex = (id: bigint | string) => "0x" + BigInt(id).toString(16).padStart(64, "0");

for (const database of DATABASES) {
  describe(`indexing across a live upgrade of the ledger (${database})`, function () {
    let env: TestEnv;
    let v1Ids: string[];
    let upgradeBlock: number;

    before(async () => {
      const chain = await startChain();
      const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
      let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
      try {
        const deployment = await deployFresh(chain.rpcUrl, { legacyLedger: V1 });
        await admitDemoMembers(provider, deployment as any);
        // Under v1: two invoices of seller 1 to buyer 3, the first confirmed.
        const seller = await provider.getSigner(1);
        const buyer = await provider.getSigner(3);
        const old = new Contract(deployment.contracts.ReceivableLedger, V1.abi, seller);
        const now = (await provider.getBlock("latest"))!.timestamp;
        v1Ids = [];
        for (const [i, amount] of [
          [1, 70_000n * UNIT],
          [2, 5_500n * UNIT],
        ] as const) {
          const fingerprint = keccak256(toUtf8Bytes(`v1 invoice ${i} ${database}`));
          await (
            await old.getFunction("register")({
              fingerprint,
              documentHash: keccak256(toUtf8Bytes(`v1 document ${i}`)),
              buyer: await buyer.getAddress(),
              amount,
              issueDate: now - 3 * DAY_S,
              dueDate: now + 30 * DAY_S,
              terms: { discountBps: 100, discountDays: 10, lateInterestBps: 0, graceDays: 0 },
            })
          ).wait();
          v1Ids.push(idHex(fingerprint));
        }
        await (await (old.connect(buyer) as Contract).getFunction("confirm")(v1Ids[0]!)).wait();
        // The upgrade, through the timelock (delay 0 on the local chain; the deployer is the governor).
        const governor = await provider.getSigner(0);
        const built = artifact("ReceivableLedger");
        const impl = await new ContractFactory(built.abi, built.bytecode, governor).deploy(
          deployment.contracts.MemberRegistry,
          deployment.contracts.SettlementToken,
          currencyBytes3("USD"),
        );
        await impl.waitForDeployment();
        const timelock = new Contract(deployment.contracts.Timelock, artifact("ConsortiumTimelock").abi, governor);
        const data = new Interface(receivableLedgerAbi as any).encodeFunctionData("upgradeToAndCall", [await impl.getAddress(), "0x"]);
        const salt = keccak256(toUtf8Bytes(`upgrade ${database}`));
        await (await timelock.getFunction("schedule")(deployment.contracts.ReceivableLedger, 0, data, ZeroHash, salt, 0)).wait();
        upgradeBlock = (await (await timelock.getFunction("execute")(deployment.contracts.ReceivableLedger, 0, data, ZeroHash, salt)).wait())!.blockNumber;
        // Under v2: the demo invoices (registered with their currency, confirmed, paid) and a v1 receivable paid.
        const ids = await registerDemoInvoices(provider, deployment as any);
        db = await freshDatabase(database);
        const server = await startServer({
          databaseUrl: db.url,
          rpcUrl: chain.rpcUrl,
          deployment: deployment as any,
          port: 0,
          pollIntervalMs: 50,
          log: () => {},
        });
        await server.waitForBlock(await headNumber(provider));
        const d = db;
        env = {
          chain,
          deployment,
          provider,
          db: d,
          server,
          ids,
          async stop() {
            await server.close();
            provider.destroy();
            await chain.stop();
            await d.drop();
          },
        };
      } catch (err) {
        provider.destroy();
        await chain.stop();
        await db?.drop().catch(() => {});
        throw err;
      }
    });
    after(async () => env?.stop());

    it("indexes every event from the deployment block: the database equals the chain, before and after the upgrade", async () => {
      expect(upgradeBlock).to.be.greaterThan(env.deployment.deploymentBlock);
      const health = (await api(env.server.url, "/health")).body;
      expect(health.indexer.lastError).to.equal(null);
      await assertDbEqualsChain(env);
    });

    it("stores the pre-upgrade registrations in today's shape, in the ledger's settlement currency", async () => {
      const db = await openDatabase(env.db.url);
      try {
        const registered = await db.prisma.ledgerEvent.findMany({
          where: { name: "ReceivableRegistered" },
          orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
        });
        expect(registered.map((e) => e.receivableId)).to.deep.equal([...v1Ids, ...env.ids.map(idHex)]);
        for (const e of registered) expect(JSON.parse(e.args).currency, `${e.receivableId} at ${e.blockNumber}`).to.equal("0x555344");
        const before = registered.filter((e) => e.blockNumber < upgradeBlock);
        expect(before.map((e) => e.receivableId)).to.deep.equal(v1Ids);
        expect(Object.keys(JSON.parse(before[0]!.args))).to.deep.equal([
          "id",
          "seller",
          "buyer",
          "amount",
          "currency",
          "issueDate",
          "dueDate",
          "terms",
          "documentHash",
        ]);
      } finally {
        await db.close();
      }
    });

    it("the API shows the v1 receivables like any other: parties, amount, status, currency", async () => {
      const token = await login(env.server.url, 1);
      const [first, second] = await Promise.all(v1Ids.map(async (id) => (await api(env.server.url, `/api/receivables/${id}`, { token })).body));
      expect([first.seller, first.buyer, first.holder, first.status, first.faceAmount, first.outstanding, first.currency]).to.deep.equal([
        addressOf(1),
        addressOf(3),
        addressOf(1),
        "Confirmed",
        (70_000n * UNIT).toString(),
        (70_000n * UNIT).toString(),
        "USD",
      ]);
      expect([second.status, second.faceAmount, second.currency]).to.deep.equal(["Registered", (5_500n * UNIT).toString(), "USD"]);
      const list = (await api(env.server.url, "/api/receivables?limit=100", { token })).body;
      const mine = list.items.map((r: any) => r.id);
      for (const id of v1Ids) expect(mine).to.include(id);
    });
  });
}
