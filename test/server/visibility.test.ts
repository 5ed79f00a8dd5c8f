// Walks every endpoint with every role (and with no session) and asserts exactly what each may see and do.
import { createHash } from "node:crypto";
import { expect } from "chai";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { DEMO_CONSORTIUM_SALT } from "../../common/fingerprint.ts";
import { startEnv, api, login, addressOf, transferAs, confirmAs, headNumber, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const documentOf = (inv: (typeof DEMO_INVOICES)[number]) =>
  new TextEncoder().encode(JSON.stringify({ invoiceNumber: inv.invoiceNumber, amount: inv.amount.toString() }));

interface Actor {
  name: string;
  index: number | null; // null = no session
}

const ACTORS: Actor[] = [
  { name: "no session", index: null },
  { name: "operator", index: DEMO_ACCOUNTS.operator },
  { name: "seller 1", index: 1 },
  { name: "seller 2", index: 2 },
  { name: "buyer 3 (also seller)", index: 3 },
  { name: "buyer 4 (also seller)", index: 4 },
  { name: "financier 5", index: 5 },
  { name: "financier 6", index: 6 },
  { name: "auditor", index: DEMO_ACCOUNTS.auditor },
  { name: "insurer", index: DEMO_ACCOUNTS.insurer },
  { name: "non-member", index: 9 },
];

for (const database of DATABASES) {
  describe(`visibility by role (${database})`, function () {
    let env: TestEnv;
    const tokens = new Map<number, string>();
    let all: { id: string; seller: string; buyer: string; holder: string; status: string }[] = [];
    let _transferred: string;

    before(async function () {
      env = await startEnv({ database });
      // Financier 5 buys (holds) one confirmed receivable of seller 1.
      const confirmedOfSeller1 = DEMO_INVOICES.findIndex((i) => i.seller === 1 && i.then === "confirmed");
      _transferred = idHex(env.ids[confirmedOfSeller1]!);
      await transferAs(env.provider, env.deployment, 1, env.ids[confirmedOfSeller1]!, addressOf(5));
      await env.server.waitForBlock(await headNumber(env.provider));
      for (const a of ACTORS) if (a.index !== null) tokens.set(a.index, await login(env.server.url, a.index));
      all = (await api(env.server.url, "/api/receivables?limit=500", { token: tokens.get(DEMO_ACCOUNTS.auditor) })).body.items;
      // Every seller uploads its invoice documents.
      for (const [i, inv] of DEMO_INVOICES.entries()) {
        const up = await api(env.server.url, `/api/receivables/${idHex(env.ids[i]!)}/document`, {
          method: "POST",
          token: tokens.get(inv.seller),
          rawBody: documentOf(inv),
        });
        expect(up.status).to.equal(200);
      }
      expect(all).to.have.length(DEMO_INVOICES.length);
    });
    after(async () => env?.stop());

    /** What issues 4 and 9 say each actor may see (nothing here is listed, pledged, insured or attested yet). */
    function expectedVisible(a: Actor): string[] {
      if (a.index === null) return [];
      const me = addressOf(a.index);
      if (a.index === DEMO_ACCOUNTS.auditor) return all.map((r) => r.id).sort();
      return all
        .filter((r) => {
          const isSeller = [1, 2, 3, 4].includes(a.index!) && r.seller === me;
          const isBuyer = [3, 4].includes(a.index!) && r.buyer === me;
          // Issue 9 item 18: the operator sees what it can attest a bank payment on (Confirmed, Defaulted).
          const attestable = a.index === DEMO_ACCOUNTS.operator && ["Confirmed", "Defaulted"].includes(r.status);
          return isSeller || isBuyer || attestable || r.holder === me;
        })
        .map((r) => r.id)
        .sort();
    }

    for (const a of ACTORS) {
      describe(a.name, () => {
        const token = () => (a.index === null ? undefined : tokens.get(a.index));

        it("GET /health, /ready, /api/config, /api/openapi.json, /api/docs are public", async () => {
          for (const p of ["/health", "/ready", "/api/config", "/api/openapi.json", "/api/docs"]) {
            expect((await api(env.server.url, p, { token: token() })).status, p).to.equal(200);
          }
        });

        it("the consortium salt is for members only: not in /api/config, in /api/config/consortium for members", async () => {
          const config = await api(env.server.url, "/api/config", { token: token() });
          expect(config.body).to.not.have.property("consortiumSalt");
          expect(JSON.stringify(config.body)).to.not.include(DEMO_CONSORTIUM_SALT.slice(2));
          const r = await api(env.server.url, "/api/config/consortium", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          if (a.index === 9) {
            expect(r.status).to.equal(403);
            return expect(JSON.stringify(r.body)).to.not.include(DEMO_CONSORTIUM_SALT.slice(2));
          }
          expect(r.status).to.equal(200);
          expect(r.body.consortiumSalt).to.equal(DEMO_CONSORTIUM_SALT);
        });

        it("GET /api/auth/me", async () => {
          const r = await api(env.server.url, "/api/auth/me", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          expect(r.status).to.equal(200);
          expect(r.body.address).to.equal(addressOf(a.index));
          const expectedRoles: Record<number, string[]> = {
            0: ["Operator"],
            1: ["Seller"],
            2: ["Seller"],
            3: ["Seller", "Buyer"],
            4: ["Seller", "Buyer"],
            5: ["Financier"],
            6: ["Financier"],
            7: ["Auditor"],
            8: ["Insurer"],
            9: [],
          };
          expect(r.body.roles).to.deep.equal(expectedRoles[a.index]);
        });

        it("GET /api/receivables lists exactly what the role may see", async () => {
          const r = await api(env.server.url, "/api/receivables?limit=500", { token: token() });
          if (a.index === null) return expect(r.status).to.equal(401);
          expect(r.status).to.equal(200);
          expect(r.body.items.map((x: any) => x.id).sort()).to.deep.equal(expectedVisible(a));
          // Paging through the scoped list (one indexed query per visibility clause, merged) has no gaps or repeats.
          for (const sort of ["dueDate", "-faceAmount"]) {
            const full = (await api(env.server.url, `/api/receivables?sort=${sort}&limit=500`, { token: token() })).body.items.map((x: any) => x.id);
            const paged: string[] = [];
            let cursor: string | null = null;
            do {
              const page: any = await api(env.server.url, `/api/receivables?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: token() });
              paged.push(...page.body.items.map((x: any) => x.id));
              cursor = page.body.nextCursor;
            } while (cursor);
            expect(paged, sort).to.deep.equal(full);
          }
          // Filters cannot widen the scope.
          const other = await api(env.server.url, `/api/receivables?seller=${addressOf(2)}&limit=500`, { token: token() });
          expect(other.body.items.map((x: any) => x.id).sort()).to.deep.equal(
            expectedVisible(a).filter((id) => all.find((r) => r.id === id)!.seller === addressOf(2)),
          );
        });

        it("GET /api/receivables/:id answers 200 for visible ids and 404 for the rest", async () => {
          const visible = new Set(expectedVisible(a));
          for (const r of all) {
            const res = await api(env.server.url, `/api/receivables/${r.id}`, { token: token() });
            expect(res.status, r.id).to.equal(a.index === null ? 401 : visible.has(r.id) ? 200 : 404);
          }
        });

        it("GET /api/receivables/:id/document never leaks to those who may not see the receivable", async () => {
          const visible = new Set(expectedVisible(a));
          for (const r of all) {
            const res = await api(env.server.url, `/api/receivables/${r.id}/document`, { token: token() });
            // The operator sees a receivable to attest payments on it, not its invoice document.
            const expected = a.index === null ? 401 : !visible.has(r.id) ? 404 : a.index === DEMO_ACCOUNTS.operator ? 403 : 200;
            expect(res.status, r.id).to.equal(expected);
          }
        });

        it("POST /api/receivables/:id/document is for the seller only", async () => {
          for (const [i, inv] of DEMO_INVOICES.entries()) {
            const id = idHex(env.ids[i]!);
            const bytes = documentOf(inv);
            const res = await api(env.server.url, `/api/receivables/${id}/document`, { method: "POST", token: token(), rawBody: bytes });
            const visible = expectedVisible(a).includes(id);
            const expected = a.index === null ? 401 : !visible ? 404 : inv.seller === a.index ? 200 : 403;
            expect(res.status, `${inv.invoiceNumber}`).to.equal(expected);
          }
        });

        it("GET /api/members is for the operator and auditors", async () => {
          const r = await api(env.server.url, "/api/members", { token: token() });
          const allowed = a.index === DEMO_ACCOUNTS.operator || a.index === DEMO_ACCOUNTS.auditor;
          expect(r.status).to.equal(a.index === null ? 401 : allowed ? 200 : 403);
          if (allowed) expect(r.body.items.map((m: any) => m.address)).to.include.members([1, 2, 3, 4, 5, 6, 7, 8].map(addressOf));
        });

        it("GET /api/balances/:address: both sides for the party itself and auditors; the buyer side only for financiers, insurers and the operator", async () => {
          for (const target of [1, 3]) {
            const r = await api(env.server.url, `/api/balances/${addressOf(target)}`, { token: token() });
            if (a.index === null) {
              expect(r.status).to.equal(401);
              continue;
            }
            const both = a.index === target || a.index === DEMO_ACCOUNTS.auditor;
            const buyerOnly = !both && [DEMO_ACCOUNTS.operator, 5, 6, DEMO_ACCOUNTS.insurer].includes(a.index);
            expect(r.status, `balance of ${target}`).to.equal(both || buyerOnly ? 200 : 403);
            if (r.status !== 200) {
              expect(r.body).to.not.have.property("seller");
              continue;
            }
            // The party's own view is the reference for each side.
            const own = (await api(env.server.url, `/api/balances/${addressOf(target)}`, { token: tokens.get(target) })).body;
            expect(r.body.buyer, `buyer side of ${target}`).to.deep.equal(own.buyer);
            if (both) expect(r.body.seller, `seller side of ${target}`).to.deep.equal(own.seller);
            else expect(r.body.seller, `seller side of ${target}`).to.equal(null);
          }
          // Seller 1 has open receivables as a seller: the reference view is not trivially empty.
          const ref = (await api(env.server.url, `/api/balances/${addressOf(1)}`, { token: tokens.get(1) })).body;
          expect(ref.seller.openCount).to.be.greaterThan(0);
        });

        it("company profiles: members read (not any signed-in key); only the member itself or the operator writes", async () => {
          const target = addressOf(2);
          const put = await api(env.server.url, `/api/companies/${target}`, {
            method: "PUT",
            token: token(),
            body: { legalName: `written by ${a.name}`, taxId: "X-1", contacts: [{ name: "AR desk", email: "contact@seller2.example" }] },
          });
          const mayWrite = a.index === 2 || a.index === DEMO_ACCOUNTS.operator;
          expect(put.status).to.equal(a.index === null ? 401 : mayWrite ? 200 : 403);
          if (a.index === null) return;
          const self = addressOf(a.index);
          const own = await api(env.server.url, `/api/companies/${self}`, {
            method: "PUT",
            token: token(),
            body: { legalName: `${a.name} Ltd`, taxId: `T-${a.index}` },
          });
          // Non-members have no company; everyone else (the operator too) edits its own.
          expect(own.status).to.equal(a.index === 9 ? 403 : 200);
          // The operator wrote seller 2's profile (with a contact) first: members read it, a fresh key does not.
          const get = await api(env.server.url, `/api/companies/${target}`, { token: token() });
          if (a.index === 9) {
            expect(get.status).to.equal(403);
            expect(JSON.stringify(get.body)).to.not.include("contact@");
          } else {
            expect(get.status).to.equal(200);
            expect(get.body.address).to.equal(target);
          }
        });

        it("GET /api/stream needs a session", async () => {
          const ctrl = new AbortController();
          const headers: Record<string, string> = {};
          if (token()) headers["authorization"] = `Bearer ${token()}`;
          const res = await fetch(`${env.server.url}/api/stream`, { headers, signal: ctrl.signal });
          expect(res.status).to.equal(a.index === null ? 401 : 200);
          ctrl.abort();
        });
      });
    }

    describe("sessions", () => {
      it("logout ends the session", async () => {
        const token = await login(env.server.url, 1);
        expect((await api(env.server.url, "/api/auth/me", { token })).status).to.equal(200);
        expect((await api(env.server.url, "/api/auth/logout", { method: "POST", token })).status).to.equal(200);
        expect((await api(env.server.url, "/api/auth/me", { token })).status).to.equal(401);
      });
      it("an expired session is refused at once, even right after a request cached it", async () => {
        const token = await login(env.server.url, 2);
        const { openDatabase } = await import("../../server/database/client.ts");
        const db = await openDatabase(env.db.url);
        try {
          // Only this test's own session: the other tests keep using seller 2's shared session.
          const stored = createHash("sha256").update(token).digest("hex"); // the store keeps the token's hash
          await db.prisma.session.update({ where: { token: stored }, data: { expiresAt: new Date(Date.now() + 1_000) } });
        } finally {
          await db.close();
        }
        expect((await api(env.server.url, "/api/auth/me", { token })).status).to.equal(200); // resolved and cached
        await new Promise((r) => setTimeout(r, 1_300));
        expect((await api(env.server.url, "/api/auth/me", { token })).status).to.equal(401);
      });
      it("the login sets an HttpOnly session cookie that works like the token", async () => {
        const { body: n } = await api(env.server.url, "/api/auth/nonce");
        const { SiweMessage } = await import("siwe");
        const { account } = await import("./helpers.ts");
        const message = new SiweMessage({
          domain: new URL(env.server.url).host,
          address: account(4).address,
          uri: env.server.url,
          version: "1",
          chainId: 31337,
          nonce: n.nonce,
        }).prepareMessage();
        const signature = await account(4).signMessage({ message });
        const res = await fetch(`${env.server.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message, signature }),
        });
        const cookie = res.headers.get("set-cookie")!;
        expect(cookie)
          .to.match(/session=[0-9a-f]{64}/)
          .and.match(/HttpOnly/i)
          .and.match(/SameSite=Strict/i);
        const me = await fetch(`${env.server.url}/api/auth/me`, { headers: { cookie: cookie.split(";")[0]! } });
        expect((await me.json()).address).to.equal(addressOf(4));
      });
      it("a buyer confirming changes what a seller sees live (roles and scopes come from the chain)", async () => {
        const registeredOfSeller2 = DEMO_INVOICES.findIndex((i) => i.seller === 2 && i.then === "registered");
        const id = env.ids[registeredOfSeller2]!;
        await confirmAs(env.provider, env.deployment, DEMO_INVOICES[registeredOfSeller2]!.buyer, id);
        await env.server.waitForBlock(await headNumber(env.provider));
        const r = await api(env.server.url, `/api/receivables/${idHex(id)}`, { token: tokens.get(2) });
        expect(r.body.status).to.equal("Confirmed");
      });
    });
  });
}
