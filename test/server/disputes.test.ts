// Reason texts, the dispute thread and its attachments (issue 9, item 17), over HTTP on a real chain.
import { expect } from "chai";
import { Contract } from "ethers";
import { keccak256, toHex } from "viem";
import { startEnv, api, login, DATABASES, waitForHead, type TestEnv } from "./helpers.ts";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";

const hex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

for (const database of DATABASES) {
  describe(`dispute texts and thread (${database})`, function () {
    let env: TestEnv;
    const t: Record<string, string> = {};
    const REASON = "Goods damaged on arrival — 12 of 40 units";
    const NOTE_REASON = "Price correction agreed on 2026-11-30";
    const BANK_REF = "E2E-REF-2026-000123";
    let disputed: string;
    let confirmed: string;
    let bankPaid: string;
    const ledgerAs = async (i: number) => new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(i));

    before(async function () {
      env = await startEnv({ database });
      disputed = hex(env.ids[1]!); // INV-2026-0002, Registered, seller 1 → buyer 3
      confirmed = hex(env.ids[0]!); // INV-2026-0001, Confirmed, seller 1 → buyer 3
      bankPaid = hex(env.ids[3]!); // BP-77120, Confirmed, seller 2 → buyer 3
      await (await (await ledgerAs(3)).getFunction("dispute")(env.ids[1]!, keccak256(toHex(REASON)))).wait();
      await (await (await ledgerAs(3)).getFunction("issueCreditNote")(env.ids[0]!, 1_000_000n, keccak256(toHex(NOTE_REASON)))).wait();
      await (await (await ledgerAs(0)).getFunction("attestBankPayment")(env.ids[3]!, 1_000_000n, keccak256(toHex(BANK_REF)))).wait();
      await waitForHead(env);
      for (const [k, i] of Object.entries({ operator: 0, seller1: 1, seller2: 2, buyer3: 3, financier: 5, auditor: 7 })) t[k] = await login(env.server.url, i);
    });
    after(async () => await env?.stop());

    const post = (who: string, path: string, body: unknown) => api(env.server.url, path, { method: "POST", token: t[who], body });
    const discussion = (who: string, id: string) => api(env.server.url, `/api/receivables/${id}/discussion`, { token: t[who] });

    describe("reason texts", () => {
      it("refuses a text whose hash is not on chain (422) and stores nothing", async () => {
        const res = await post("buyer3", `/api/receivables/${disputed}/reasons`, { kind: "dispute", text: "something else" });
        expect([res.status, res.body.error.code]).to.deep.equal([422, "hash_mismatch"]);
        expect((await discussion("seller1", disputed)).body.reasons).to.deep.equal([]);
      });

      it("keeps the dispute reason and shows it to the seller (who never learnt it before)", async () => {
        const res = await post("buyer3", `/api/receivables/${disputed}/reasons`, { kind: "dispute", text: REASON });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const d = await discussion("seller1", disputed);
        expect(d.status).to.equal(200);
        expect(d.body.reasons).to.have.length(1);
        expect(d.body.reasons[0]).to.include({ kind: "dispute", text: REASON, hash: keccak256(toHex(REASON)) });
      });

      it("keeps a credit note's reason and a bank reference (posted by the operator who attested it)", async () => {
        expect((await post("buyer3", `/api/receivables/${confirmed}/reasons`, { kind: "creditNote", text: NOTE_REASON })).status).to.equal(200);
        expect((await discussion("seller1", confirmed)).body.reasons.map((r: any) => [r.kind, r.text])).to.deep.equal([["creditNote", NOTE_REASON]]);
        const bank = await post("operator", `/api/receivables/${bankPaid}/reasons`, { kind: "bankPayment", text: ` ${BANK_REF} ` });
        expect(bank.status, JSON.stringify(bank.body)).to.equal(200);
        expect((await discussion("seller2", bankPaid)).body.reasons.map((r: any) => r.text)).to.deep.equal([BANK_REF]);
      });

      it("answers 409 when the receivable has no such event, 404 to whoever may not see it", async () => {
        const none = await post("buyer3", `/api/receivables/${disputed}/reasons`, { kind: "creditNote", text: NOTE_REASON });
        expect([none.status, none.body.error.code]).to.deep.equal([409, "no_such_event"]);
        expect((await post("seller2", `/api/receivables/${disputed}/reasons`, { kind: "dispute", text: REASON })).status).to.equal(404);
        expect((await discussion("seller2", disputed)).status).to.equal(404);
        expect((await discussion("financier", disputed)).status).to.equal(404);
      });
    });

    describe("reply thread", () => {
      it("records seller's and buyer's messages with who and when, in order", async () => {
        const a = await post("seller1", `/api/receivables/${disputed}/dispute/messages`, { body: "We shipped 40 intact units; photos attached." });
        expect(a.status, JSON.stringify(a.body)).to.equal(200);
        const b = await post("buyer3", `/api/receivables/${disputed}/dispute/messages`, { body: "12 arrived crushed.\nSee the delivery note." });
        expect(b.status).to.equal(200);
        const d = await discussion("auditor", disputed);
        expect(d.body.messages.map((m: any) => [m.author, m.body])).to.deep.equal([
          [(await (await env.provider.getSigner(1)).getAddress()).toLowerCase(), "We shipped 40 intact units; photos attached."],
          [(await (await env.provider.getSigner(3)).getAddress()).toLowerCase(), "12 arrived crushed.\nSee the delivery note."],
        ]);
        expect(Date.parse(d.body.messages[0].createdAt)).to.be.at.most(Date.parse(d.body.messages[1].createdAt));
      });

      it("is for the seller and buyer of a disputed receivable only", async () => {
        const auditor = await post("auditor", `/api/receivables/${disputed}/dispute/messages`, { body: "hello" });
        expect(auditor.status).to.equal(403);
        const outsider = await post("seller2", `/api/receivables/${disputed}/dispute/messages`, { body: "hello" });
        expect(outsider.status).to.equal(404);
        const notDisputed = await post("seller1", `/api/receivables/${confirmed}/dispute/messages`, { body: "hello" });
        expect([notDisputed.status, notDisputed.body.error.code]).to.deep.equal([409, "not_disputed"]);
        const control = await post("buyer3", `/api/receivables/${disputed}/dispute/messages`, { body: "bad \u001b[31m text" });
        expect(control.status).to.equal(400);
        expect(control.body.error.message).to.include("body");
      });

      it("stores attachments like documents and serves them as downloads, never as active content", async () => {
        const html = new TextEncoder().encode("<script>alert(1)</script>");
        const up = await api(env.server.url, `/api/receivables/${disputed}/dispute/attachments`, {
          method: "POST",
          token: t["buyer3"],
          rawBody: html,
          headers: { "content-type": "text/html", "x-file-name": encodeURIComponent("delivery note.html") },
        });
        expect(up.status, JSON.stringify(up.body)).to.equal(200);
        expect(up.body).to.include({ fileName: "delivery note.html", hash: keccak256(html), bytes: html.length });
        const d = await discussion("seller1", disputed);
        expect(d.body.attachments.map((a: any) => a.fileName)).to.deep.equal(["delivery note.html"]);
        const res = await fetch(`${env.server.url}/api/receivables/${disputed}/dispute/attachments/${up.body.id}`, {
          headers: { authorization: `Bearer ${t["seller1"]}` },
        });
        expect(res.status).to.equal(200);
        expect(res.headers.get("content-type")).to.equal("application/octet-stream");
        expect(res.headers.get("content-disposition")).to.match(/^attachment;/);
        expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
        expect(res.headers.get("x-document-hash")).to.equal(keccak256(html));
        expect(new Uint8Array(await res.arrayBuffer())).to.deep.equal(html);
        const outsider = await fetch(`${env.server.url}/api/receivables/${disputed}/dispute/attachments/${up.body.id}`, {
          headers: { authorization: `Bearer ${t["seller2"]}` },
        });
        expect(outsider.status).to.equal(404);
      });
    });
  });
}
