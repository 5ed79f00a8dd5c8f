// People inside a member (issue 10): staff keys linked by a member's administrator with desk roles, over real
// HTTP on a real chain and database. A staff session sees exactly what its member sees; desk roles limit what it
// may change; every off-chain action records the person; a removed staff member is out at once.
import { expect } from "chai";
import { Contract } from "ethers";
import { keccak256, toHex } from "viem";
import { SiweMessage } from "siwe";
import { startEnv, api, login, account, addressOf, DATABASES, waitForHead, type TestEnv } from "./helpers.ts";
import { receivableLedgerAbi } from "../../deployments/contracts.ts";
import { DEMO_COMPANIES, DEMO_INVOICES, DEMO_STAFF, linkDemoStaff } from "../../scripts/demo.ts";

const hex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");

/** SIWE sign-in answering the raw response (login() throws on anything but 200). */
async function signIn(baseUrl: string, index: number) {
  const { body: n } = await api(baseUrl, "/api/auth/nonce");
  const acct = account(index);
  const message = new SiweMessage({
    domain: new URL(baseUrl).host,
    address: acct.address,
    statement: "Sign in to the receivables ledger",
    uri: baseUrl,
    version: "1",
    chainId: 31337,
    nonce: n.nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  return await api(baseUrl, "/api/auth/login", { method: "POST", body: { message, signature: await acct.signMessage({ message }) } });
}

// Members of the demo consortium (scripts/demo.ts) and the spare development keys used as their staff here.
const M = { operator: 0, seller1: 1, seller2: 2, buyer3: 3, financier5: 5, auditor7: 7, insurer8: 8 } as const;
const S = { clerk1: 10, collector1: 11, clerk3: 12, treasurer5: 13, analyst7: 14, approver8: 15, approver0: 16, outsider: 19 } as const;

for (const database of DATABASES) {
  describe(`staff accounts inside a member (${database})`, function () {
    let env: TestEnv;
    const t: Record<string, string> = {};
    const url = () => env.server.url;
    const staffPath = (member: number, staff?: number) => `/api/members/${addressOf(member)}/staff${staff === undefined ? "" : `/${addressOf(staff)}`}`;
    const add = (as: string, member: number, body: Record<string, unknown>) => api(url(), staffPath(member), { method: "POST", token: t[as], body });
    const list = async (member: number, as: string) => (await api(url(), staffPath(member), { token: t[as] })).body.items as any[];
    let disputed: string;

    before(async function () {
      env = await startEnv({ database });
      disputed = hex(env.ids[1]!); // INV-2026-0002, Registered, seller 1 → buyer 3
      const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, await env.provider.getSigner(M.buyer3));
      await (await ledger.getFunction("dispute")(env.ids[1]!, keccak256(toHex("Wrong quantity")))).wait();
      await waitForHead(env);
      for (const [k, i] of Object.entries(M)) t[k] = await login(url(), i);
    });
    after(async () => await env?.stop());

    describe("the administrator manages its staff", () => {
      it("adds a staff member (201) and lists it with who added it and when", async () => {
        const res = await add("seller1", M.seller1, { address: account(S.clerk1).address, name: "Ada Clerk", deskRoles: ["arClerk"] });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.body).to.include({
          member: addressOf(M.seller1),
          address: addressOf(S.clerk1),
          name: "Ada Clerk",
          active: true,
          addedBy: addressOf(M.seller1),
          authorityAmount: null,
          removedAt: null,
        });
        expect(res.body.deskRoles).to.deep.equal(["arClerk"]);
        const items = await list(M.seller1, "seller1");
        expect(items.map((s) => [s.address, s.name, s.deskRoles, s.addedBy])).to.deep.equal([
          [addressOf(S.clerk1), "Ada Clerk", ["arClerk"], addressOf(M.seller1)],
        ]);
        expect(Date.parse(items[0].addedAt)).to.be.closeTo(Date.now(), 60_000);
      });

      it("changes desk roles and the credit approver's authority, recording who changed them", async () => {
        const up = await api(url(), staffPath(M.seller1, S.clerk1), {
          method: "PATCH",
          token: t["seller1"],
          body: { deskRoles: ["creditApprover", "arClerk"], authorityAmount: "5000000000" },
        });
        expect(up.status, JSON.stringify(up.body)).to.equal(200);
        expect(up.body.deskRoles).to.deep.equal(["arClerk", "creditApprover"]); // canonical order
        expect(up.body).to.include({ authorityAmount: "5000000000", updatedBy: addressOf(M.seller1) });
        // Dropping the credit approver drops its authority.
        const back = await api(url(), staffPath(M.seller1, S.clerk1), { method: "PATCH", token: t["seller1"], body: { deskRoles: ["arClerk"] } });
        expect([back.status, back.body.deskRoles, back.body.authorityAmount]).to.deep.equal([200, ["arClerk"], null]);
        expect((await list(M.seller1, "seller1"))[0]).to.include({ authorityAmount: null });
      });

      it("answers 404 when changing or removing a key that is not on the staff", async () => {
        const res = await api(url(), staffPath(M.seller1, S.outsider), { method: "PATCH", token: t["seller1"], body: { name: "Nobody" } });
        expect(res.status).to.equal(404);
        expect((await api(url(), staffPath(M.seller1, S.outsider), { method: "DELETE", token: t["seller1"] })).status).to.equal(404);
      });
    });

    describe("who may see and change a member's staff", () => {
      it("is 403 for a staff key and for another member, and changes nothing", async () => {
        t["clerk1"] = await login(url(), S.clerk1);
        const byStaff = await add("clerk1", M.seller1, { address: account(S.collector1).address, name: "Eve", deskRoles: ["collector"] });
        expect(byStaff.status).to.equal(403);
        const byOther = await add("seller2", M.seller1, { address: account(S.collector1).address, name: "Eve", deskRoles: ["collector"] });
        expect(byOther.status).to.equal(403);
        const patch = await api(url(), staffPath(M.seller1, S.clerk1), { method: "PATCH", token: t["clerk1"], body: { deskRoles: ["treasurer"] } });
        expect(patch.status).to.equal(403);
        expect((await api(url(), staffPath(M.seller1, S.clerk1), { method: "DELETE", token: t["seller2"] })).status).to.equal(403);
        expect((await list(M.seller1, "seller1")).map((s) => [s.address, s.deskRoles])).to.deep.equal([[addressOf(S.clerk1), ["arClerk"]]]);
      });

      it("shows the list to the member and its staff, and 404 to anyone else", async () => {
        expect((await api(url(), staffPath(M.seller1), { token: t["clerk1"] })).status).to.equal(200);
        expect((await api(url(), staffPath(M.seller1), { token: t["seller2"] })).status).to.equal(404);
        expect((await api(url(), staffPath(M.seller1), { token: t["auditor7"] })).status).to.equal(404);
        t["outsider"] = await login(url(), S.outsider);
        expect((await api(url(), staffPath(M.seller1), { token: t["outsider"] })).status).to.equal(404);
        expect((await api(url(), staffPath(M.seller1))).status).to.equal(401);
      });
    });

    describe("bad input", () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ["a malformed address", { address: "0x1234", name: "X", deskRoles: ["arClerk"] }, "address"],
        ["an empty name", { address: account(S.collector1).address, name: "", deskRoles: ["arClerk"] }, "name"],
        ["a name with a bidi override", { address: account(S.collector1).address, name: "Eve\u202E", deskRoles: ["arClerk"] }, "name"],
        ["no desk role", { address: account(S.collector1).address, name: "Eve", deskRoles: [] }, "deskRoles"],
        ["an unknown desk role", { address: account(S.collector1).address, name: "Eve", deskRoles: ["ceo"] }, "deskRoles"],
        ["a credit approver without authority", { address: account(S.collector1).address, name: "Eve", deskRoles: ["creditApprover"] }, "authorityAmount"],
        [
          "an authority that is not base units",
          { address: account(S.collector1).address, name: "Eve", deskRoles: ["creditApprover"], authorityAmount: "1.5" },
          "authorityAmount",
        ],
        [
          "an authority for a collector",
          { address: account(S.collector1).address, name: "Eve", deskRoles: ["collector"], authorityAmount: "100" },
          "authorityAmount",
        ],
        ["an unknown field", { address: account(S.collector1).address, name: "Eve", deskRoles: ["collector"], boss: true }, "boss"],
      ];
      for (const [what, body, field] of cases) {
        it(`refuses ${what} with a 400 naming ${field}, and stores nothing`, async () => {
          const res = await add("seller1", M.seller1, body);
          expect(res.status, JSON.stringify(res.body)).to.equal(400);
          expect(res.body.error.message).to.include(field);
          expect((await list(M.seller1, "seller1")).map((s) => s.address)).to.deep.equal([addressOf(S.clerk1)]);
        });
      }

      it("refuses linking a key that is itself a member, naming the problem (409)", async () => {
        const res = await add("seller1", M.seller1, { address: account(M.seller2).address, name: "Borealis", deskRoles: ["arClerk"] });
        expect([res.status, res.body.error.code]).to.deep.equal([409, "staff_is_member"]);
        expect(res.body.error.message).to.include(addressOf(M.seller2));
      });

      it("refuses linking a key that is already staff of another member, naming that member (409)", async () => {
        const res = await add("buyer3", M.buyer3, { address: account(S.clerk1).address, name: "Ada", deskRoles: ["arClerk"] });
        expect([res.status, res.body.error.code]).to.deep.equal([409, "staff_of_another_member"]);
        expect(res.body.error.message).to.include(addressOf(M.seller1));
        expect(await list(M.buyer3, "buyer3")).to.deep.equal([]);
      });

      it("refuses a PATCH that makes a credit approver without authority (400 naming authorityAmount)", async () => {
        const res = await api(url(), staffPath(M.seller1, S.clerk1), { method: "PATCH", token: t["seller1"], body: { deskRoles: ["creditApprover"] } });
        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.include("authorityAmount");
        expect((await list(M.seller1, "seller1"))[0].deskRoles).to.deep.equal(["arClerk"]);
      });
    });

    describe("a staff session sees what its member sees", () => {
      const staffOf: [keyof typeof M, keyof typeof S, string[]][] = [
        ["seller1", "collector1", ["collector"]],
        ["buyer3", "clerk3", ["arClerk"]],
        ["financier5", "treasurer5", ["treasurer"]],
        ["auditor7", "analyst7", ["creditAnalyst"]],
        ["insurer8", "approver8", ["creditApprover"]],
      ];
      before(async () => {
        for (const [m, s, roles] of staffOf) {
          const res = await add(m, M[m], {
            address: account(S[s]).address,
            name: `${s} person`,
            deskRoles: roles,
            ...(roles.includes("creditApprover") ? { authorityAmount: "1000000" } : {}),
          });
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          t[s] = await login(url(), S[s]);
        }
      });

      it("/api/auth/me tells the person, the member and the desk roles", async () => {
        const me = (await api(url(), "/api/auth/me", { token: t["approver8"] })).body;
        expect(me).to.include({ address: addressOf(S.approver8), member: addressOf(M.insurer8), active: true });
        expect(me.roles).to.deep.equal(["Insurer"]);
        expect(me.person).to.deep.equal({
          address: addressOf(S.approver8),
          name: "approver8 person",
          administrator: false,
          deskRoles: ["creditApprover"],
          authority: "1000000",
        });
        const own = (await api(url(), "/api/auth/me", { token: t["insurer8"] })).body;
        expect(own).to.include({ address: addressOf(M.insurer8), member: addressOf(M.insurer8) });
        expect(own.person).to.include({ administrator: true, authority: null, name: null });
      });

      for (const [m, s] of staffOf) {
        it(`staff of ${m} gets the same receivables, balances and credit views as ${m}`, async () => {
          const same = async (path: string) => {
            const [a, b] = [await api(url(), path, { token: t[m] }), await api(url(), path, { token: t[s] })];
            expect(b.status, `${path} as staff`).to.equal(a.status);
            const strip = (x: any) => (x && typeof x === "object" ? { ...x, block: undefined } : x);
            expect(strip(b.body), path).to.deep.equal(strip(a.body));
            return a;
          };
          const mine = await same("/api/receivables?limit=100");
          expect(mine.status).to.equal(200);
          await same(`/api/balances/${addressOf(M[m])}`);
          await same(`/api/balances/${addressOf(M.buyer3)}`);
          await same("/api/credit/profiles");
          await same(`/api/credit/profiles/${addressOf(M.buyer3)}`);
          await same("/api/members");
          await same("/api/financing/marketplace");
          await same(`/api/receivables/${hex(env.ids[0]!)}`);
          await same(`/api/receivables/${hex(env.ids[4]!)}`);
          await same("/api/config/consortium");
        });

        it(`staff of ${m} gets the same reports as ${m}, stamped alike (issue 11 item 6)`, async () => {
          const sameReport = async (path: string) => {
            const [a, b] = [await api(url(), path, { token: t[m] }), await api(url(), path, { token: t[s] })];
            expect(b.status, `${path} as staff`).to.equal(a.status);
            expect({ ...b.body, asOf: undefined }, path).to.deep.equal({ ...a.body, asOf: undefined });
            return a.body;
          };
          const aging = await sameReport("/api/reports/aging?groupBy=buyer");
          expect(aging.openBalance, "the whole scope's aging answers").to.be.a("string");
          // the demo's seller 1, buyer 3 and the auditor have open receivables (a scope of the staff key's own address would be empty)
          if (m === "seller1" || m === "buyer3" || m === "auditor7") expect(BigInt(aging.openBalance)).to.be.greaterThan(0n);
          // filtered by buyer 3: 200 where the member sees its receivables, 404 alike where it sees none
          await sameReport(`/api/reports/aging?buyer=${addressOf(M.buyer3)}`);
        });
      }

      it("sees what its member sees and not more: seller 1's staff gets seller 1's receivables, none of seller 2's", async () => {
        const items = (await api(url(), "/api/receivables?limit=100", { token: t["collector1"] })).body.items as any[];
        expect(items.length).to.equal(DEMO_INVOICES.filter((i) => i.seller === 1).length);
        expect(items.every((r) => r.seller === addressOf(M.seller1))).to.equal(true);
        expect((await api(url(), `/api/receivables/${hex(env.ids[3]!)}`, { token: t["collector1"] })).status).to.equal(404);
      });
    });

    describe("desk roles and the person on every off-chain action", () => {
      const detailsOf = async (i: number) => {
        const inv = DEMO_INVOICES[i]!;
        const ledger = new Contract(env.deployment.contracts.ReceivableLedger, receivableLedgerAbi as any, env.provider);
        const issue = new Date(Number((await ledger.getFunction("receivable")(env.ids[i]!)).issueDate) * 1000).toISOString().slice(0, 10);
        return {
          sellerTaxId: DEMO_COMPANIES[inv.seller]!.taxId,
          buyerTaxId: DEMO_COMPANIES[inv.buyer]!.taxId,
          invoiceNumber: inv.invoiceNumber,
          currency: "USD",
          amount: inv.amount.toString(),
          issueDate: issue,
        };
      };

      it("a collector may not write invoice details (403 desk_role); an AR clerk may, and the person is recorded", async () => {
        const path = `/api/receivables/${hex(env.ids[0]!)}/details`;
        const no = await api(url(), path, { method: "POST", token: t["collector1"], body: await detailsOf(0) });
        expect([no.status, no.body.error.code]).to.deep.equal([403, "desk_role"]);
        const yes = await api(url(), path, { method: "POST", token: t["clerk1"], body: await detailsOf(0) });
        expect(yes.status, JSON.stringify(yes.body)).to.equal(200);
        expect(yes.body).to.include({ submittedBy: addressOf(M.seller1), actor: addressOf(S.clerk1) });
        const r = (await api(url(), `/api/receivables/${hex(env.ids[0]!)}`, { token: t["buyer3"] })).body;
        expect(r.invoice).to.include({ submittedBy: addressOf(M.seller1), actor: addressOf(S.clerk1) });
      });

      it("dispute replies record the person; a treasurer-less collector may not reply", async () => {
        const path = `/api/receivables/${disputed}/dispute/messages`;
        const no = await api(url(), path, { method: "POST", token: t["collector1"], body: { body: "We will call you" } });
        expect([no.status, no.body.error.code]).to.deep.equal([403, "desk_role"]);
        const buyerSide = await api(url(), path, { method: "POST", token: t["clerk3"], body: { body: "Only 30 units arrived" } });
        expect(buyerSide.status, JSON.stringify(buyerSide.body)).to.equal(200);
        expect(buyerSide.body).to.include({ author: addressOf(M.buyer3), actor: addressOf(S.clerk3) });
        const sellerSide = await api(url(), path, { method: "POST", token: t["seller1"], body: { body: "We ship the rest" } });
        expect(sellerSide.body).to.include({ author: addressOf(M.seller1), actor: addressOf(M.seller1) });
        const d = (await api(url(), `/api/receivables/${disputed}/discussion`, { token: t["clerk1"] })).body;
        expect(d.messages.map((m: any) => [m.author, m.actor, m.actorName, m.body])).to.deep.equal([
          [addressOf(M.buyer3), addressOf(S.clerk3), "clerk3 person", "Only 30 units arrived"],
          [addressOf(M.seller1), addressOf(M.seller1), null, "We ship the rest"],
        ]);
      });

      it("attachments and reason texts record the person", async () => {
        const up = await api(url(), `/api/receivables/${disputed}/dispute/attachments`, {
          method: "POST",
          token: t["clerk3"],
          rawBody: new TextEncoder().encode("delivery note"),
          headers: { "content-type": "text/plain", "x-file-name": "note.txt" },
        });
        expect(up.status, JSON.stringify(up.body)).to.equal(200);
        expect(up.body).to.include({ uploadedBy: addressOf(M.buyer3), actor: addressOf(S.clerk3) });
        const reason = await api(url(), `/api/receivables/${disputed}/reasons`, {
          method: "POST",
          token: t["clerk3"],
          body: { kind: "dispute", text: "Wrong quantity" },
        });
        expect(reason.status, JSON.stringify(reason.body)).to.equal(200);
        const d = (await api(url(), `/api/receivables/${disputed}/discussion`, { token: t["seller1"] })).body;
        expect(d.attachments.map((a: any) => [a.uploadedBy, a.actor])).to.deep.equal([[addressOf(M.buyer3), addressOf(S.clerk3)]]);
        expect(d.reasons.map((x: any) => [x.submittedBy, x.actor])).to.deep.equal([[addressOf(M.buyer3), addressOf(S.clerk3)]]);
      });

      it("asking financiers for loan offers is the treasurer's (a collector gets 403 desk_role)", async () => {
        const path = `/api/financing/receivables/${hex(env.ids[0]!)}/loan-request`;
        const no = await api(url(), path, { method: "POST", token: t["collector1"] });
        expect([no.status, no.body.error.code]).to.deep.equal([403, "desk_role"]);
        expect(no.body.error.message).to.include("Treasurer");
        const yes = await api(url(), path, { method: "POST", token: t["seller1"] });
        expect(yes.status, JSON.stringify(yes.body)).to.equal(200);
        expect((await api(url(), `${path}/withdraw`, { method: "POST", token: t["collector1"] })).status).to.equal(403);
        expect((await api(url(), `${path}/withdraw`, { method: "POST", token: t["seller1"] })).status).to.equal(200);
      });

      it("the company profile is the administrator's alone; its edit records the person", async () => {
        const body = { legalName: "Acme Components Ltd", taxId: "DE-811-000-001" };
        const no = await api(url(), `/api/companies/${addressOf(M.seller1)}`, { method: "PUT", token: t["clerk1"], body });
        expect([no.status, no.body.error.code]).to.deep.equal([403, "desk_role"]);
        const yes = await api(url(), `/api/companies/${addressOf(M.seller1)}`, { method: "PUT", token: t["seller1"], body });
        expect(yes.status).to.equal(200);
        expect(yes.body).to.include({ updatedBy: addressOf(M.seller1), actor: addressOf(M.seller1) });
      });

      it("a credit decision needs a credit approver within its authority, and records the person", async () => {
        // The operator's own desk sets the consortium's limits: its credit approver may decide up to 2,000 tokens.
        const added = await add("operator", M.operator, {
          address: account(S.approver0).address,
          name: "Olga Approver",
          deskRoles: ["creditApprover"],
          authorityAmount: "2000000000",
        });
        expect(added.status, JSON.stringify(added.body)).to.equal(201);
        t["approver0"] = await login(url(), S.approver0);
        const path = `/api/credit/limits/${addressOf(M.buyer3)}`;
        const over = await api(url(), path, { method: "PUT", token: t["approver0"], body: { limit: "2000000001" } });
        expect([over.status, over.body.error.code]).to.deep.equal([403, "desk_role"]);
        expect(over.body.error.message).to.include("2000000000");
        const ok = await api(url(), path, { method: "PUT", token: t["approver0"], body: { limit: "2000000000" } });
        expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
        expect(ok.body).to.include({ limit: "2000000000", limitSetBy: addressOf(M.operator), limitSetByPerson: addressOf(S.approver0) });
        // A credit analyst of an auditor is not the operator's desk: 403 as before.
        expect((await api(url(), path, { method: "PUT", token: t["analyst7"], body: { limit: "1" } })).status).to.equal(403);
      });
    });

    describe("removing a staff member", () => {
      it("ends its session at once (401) and it cannot sign in again; the list keeps who removed it and when", async () => {
        expect((await api(url(), "/api/receivables", { token: t["clerk1"] })).status).to.equal(200); // cached viewer
        // Its live stream is open too, and ends with the removal.
        const stream = await fetch(`${url()}/api/stream`, { headers: { authorization: `Bearer ${t["clerk1"]}` } });
        expect(stream.status).to.equal(200);
        const reader = stream.body!.getReader();
        const ended = (async () => {
          for (;;) if ((await reader.read()).done) return true;
        })();
        const del = await api(url(), staffPath(M.seller1, S.clerk1), { method: "DELETE", token: t["seller1"] });
        expect(del.status, JSON.stringify(del.body)).to.equal(200);
        expect(del.body).to.include({ active: false, removedBy: addressOf(M.seller1) });
        const after = await api(url(), "/api/receivables", { token: t["clerk1"] });
        expect(after.status).to.equal(401);
        expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r("still open"), 5_000))])).to.equal(true);
        expect((await api(url(), "/api/auth/me", { token: t["clerk1"] })).status).to.equal(401);
        const again = await signIn(url(), S.clerk1);
        expect([again.status, again.body.error.code]).to.deep.equal([401, "staff_removed"]);
        const row = (await list(M.seller1, "seller1")).find((s) => s.address === addressOf(S.clerk1));
        expect(row).to.include({ active: false, removedBy: addressOf(M.seller1) });
        expect(Date.parse(row.removedAt)).to.be.closeTo(Date.now(), 60_000);
        // What it did stays attributed to it.
        const r = (await api(url(), `/api/receivables/${hex(env.ids[0]!)}`, { token: t["seller1"] })).body;
        expect(r.invoice.actor).to.equal(addressOf(S.clerk1));
      });

      it("re-adding works: a new link, signs in again, the history keeps both", async () => {
        const res = await add("seller1", M.seller1, { address: account(S.clerk1).address, name: "Ada Clerk", deskRoles: ["treasurer"] });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        const again = await signIn(url(), S.clerk1);
        expect(again.status).to.equal(200);
        expect(again.body.person.deskRoles).to.deep.equal(["treasurer"]);
        const rows = (await list(M.seller1, "seller1")).filter((s) => s.address === addressOf(S.clerk1));
        expect(rows.map((s) => s.active)).to.deep.equal([false, true]);
      });

      it("a removed staff key is free to join another member", async () => {
        expect((await api(url(), staffPath(M.seller1, S.collector1), { method: "DELETE", token: t["seller1"] })).status).to.equal(200);
        const res = await add("seller2", M.seller2, { address: account(S.collector1).address, name: "Moved", deskRoles: ["collector"] });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        const me = (await signIn(url(), S.collector1)).body;
        expect(me.member).to.equal(addressOf(M.seller2));
      });
    });
  });
}

