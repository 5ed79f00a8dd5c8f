// Invoice details, search and near-duplicate warnings (issue 9, items 15–16), over HTTP on a real chain.
import { currencyToBytes3 } from "../../common/money.ts";
import { expect } from "chai";
import { Contract } from "ethers";
import { keccak256, toHex, type Hex } from "viem";
import { startEnv, api, login, addressOf, DATABASES, waitForHead, type TestEnv } from "./helpers.ts";
import { publishDemoDetails, DEMO_COMPANIES, DEMO_INVOICES } from "../../scripts/demo.ts";
import { receivableLedgerAbi, factoringMarketAbi } from "../../deployments/contracts.ts";
import { invoiceFingerprint, DEMO_CONSORTIUM_SALT, documentHash, type InvoiceIdentity } from "../../common/fingerprint.ts";
import { similarReasons, factsOf, NEAR_AMOUNT_UNITS } from "../../server/receivables/invoice-details.ts";
import { prefixRange } from "../../server/receivables/invoice-details-store.ts";

describe("invoice-number prefix search range", () => {
  it("is [key, successor) so a plain B-tree index serves it under any collation", () => {
    expect(prefixRange("INV2026")).to.deep.equal({ gte: "INV2026", lt: "INV2027" });
    expect(prefixRange("INV9")).to.deep.equal({ gte: "INV9", lt: "INVA" });
    expect(prefixRange("AZ")).to.deep.equal({ gte: "AZ", lt: "B" });
    expect(prefixRange("ZZ")).to.deep.equal({ gte: "ZZ" });
    expect(prefixRange("上海")).to.deep.equal({ equals: "上海" });
  });
});

import { DAY_S } from "../../common/units.ts";
const hex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

describe("near-duplicate rule (hand cases)", () => {
  const base = {
    sellerTaxId: "DE-811-000-001",
    buyerTaxId: "DE-999-000-003",
    invoiceNumber: "INV-2026-0001",
    currency: "USD",
    amount: 125_000_000_000n,
    issueDate: "2026-11-12",
  };
  const f = (x: Partial<typeof base> = {}, doc?: string) => factsOf({ ...base, ...x }, doc);
  it("flags the same seller and invoice number with a typo in the buyer's tax id", () => {
    expect(similarReasons(f(), f({ buyerTaxId: "DE-999-000-008" }))).to.deep.equal(["same_seller_and_invoice_number"]);
  });
  it("flags the same seller and invoice number with an amount off by 0.01", () => {
    expect(similarReasons(f(), f({ amount: base.amount + 10_000n }))).to.deep.equal(["same_seller_and_invoice_number"]);
  });
  it("flags the same invoice number written with other separators (normalised)", () => {
    expect(similarReasons(f(), f({ invoiceNumber: "inv 2026\u20100001", issueDate: "2026-11-13" }))).to.deep.equal(["same_seller_and_invoice_number"]);
  });
  it("flags an invoice-number typo when seller, buyer and date agree and the amount is within 0.01", () => {
    expect(similarReasons(f(), f({ invoiceNumber: "INV-2026-0010", amount: base.amount - NEAR_AMOUNT_UNITS }))).to.deep.equal(["same_parties_date_and_amount"]);
    expect(similarReasons(f(), f({ invoiceNumber: "INV-2026-0010", amount: base.amount - NEAR_AMOUNT_UNITS - 1n }))).to.deep.equal([]);
  });
  it("flags the same document whatever the details", () => {
    expect(similarReasons(f({}, "0xaa"), f({ sellerTaxId: "GB-1", invoiceNumber: "X-1" }, "0xaa"))).to.deep.equal(["same_document"]);
  });
  it("does not flag another seller's invoice with the same number, nor the next invoice of the same seller", () => {
    expect(similarReasons(f(), f({ sellerTaxId: "DE-811-000-002" }))).to.deep.equal([]);
    expect(similarReasons(f(), f({ invoiceNumber: "INV-2026-0002", amount: 48_250_000_000n }))).to.deep.equal([]);
  });
});

