// The API over real HTTP against a real chain and a real database: health, config, receivables list and detail
// (filters, sort, cursor pagination, as of a block), aggregates, documents, company profiles, the live stream,
// OpenAPI and docs, and resuming from the checkpoint after a restart.
import { expect } from "chai";
import { STATUSES } from "../../common/lifecycle.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { startServer } from "../../server/main.ts";
import { openDatabase } from "../../server/database/client.ts";
import { startEnv, api, login, addressOf, registerMany, transferAs, payAs, headNumber, latestBlock, DATABASES, type TestEnv } from "./helpers.ts";

for (const database of DATABASES) {
  describe(`API (${database})`, function () {
    let env: TestEnv;
    let auditor: string;
    let seller1: string;
    before(async function () {
      env = await startEnv({ database });
      auditor = await login(env.server.url, DEMO_ACCOUNTS.auditor);
      seller1 = await login(env.server.url, 1);
    });
    after(async () => env?.stop());

    describe("GET /health and /ready", () => {
      it("reports indexer progress and the head block", async () => {
        const r = await api(env.server.url, "/health");
        expect(r.status).to.equal(200);
        const head = await headNumber(env.provider);
        expect(r.body.headBlock).to.equal(head);
        expect(r.body.indexer.checkpoint.number).to.equal(head);
        expect(r.body.indexer.blocksDone).to.equal(r.body.indexer.blocksTotal);
        expect(r.body.indexer).to.include.keys("blocksPerSecond", "etaSeconds", "eventsIndexed");
      });
      it("is ready once caught up", async () => {
        const r = await api(env.server.url, "/ready");
        expect(r.status).to.equal(200);
        expect(r.body.ready).to.equal(true);
      });
    });

    describe("GET /api/config", () => {
      it("returns the chain, contracts, deployment block and decimals; the salt only to members (/api/config/consortium)", async () => {
        const r = await api(env.server.url, "/api/config");
        expect(r.status).to.equal(200);
        expect(r.body.chainId).to.equal(31337);
        expect(r.body.contracts.ReceivableLedger).to.equal(env.deployment.contracts.ReceivableLedger);
        expect(r.body.deploymentBlock).to.equal(env.deployment.deploymentBlock);
        expect(r.body.settlementDecimals).to.equal(6);
        expect(r.body.settlementCurrency).to.equal("USD"); // read from the ledger (its settlementCurrency)
        expect(r.body).to.not.have.property("consortiumSalt");
        const salt = await api(env.server.url, "/api/config/consortium", { token: auditor });
        expect(salt.status).to.equal(200);
        expect(salt.body.consortiumSalt).to.match(/^0x[0-9a-f]{64}$/);
      });
    });

    describe("GET /api/receivables", () => {
      it("lists every demo receivable for the auditor with the block it is current to", async () => {
        const r = await api(env.server.url, "/api/receivables", { token: auditor });
        expect(r.status).to.equal(200);
        expect(r.body.items).to.have.length(DEMO_INVOICES.length);
        const head = await latestBlock(env.provider);
        expect(r.body.block).to.deep.equal({ number: head.number, hash: head.hash, final: true });
        expect(r.body.nextCursor).to.equal(null);
        // Every amount carries its currency: the ledger registers only its settlement currency.
        expect(new Set(r.body.items.map((x: any) => x.currency))).to.deep.equal(new Set(["USD"]));
        const paid = r.body.items.find((x: any) => x.status === "Paid");
        expect(paid.outstanding).to.equal("0");
        expect(paid.paid).to.equal(paid.faceAmount);
      });

      it("matches the chain's view of each receivable", async () => {
        const { Contract } = await import("ethers");
        const { receivableLedgerAbi } = await import("../../deployments/contracts.ts");
        const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, env.provider);
        const r = await api(env.server.url, "/api/receivables?limit=500", { token: auditor });
        for (const item of r.body.items) {
          const v = await ledger.getFunction("receivable")(BigInt(item.id));
          expect(item.seller).to.equal(v.seller.toLowerCase());
          expect(item.buyer).to.equal(v.buyer.toLowerCase());
          expect(item.holder).to.equal(v.holder.toLowerCase());
          expect(item.status).to.equal(STATUSES[Number(v.status)]);
          expect(item.faceAmount).to.equal(v.faceAmount.toString());
          expect(item.paid).to.equal(v.paid.toString());
          expect(item.dueDate).to.equal(new Date(Number(v.dueDate) * 1000).toISOString());
        }
      });

      it("filters by seller, buyer, status, amount and due range", async () => {
        const u = env.server.url;
        const bySeller = await api(u, `/api/receivables?seller=${addressOf(1)}`, { token: auditor });
        expect(bySeller.body.items).to.have.length(DEMO_INVOICES.filter((i) => i.seller === 1).length);
        const byBuyer = await api(u, `/api/receivables?buyer=${addressOf(3).toUpperCase().replace("0X", "0x")}`, { token: auditor });
        expect(byBuyer.body.items).to.have.length(DEMO_INVOICES.filter((i) => i.buyer === 3).length);
        const confirmed = await api(u, "/api/receivables?status=Confirmed", { token: auditor });
        expect(confirmed.body.items.map((x: any) => x.status)).to.deep.equal(["Confirmed", "Confirmed"]);
        const two = await api(u, "/api/receivables?status=Confirmed,Paid", { token: auditor });
        expect(two.body.items).to.have.length(3);
        const big = await api(u, "/api/receivables?minAmount=100000000000", { token: auditor });
        expect(big.body.items.map((x: any) => BigInt(x.faceAmount) >= 100_000_000_000n)).to.deep.equal(big.body.items.map(() => true));
        expect(big.body.items).to.have.length(DEMO_INVOICES.filter((i) => i.amount >= 100_000_000_000n).length);
        const range = await api(u, "/api/receivables?minAmount=9800000000&maxAmount=15400000000", { token: auditor });
        expect(range.body.items).to.have.length(2);
        const dueSoon = await api(u, `/api/receivables?dueTo=${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}`, { token: auditor });
        expect(dueSoon.body.items.length).to.be.greaterThan(0);
        for (const x of dueSoon.body.items) expect(Date.parse(x.dueDate)).to.be.lessThan(Date.now() + 31 * 86_400_000);
      });

      it("sorts and paginates with a cursor without gaps or repeats", async () => {
        await registerMany(env.provider, env.deployment, { count: 23, perTx: 5, tag: `page-${database}` });
        await env.server.waitForBlock(await headNumber(env.provider));
        for (const sort of ["dueDate", "-faceAmount", "registeredAt"]) {
          const all = await api(env.server.url, `/api/receivables?sort=${sort}&limit=500`, { token: auditor });
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const q: string = `/api/receivables?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ""}`;
            const page = await api(env.server.url, q, { token: auditor });
            expect(page.status).to.equal(200);
            seen.push(...page.body.items.map((x: any) => x.id));
            cursor = page.body.nextCursor;
          } while (cursor);
          expect(seen).to.deep.equal(all.body.items.map((x: any) => x.id));
          expect(new Set(seen).size).to.equal(DEMO_INVOICES.length + 23);
        }
        const byDue = (await api(env.server.url, "/api/receivables?sort=dueDate&limit=500", { token: auditor })).body.items.map((x: any) =>
          Date.parse(x.dueDate),
        );
        expect(byDue).to.deep.equal([...byDue].sort((a: number, b: number) => a - b));
      });

      it("answers as of an earlier block", async () => {
        const before = await headNumber(env.provider);
        const list = await api(env.server.url, `/api/receivables?status=Confirmed&seller=${addressOf(2)}&holder=${addressOf(2)}&limit=1`, { token: auditor });
        const target = list.body.items[0];
        const sellerIndex = [1, 2, 3, 4].find((i) => addressOf(i) === target.holder)!;
        await transferAs(env.provider, env.deployment, sellerIndex, BigInt(target.id), addressOf(5));
        await env.server.waitForBlock(before + 1);
        const now = await api(env.server.url, `/api/receivables/${target.id}`, { token: auditor });
        expect(now.body.holder).to.equal(addressOf(5));
        const then = await api(env.server.url, `/api/receivables/${target.id}?asOfBlock=${before}`, { token: auditor });
        expect(then.body.holder).to.equal(target.holder);
        expect(then.body.events.every((e: any) => e.blockNumber <= before)).to.equal(true);
        const listThen = await api(env.server.url, `/api/receivables?holder=${addressOf(5)}&asOfBlock=${before}`, { token: auditor });
        expect(listThen.body.items.map((x: any) => x.id)).to.not.include(target.id);
        const listNow = await api(env.server.url, `/api/receivables?holder=${addressOf(5)}`, { token: auditor });
        expect(listNow.body.items.map((x: any) => x.id)).to.include(target.id);
        const tooFar = await api(env.server.url, `/api/receivables?asOfBlock=${before + 1000}`, { token: auditor });
        expect(tooFar.status).to.equal(400);
        expect(tooFar.body.error.message).to.match(/asOfBlock/);
      });
    });

    describe("GET /api/receivables/:id", () => {
      it("returns the receivable with its full event history", async () => {
        const paidInvoice = (await api(env.server.url, "/api/receivables?status=Paid", { token: auditor })).body.items[0];
        const r = await api(env.server.url, `/api/receivables/${paidInvoice.id}`, { token: auditor });
        expect(r.status).to.equal(200);
        expect(r.body.events.map((e: any) => e.type)).to.deep.equal(["ReceivableRegistered", "ReceivableConfirmed", "ReceivablePaid"]);
        for (const e of r.body.events) {
          expect(e.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
          expect(e.blockHash).to.match(/^0x[0-9a-f]{64}$/);
          const receipt = await env.provider.getTransactionReceipt(e.transactionHash);
          expect(receipt!.blockNumber).to.equal(e.blockNumber);
        }
        expect(r.body.registeredAt.transactionHash).to.equal(r.body.events[0].transactionHash);
        expect(r.body.block.number).to.be.a("number");
      });
      it("answers 404 for an unknown id and 400 for a malformed one", async () => {
        const unknown = await api(env.server.url, `/api/receivables/0x${"ab".repeat(32)}`, { token: auditor });
        expect(unknown.status).to.equal(404);
        const bad = await api(env.server.url, "/api/receivables/0x1234", { token: auditor });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.message).to.match(/id: must be 0x followed by 64 hex digits/);
      });
    });

    describe("aggregates", () => {
      it("keeps open balance and exposure per buyer and seller equal to a scan of the receivables", async () => {
        const all = (await api(env.server.url, "/api/receivables?limit=500", { token: auditor })).body.items;
        for (const party of [1, 2, 3, 4].map(addressOf)) {
          const b = await api(env.server.url, `/api/balances/${party}`, { token: auditor });
          expect(b.status).to.equal(200);
          const open = (x: any) => ["Registered", "Confirmed", "Disputed", "Defaulted"].includes(x.status);
          const sum = (xs: any[]) => xs.reduce((s, x) => s + BigInt(x.outstanding), 0n).toString();
          expect(b.body.buyer.openBalance).to.equal(sum(all.filter((x: any) => x.buyer === party && open(x))));
          expect(b.body.seller.openBalance).to.equal(sum(all.filter((x: any) => x.seller === party && open(x))));
          expect(b.body.buyer.exposure).to.equal(sum(all.filter((x: any) => x.buyer === party && ["Registered", "Confirmed", "Defaulted"].includes(x.status))));
          expect(b.body.buyer.confirmedOpen).to.equal(sum(all.filter((x: any) => x.buyer === party && ["Confirmed", "Defaulted"].includes(x.status))));
        }
      });
      it("follows a payment", async () => {
        const confirmed = (await api(env.server.url, `/api/receivables?status=Confirmed&buyer=${addressOf(3)}`, { token: auditor })).body.items[0];
        const before = (await api(env.server.url, `/api/balances/${addressOf(3)}`, { token: auditor })).body.buyer;
        await payAs(env.provider, env.deployment, 3, BigInt(confirmed.id), 1_000_000n);
        await env.server.waitForBlock(await headNumber(env.provider));
        const after = (await api(env.server.url, `/api/balances/${addressOf(3)}`, { token: auditor })).body.buyer;
        expect(BigInt(before.confirmedOpen) - BigInt(after.confirmedOpen)).to.be.greaterThan(0n);
        const detail = await api(env.server.url, `/api/receivables/${confirmed.id}`, { token: auditor });
        expect(BigInt(detail.body.outstanding)).to.equal(BigInt(confirmed.outstanding) - (BigInt(before.confirmedOpen) - BigInt(after.confirmedOpen)));
      });
    });

    describe("documents", () => {
      const inv = DEMO_INVOICES[0]!;
      const bytes = new TextEncoder().encode(JSON.stringify({ invoiceNumber: inv.invoiceNumber, amount: inv.amount.toString() }));
      let id: string;
      before(async () => {
        const list = (await api(env.server.url, `/api/receivables?seller=${addressOf(1)}&limit=500`, { token: seller1 })).body.items;
        id = list.find((x: any) => x.faceAmount === inv.amount.toString()).id;
      });
      it("rejects a document whose hash is not the on-chain hash", async () => {
        const r = await api(env.server.url, `/api/receivables/${id}/document`, {
          method: "POST",
          token: seller1,
          rawBody: new TextEncoder().encode("forged"),
          headers: { "content-type": "application/json" },
        });
        expect(r.status).to.equal(422);
        expect(r.body.error.message).to.match(/does not match the on-chain document hash/);
        expect((await api(env.server.url, `/api/receivables/${id}/document`, { token: seller1 })).status).to.equal(404);
      });
      it("accepts the seller's document and serves it back verified", async () => {
        const up = await api(env.server.url, `/api/receivables/${id}/document`, {
          method: "POST",
          token: seller1,
          rawBody: bytes,
          headers: { "content-type": "application/json" },
        });
        expect(up.status).to.equal(200);
        expect(up.body.bytes).to.equal(bytes.length);
        const res = await fetch(`${env.server.url}/api/receivables/${id}/document`, { headers: { authorization: `Bearer ${auditor}` } });
        expect(res.status).to.equal(200);
        expect(new Uint8Array(await res.arrayBuffer())).to.deep.equal(bytes);
        const detail = await api(env.server.url, `/api/receivables/${id}`, { token: auditor });
        expect(res.headers.get("x-document-hash")).to.equal(detail.body.documentHash);
      });
    });

    describe("company profiles", () => {
      it("lets a member write its own profile and others read it", async () => {
        const body = { legalName: "Acme Components Ltd", taxId: "DE-811-000-001", contacts: [{ name: "Ada", email: "ada@acme.example" }] };
        const put = await api(env.server.url, `/api/companies/${addressOf(1)}`, { method: "PUT", token: seller1, body });
        expect(put.status).to.equal(200);
        const get = await api(env.server.url, `/api/companies/${addressOf(1)}`, { token: auditor });
        expect(get.body).to.include({ legalName: body.legalName, taxId: body.taxId });
        expect(get.body.contacts).to.deep.equal(body.contacts);
        const me = await api(env.server.url, "/api/auth/me", { token: seller1 });
        expect(me.body.company.legalName).to.equal(body.legalName);
      });
      it("refuses tax ids and names with control, direction, invisible or non-ASCII characters, naming the field, and changes nothing (identifiers.test.ts has the rule case by case)", async () => {
        const good = { legalName: "Acme Components Ltd", taxId: "DE-811-000-001" };
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ ...good, taxId: "DE\u0000811" }, /taxId/],
          [{ ...good, taxId: "DE\u202E118" }, /taxId/],
          [{ ...good, taxId: "\u001b[31mDE811" }, /taxId/],
          [{ ...good, taxId: "DE8\u200D11" }, /taxId/],
          [{ ...good, taxId: "DE811😀" }, /taxId/],
          [{ ...good, taxId: "DE٨١١" }, /taxId/],
          [{ ...good, legalName: "Acme\u202Eevil" }, /legalName/],
          [{ ...good, legalName: "Acme\u0007" }, /legalName/],
          [{ ...good, contacts: [{ name: "Ada\u202E" }] }, /contacts/],
          [{ ...good, contacts: [{ name: "Ada", phone: "+1 555\u0000" }] }, /contacts/],
        ];
        for (const [body, message] of cases) {
          const put = await api(env.server.url, `/api/companies/${addressOf(1)}`, { method: "PUT", token: seller1, body });
          expect(put.status, JSON.stringify(body)).to.equal(400);
          expect(put.body.error.message, JSON.stringify(body)).to.match(message);
        }
        const get = await api(env.server.url, `/api/companies/${addressOf(1)}`, { token: auditor });
        expect(get.body).to.include({ legalName: "Acme Components Ltd", taxId: "DE-811-000-001" });
        // Chinese names and a unified social credit code are fine.
        const cn = await api(env.server.url, `/api/companies/${addressOf(1)}`, {
          method: "PUT",
          token: seller1,
          body: { legalName: "厦门精密部件有限公司", taxId: "91350200MA2XYZ1234" },
        });
        expect(cn.status).to.equal(200);
        await api(env.server.url, `/api/companies/${addressOf(1)}`, {
          method: "PUT",
          token: seller1,
          body: { ...good, contacts: [{ name: "Ada", email: "ada@acme.example" }] },
        });
      });
    });

    describe("GET /api/stream", () => {
      it("pushes the new block and the changed receivables the viewer may see", async () => {
        const ctrl = new AbortController();
        const res = await fetch(`${env.server.url}/api/stream`, { headers: { authorization: `Bearer ${seller1}` }, signal: ctrl.signal });
        expect(res.headers.get("content-type")).to.match(/text\/event-stream/);
        const reader = res.body!.getReader();
        let text = "";
        const read = (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            text += new TextDecoder().decode(value);
            if (text.includes("event: receivables")) return;
          }
        })();
        await new Promise((r) => setTimeout(r, 200));
        const [id] = await registerMany(env.provider, env.deployment, { count: 1, tag: `sse-${database}` });
        await Promise.race([read, new Promise((r) => setTimeout(r, 10_000))]);
        ctrl.abort();
        expect(text).to.include("event: block");
        expect(text).to.include("0x" + id!.toString(16).padStart(64, "0"));
      });
    });

    describe("OpenAPI and docs", () => {
      it("serves an OpenAPI 3.1 document covering every endpoint", async () => {
        const r = await api(env.server.url, "/api/openapi.json");
        expect(r.body.openapi).to.equal("3.1.0");
        for (const p of [
          "/api/receivables",
          "/api/receivables/{id}",
          "/api/auth/login",
          "/api/members",
          "/api/companies/{address}",
          "/api/stream",
          "/health",
        ]) {
          expect(r.body.paths).to.have.property(p);
        }
        const params = r.body.paths["/api/receivables"].get.parameters.map((p: any) => p.name);
        expect(params).to.include.members([
          "seller",
          "buyer",
          "holder",
          "status",
          "dueFrom",
          "dueTo",
          "minAmount",
          "maxAmount",
          "sort",
          "cursor",
          "limit",
          "asOfBlock",
        ]);
      });
      it("serves a browsable documentation page", async () => {
        const res = await fetch(`${env.server.url}/api/docs`);
        expect(res.headers.get("content-type")).to.match(/text\/html/);
        const html = await res.text();
        expect(html).to.include("/api/receivables/{id}");
        expect(html).to.not.match(/https?:\/\/(cdn|unpkg)/);
      });
    });

    describe("restart", () => {
      it("resumes from its checkpoint without duplicating events", async () => {
        await env.server.close();
        await registerMany(env.provider, env.deployment, { count: 4, perTx: 2, tag: `restart-${database}` });
        env.server = await startServer({
          databaseUrl: env.db.url,
          rpcUrl: env.chain.rpcUrl,
          deployment: env.deployment as any,
          pollIntervalMs: 50,
          log: () => {},
        });
        const head = await headNumber(env.provider);
        await env.server.waitForBlock(head);
        const db = await openDatabase(env.db.url);
        try {
          const stored = await db.prisma.ledgerEvent.count();
          const logs = await env.provider.getLogs({
            address: [env.deployment.contracts.MemberRegistry, env.deployment.contracts.ReceivableLedger],
            fromBlock: env.deployment.deploymentBlock,
            toBlock: head,
          });
          expect(stored).to.equal(logs.length);
        } finally {
          await db.close();
        }
      });
    });
  });
}