describe("the demo consortium's staff (scripts/demo.ts)", function () {
  let env: TestEnv;
  before(async function () {
    env = await startEnv();
    await linkDemoStaff(env.server.url, env.provider);
  });
  after(async () => await env?.stop());

  it("gives the companies named staff with distinct desk roles on the spare development accounts, each signing in for its company", async () => {
    expect(new Set(DEMO_STAFF.map((p) => p.index)).size).to.equal(DEMO_STAFF.length);
    expect(DEMO_STAFF.every((p) => p.index > 8 && p.index < 20)).to.equal(true);
    for (const member of new Set(DEMO_STAFF.map((p) => p.member))) {
      const token = await login(env.server.url, member);
      const items = (await api(env.server.url, `/api/members/${addressOf(member)}/staff`, { token })).body.items as any[];
      const expected = DEMO_STAFF.filter((p) => p.member === member);
      expect(items.map((s) => [s.address, s.name, s.deskRoles])).to.deep.equal(expected.map((p) => [addressOf(p.index), p.name, p.deskRoles]));
      // Two people of one company never hold the same set of desk roles.
      expect(new Set(expected.map((p) => p.deskRoles.join())).size).to.equal(expected.length);
    }
    const kai = (await signIn(env.server.url, 19)).body; // the operator's credit approver
    expect(kai).to.include({ member: addressOf(0) });
    expect(kai.person).to.deep.include({ name: "Kai Lindqvist", deskRoles: ["creditApprover"], authority: (2_000_000n * 1_000_000n).toString() });
  });
});