for (const database of DATABASES) {
  describe(`invoice details (${database})`, function () {
    let env: TestEnv;
    const t: Record<string, string> = {};
    const demo = (i: number) => hex(env.ids[i]!);
    let issueDates: string[] = [];

    /** Registers an invoice on chain as `sellerIndex`; returns its id. */
    async function register(sellerIndex: number, buyerIndex: number, inv: InvoiceIdentity, doc: Hex) {
      const fingerprint = invoiceFingerprint(inv, DEMO_CONSORTIUM_SALT);
      const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(sellerIndex));
      const issue = Math.floor(Date.parse(inv.issueDate + "T00:00:00Z") / 1000);
      await (
        await ledger.getFunction("register")({
          fingerprint,
          documentHash: doc,
          buyer: addressOf(buyerIndex),
          amount: inv.amount,
          currency: currencyToBytes3(inv.currency),
          issueDate: issue,
          dueDate: issue + 60 * DAY_S,
          terms: { discountBps: 0, discountDays: 0, lateInterestBps: 0, graceDays: 0 },
        })
      ).wait();
      await waitForHead(env);
      return fingerprint.toLowerCase();
    }

    before(async function () {
      env = await startEnv({ database });
      await publishDemoDetails(env.server.url, env.provider, env.deployment as any, env.ids);
      for (const [k, i] of Object.entries({ seller1: 1, seller2: 2, buyer3: 3, buyer4: 4, financier: 5, auditor: 7 })) t[k] = await login(env.server.url, i);
      const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, env.provider);
      issueDates = await Promise.all(
        env.ids.map(async (id) => new Date(Number((await ledger.getFunction("receivable")(id)).issueDate) * 1000).toISOString().slice(0, 10)),
      );
    });
    after(async () => await env?.stop());

    const detailsOf = (i: number, over: Record<string, string> = {}) => ({
      sellerTaxId: DEMO_COMPANIES[DEMO_INVOICES[i]!.seller]!.taxId,
      buyerTaxId: DEMO_COMPANIES[DEMO_INVOICES[i]!.buyer]!.taxId,
      invoiceNumber: DEMO_INVOICES[i]!.invoiceNumber,
      currency: "USD",
      amount: DEMO_INVOICES[i]!.amount.toString(),
      issueDate: issueDates[i]!,
      ...over,
    });

    describe("POST /api/receivables/:id/details", () => {
      it("shows the demo invoices' numbers and the parties' names in the list and on the page", async () => {
        const list = await api(env.server.url, "/api/receivables?sort=registeredAt", { token: t["seller1"] });
        expect(list.status).to.equal(200);
        expect(list.body.items.map((x: any) => x.invoice?.number)).to.deep.equal(["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]);
        expect(list.body.items[0]).to.include({ sellerName: "Acme Components Ltd", buyerName: "Colossus Motors AG" });
        const one = await api(env.server.url, `/api/receivables/${demo(3)}`, { token: t["buyer3"] });
        expect(one.body.invoice).to.include({ number: "BP-77120", currency: "USD", sellerTaxId: "DE-811-000-002" });
        expect(one.body.sellerName).to.equal("Borealis Plastics GmbH");
      });

      it("refuses details that do not hash to the id (400 fingerprint_mismatch) and keeps the stored ones", async () => {
        const res = await api(env.server.url, `/api/receivables/${demo(0)}/details`, {
          method: "POST",
          token: t["seller1"],
          body: detailsOf(0, { invoiceNumber: "INV-2026-9999" }),
        });
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal("fingerprint_mismatch");
        const one = await api(env.server.url, `/api/receivables/${demo(0)}`, { token: t["seller1"] });
        expect(one.body.invoice.number).to.equal("INV-2026-0001");
      });

      it("accepts the U+2010 spelling of the same details (same fingerprint)", async () => {
        const res = await api(env.server.url, `/api/receivables/${demo(0)}/details`, {
          method: "POST",
          token: t["seller1"],
          body: detailsOf(0, { invoiceNumber: "INV\u20102026\u20100001" }),
        });
        expect(res.status).to.equal(200);
        expect(res.body.number).to.equal("INV-2026-0001");
      });

      it("is the seller's: the buyer gets 403 not_seller, an outsider 404, an unknown id 404", async () => {
        const buyer = await api(env.server.url, `/api/receivables/${demo(0)}/details`, { method: "POST", token: t["buyer3"], body: detailsOf(0) });
        expect([buyer.status, buyer.body.error.code]).to.deep.equal([403, "not_seller"]);
        const other = await api(env.server.url, `/api/receivables/${demo(0)}/details`, { method: "POST", token: t["seller2"], body: detailsOf(0) });
        expect(other.status).to.equal(404);
        const unknown = await api(env.server.url, `/api/receivables/0x${"ab".repeat(32)}/details`, { method: "POST", token: t["seller1"], body: detailsOf(0) });
        expect(unknown.status).to.equal(404);
      });

      it("refuses malformed details with a 400 naming the field", async () => {
        const res = await api(env.server.url, `/api/receivables/${demo(0)}/details`, {
          method: "POST",
          token: t["seller1"],
          body: detailsOf(0, { buyerTaxId: "DE\u202E999" }),
        });
        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.include("buyerTaxId");
      });
    });

    describe("GET /api/receivables?q=", () => {
      const search = async (who: string, q: string) => {
        const res = await api(env.server.url, `/api/receivables?sort=registeredAt&q=${encodeURIComponent(q)}`, { token: t[who] });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return res.body.items.map((x: any) => x.invoice?.number);
      };
      it("finds by invoice number (any spelling, prefix)", async () => {
        expect(await search("seller1", "inv-2026-0001")).to.deep.equal(["INV-2026-0001"]);
        expect(await search("seller1", "INV 2026")).to.deep.equal(["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]);
      });
      it("finds by counterparty name or tax id", async () => {
        expect(await search("seller1", "colossus")).to.deep.equal(["INV-2026-0001", "INV-2026-0002"]);
        expect(await search("seller2", "DE-999-000-003")).to.deep.equal(["BP-77120"]);
      });
      it("finds by amount, with thousands separators", async () => {
        expect(await search("seller1", "125,000")).to.deep.equal(["INV-2026-0001"]);
        expect(await search("buyer4", "15400.00")).to.deep.equal(["BP-77121"]);
      });
      it("stays within the caller's visibility", async () => {
        expect(await search("seller2", "INV-2026")).to.deep.equal([]);
        expect(await search("auditor", "INV-2026-0003")).to.deep.equal(["INV-2026-0003"]);
      });
    });

    describe("near-duplicate warnings", () => {
      let dupId: string;
      const typo = () => ({ ...detailsOf(0), buyerTaxId: "DE-999-000-008", amount: (DEMO_INVOICES[0]!.amount + 10_000n).toString() });

      it("warns the seller before registering, naming the other receivable by invoice number", async () => {
        const res = await api(env.server.url, "/api/invoices/similar", { method: "POST", token: t["seller1"], body: typo() });
        expect(res.status).to.equal(200);
        expect(res.body.similar).to.have.length(1);
        expect(res.body.similar[0]).to.include({ visible: true, id: demo(0), invoiceNumber: "INV-2026-0001" });
        expect(res.body.similar[0].reasons).to.deep.equal(["same_seller_and_invoice_number"]);
      });

      it("tells someone who may not see the other receivable only that a similar invoice exists", async () => {
        const res = await api(env.server.url, "/api/invoices/similar", { method: "POST", token: t["financier"], body: typo() });
        expect(res.body.similar).to.deep.equal([{ visible: false, reasons: ["same_seller_and_invoice_number"], message: "a similar invoice exists" }]);
      });

      it("is for admitted members only: a fresh key gets 403", async () => {
        const stranger = await login(env.server.url, 12);
        const res = await api(env.server.url, "/api/invoices/similar", { method: "POST", token: stranger, body: typo() });
        expect(res.status).to.equal(403);
      });

      it("says nothing for a genuinely new invoice", async () => {
        const res = await api(env.server.url, "/api/invoices/similar", {
          method: "POST",
          token: t["seller1"],
          body: detailsOf(0, { invoiceNumber: "INV-2026-0042", amount: "5000000000" }),
        });
        expect(res.body.similar).to.deep.equal([]);
      });

      it("warns on the new receivable (seller at submission, buyer before it confirms)", async () => {
        const d = typo();
        dupId = await register(1, 3, { ...d, amount: BigInt(d.amount) }, keccak256(toHex("dup doc")));
        const sub = await api(env.server.url, `/api/receivables/${dupId}/details`, { method: "POST", token: t["seller1"], body: d });
        expect(sub.status, JSON.stringify(sub.body)).to.equal(200);
        expect(sub.body.similar.map((s: any) => s.invoiceNumber)).to.deep.equal(["INV-2026-0001"]);
        const asBuyer = await api(env.server.url, `/api/receivables/${dupId}`, { token: t["buyer3"] });
        expect(asBuyer.body.status).to.equal("Registered");
        expect(asBuyer.body.similar.map((s: any) => [s.visible, s.invoiceNumber])).to.deep.equal([[true, "INV-2026-0001"]]);
        // The original now warns too, naming the newcomer.
        const original = await api(env.server.url, `/api/receivables/${demo(0)}`, { token: t["seller1"] });
        expect(original.body.similar.map((s: any) => s.id)).to.deep.equal([dupId]);
      });

      it("warns financiers on the listing, without naming a receivable they may not see; the financing views name the invoice", async () => {
        const buyer = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(3));
        await (await buyer.getFunction("confirm")(BigInt(dupId))).wait();
        const market = new Contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi as any, await env.provider.getSigner(1));
        const now = (await env.provider.getBlock("latest"))!.timestamp;
        await (await market.getFunction("list")(BigInt(dupId), 1_000_000n, now + 7 * DAY_S, false, 0)).wait();
        await waitForHead(env);
        const res = await api(env.server.url, "/api/financing/marketplace", { token: t["financier"] });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const item = res.body.items.find((x: any) => x.receivable.id === dupId);
        expect(item.receivable.invoice.number).to.equal("INV-2026-0001");
        expect(item.receivable.sellerName).to.equal("Acme Components Ltd");
        expect(item.receivable.similar).to.deep.equal([{ visible: false, reasons: ["same_seller_and_invoice_number"], message: "a similar invoice exists" }]);
      });

      it("warns on the same document registered by another seller, without details to who may not see the first", async () => {
        const docBytes = new TextEncoder().encode(
          JSON.stringify({ invoiceNumber: DEMO_INVOICES[0]!.invoiceNumber, amount: DEMO_INVOICES[0]!.amount.toString() }),
        );
        const inv = {
          sellerTaxId: DEMO_COMPANIES[2]!.taxId,
          buyerTaxId: DEMO_COMPANIES[3]!.taxId,
          invoiceNumber: "BP-COPY-1",
          currency: "USD",
          amount: 777_000_000n,
          issueDate: "2026-11-20",
        };
        const id = await register(2, 3, inv, documentHash(docBytes));
        const sub = await api(env.server.url, `/api/receivables/${id}/details`, {
          method: "POST",
          token: t["seller2"],
          body: { ...inv, amount: inv.amount.toString() },
        });
        expect(sub.body.similar).to.deep.equal([{ visible: false, reasons: ["same_document"], message: "a similar invoice exists" }]);
        const audit = await api(env.server.url, `/api/receivables/${id}`, { token: t["auditor"] });
        expect(audit.body.similar).to.have.length(1);
        expect(audit.body.similar[0]).to.include({ visible: true, id: demo(0), invoiceNumber: "INV-2026-0001" });
      });
    });
  });
}
