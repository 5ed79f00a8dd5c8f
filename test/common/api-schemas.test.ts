// The API's response schemas in common/api/ are the types the client infers, so they must describe what the
// server really sends: real answers of a real server (demo consortium on a local chain, real database) parse
// against them, and a wrong answer does not.
import { expect } from "chai";
import { z } from "zod";
import { Contract } from "ethers";
import { factoringMarketAbi } from "../../deployments/contracts.ts";
import { UNIT } from "../../common/money.ts";
import { DAY_S } from "../../common/units.ts";
import { startEnv, api, login, addressOf, DATABASES, type TestEnv } from "../server/helpers.ts";
import { BlockStamp } from "../../common/api/json.ts";
import { ReceivableDetailResponse, ReceivableListResponse } from "../../common/api/receivables.ts";
import { CompanyJson, LoginResponse, MemberListResponse, SessionJson } from "../../common/api/members.ts";
import { FinancierPortfolioResponse, MarketplaceResponse } from "../../common/api/financing.ts";
import { CreditProfileJson } from "../../common/api/credit.ts";

/** Parses `body` with `schema`, failing with zod's account of every mismatch. */
function conforms(schema: z.ZodType, body: unknown, what: string) {
  const r = schema.safeParse(body);
  expect(r.success, `${what}: ${r.success ? "" : z.prettifyError(r.error)}`).to.equal(true);
}

for (const database of DATABASES) {
  describe(`API response schemas in common/api (${database})`, function () {
    this.timeout(300_000);
    let env: TestEnv;
    let auditor: string, operator: string, financier: string;
    before(async () => {
      env = await startEnv({ database });
      [auditor, operator, financier] = [await login(env.server.url, 7), await login(env.server.url, 0), await login(env.server.url, 5)];
    });
    after(async () => env?.stop());

    it("describe the receivables list and a receivable's page", async () => {
      const list = await api(env.server.url, "/api/receivables?limit=50", { token: auditor });
      expect(list.status).to.equal(200);
      expect(list.body.items.length).to.equal(env.ids.length);
      conforms(ReceivableListResponse, list.body, "GET /api/receivables");
      for (const item of list.body.items) {
        const detail = await api(env.server.url, `/api/receivables/${item.id}`, { token: auditor });
        conforms(ReceivableDetailResponse, detail.body, `GET /api/receivables/${item.id}`);
      }
    });

    it("describe members, company profiles and the session", async () => {
      conforms(MemberListResponse, (await api(env.server.url, "/api/members", { token: operator })).body, "GET /api/members");
      const put = await api(env.server.url, `/api/companies/${addressOf(1)}`, {
        method: "PUT",
        token: operator,
        body: { legalName: "Acme Components Ltd", taxId: "DE-811-000-001" },
      });
      expect(put.status).to.equal(200);
      conforms(CompanyJson, put.body, "PUT /api/companies/:address");
      conforms(CompanyJson, (await api(env.server.url, `/api/companies/${addressOf(1)}`, { token: auditor })).body, "GET /api/companies/:address");
      conforms(SessionJson, (await api(env.server.url, "/api/auth/me", { token: auditor })).body, "GET /api/auth/me");
    });

    it("describe the marketplace, a financier's portfolio and credit profiles", async () => {
      // A listing, so that the marketplace has an item to describe: the seller lists its first (confirmed) demo invoice.
      const market = new Contract(env.deployment.contracts.FactoringMarket, factoringMarketAbi as any, await env.provider.getSigner(1));
      const now = (await env.provider.getBlock("latest"))!.timestamp;
      const receipt = await (await market.getFunction("list")(env.ids[0]!, 1_000n * UNIT, now + 7 * DAY_S, false, 0)).wait();
      await env.server.waitForBlock(receipt!.blockNumber);
      const marketplace = await api(env.server.url, "/api/financing/marketplace", { token: financier });
      expect(marketplace.body.items.length).to.equal(1);
      conforms(MarketplaceResponse.extend({ block: BlockStamp }), marketplace.body, "GET /api/financing/marketplace");
      conforms(
        FinancierPortfolioResponse,
        (await api(env.server.url, "/api/financing/portfolio/financier", { token: financier })).body,
        "GET /api/financing/portfolio/financier",
      );
      const profiles = await api(env.server.url, "/api/credit/profiles", { token: auditor });
      expect(profiles.body.items.length).to.be.greaterThan(0);
      conforms(z.object({ items: z.array(CreditProfileJson), block: BlockStamp }), profiles.body, "GET /api/credit/profiles");
    });

    it("refuse an answer that is not the documented shape", () => {
      expect(LoginResponse.safeParse({ address: "0xab", roles: [], active: true, suspended: false, expiresAt: null }).success, "no token").to.equal(false);
      expect(MemberListResponse.safeParse({ items: [{ address: "ab" }], block: { number: 1, hash: "0x", final: true } }).success, "bad member").to.equal(false);
    });
  });
}
