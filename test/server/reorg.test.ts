// Reorganisations on the local Hardhat node: snapshot, mine blocks with events, revert to the snapshot and mine a
// different history. The indexer notices by parent hash, rolls back to the common ancestor and replays; the
// database ends equal to the chain. Several depths, longer and shorter replacement histories.
import { expect } from "chai";
import { DEMO_INVOICES } from "../../scripts/demo.ts";
import { startEnv, api, addressOf, registerMany, transferAs, waitForHead, assertDbEqualsChain, DATABASES, type TestEnv } from "./helpers.ts";

const FINALITY_DEPTH_BLOCKS = 12;

for (const database of DATABASES) {
  describe(`reorganisations (${database})`, function () {
    let env: TestEnv;
    before(async () => {
      env = await startEnv({ database, server: { finalityDepth: FINALITY_DEPTH_BLOCKS } });
    });
    after(async () => env?.stop());

    const cases = [
      { depth: 1, replacementBlocks: 2 },
      { depth: 3, replacementBlocks: 3 },
      { depth: 8, replacementBlocks: 2 },
      { depth: 5, replacementBlocks: 9 },
    ];
    for (const c of cases) {
      it(`rolls back ${c.depth} block(s) and replays a ${c.replacementBlocks}-block history`, async () => {
        const snapshot = await env.provider.send("evm_snapshot", []);
        // History A: a transfer of an existing receivable, then new registrations.
        const confirmed = DEMO_INVOICES.findIndex((i) => i.then === "confirmed" && i.seller === 2);
        await transferAs(env.provider, env.deployment, 2, env.ids[confirmed]!, addressOf(6));
        if (c.depth > 1) await registerMany(env.provider, env.deployment, { count: (c.depth - 1) * 2, perTx: 2, tag: `A-${c.depth}-${database}` });
        await waitForHead(env);
        const a = await api(env.server.url, "/health");
        expect(a.body.indexer.checkpoint.number).to.be.greaterThan(0);
        const reorgsBefore = a.body.indexer.reorgs;

        await env.provider.send("evm_revert", [snapshot]);
        await registerMany(env.provider, env.deployment, {
          count: c.replacementBlocks * 3,
          perTx: 3,
          sellerIndex: 4,
          buyerIndex: 3,
          tag: `B-${c.depth}-${database}`,
        });
        await waitForHead(env);
        const b = await api(env.server.url, "/health");
        expect(b.body.indexer.reorgs).to.equal(reorgsBefore + 1);
        await assertDbEqualsChain(env);
      });
    }

    it("marks blocks within the finality depth as not final", async () => {
      const r = await api(env.server.url, "/health");
      expect(r.body.indexer.lastError).to.equal(null);
      const { login } = await import("./helpers.ts");
      const token = await login(env.server.url, 7);
      const list = await api(env.server.url, "/api/receivables?limit=1", { token });
      expect(list.body.block.final).to.equal(false);
    });
  });
}
