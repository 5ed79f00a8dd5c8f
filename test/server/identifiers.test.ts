// Company profile identifiers and names (issue 9, item 14): refused with a 400 that names the field; nothing stored.
import { expect } from "chai";
import { startEnv, api, login, addressOf, DATABASES, type TestEnv } from "./helpers.ts";

for (const database of DATABASES) {
  describe(`company profile validation (${database})`, function () {
    let env: TestEnv;
    let seller: string;
    const path = () => `/api/companies/${addressOf(1)}`;
    const put = (body: unknown) => api(env.server.url, path(), { method: "PUT", token: seller, body });

    before(async function () {
      env = await startEnv({ database });
      seller = await login(env.server.url, 1);
    });
    after(async () => await env?.stop());

    const BAD_TAX_IDS: [string, string][] = [
      ["a NUL", "DE\u0000811"],
      ["a control character", "DE\u0007811"],
      ["an ANSI escape", "DE\u001b[31m811"],
      ["a bidi override", "DE\u202E811"],
      ["a zero-width joiner next to an emoji", "DE811\u200D😀"],
      ["an emoji", "DE811😀"],
      ["Arabic-Indic digits", "DE\u0661\u0662\u0663"],
      ["Devanagari digits", "DE\u0967\u0968"],
      ["one character only", "D"],
      ["a leading hyphen", "-DE811"],
    ];
    for (const [what, taxId] of BAD_TAX_IDS) {
      it(`refuses a tax id with ${what} (400 naming taxId) and stores nothing`, async () => {
        const res = await put({ legalName: "Acme Components Ltd", taxId });
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal("bad_request");
        expect(res.body.error.message).to.include("taxId");
        const get = await api(env.server.url, path(), { token: seller });
        expect(get.status).to.equal(404);
      });
    }

    for (const [what, legalName] of [
      ["a NUL", "Acme\u0000Ltd"],
      ["an ANSI escape", "Acme \u001b[2J Ltd"],
      ["a bidi override", "Acme \u202Edtl"],
      ["a bidi isolate", "Acme \u2066Ltd"],
    ] as const) {
      it(`refuses a legal name with ${what}`, async () => {
        const res = await put({ legalName, taxId: "DE-811-000-001" });
        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.include("legalName");
      });
    }

    it("refuses a contact name with a control character, naming the contact field", async () => {
      const res = await put({ legalName: "Acme", taxId: "DE-811-000-001", contacts: [{ name: "Ada\u0008" }] });
      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.include("contacts.0.name");
    });

    it("accepts an 18-character Chinese unified social credit code, a Chinese name and stores the canonical tax id", async () => {
      const ok = await put({ legalName: "上海宏达电子有限公司", taxId: "91310000MA1FL4XQ3C" });
      expect(ok.status).to.equal(200);
      expect(ok.body.taxId).to.equal("91310000MA1FL4XQ3C");
      const dashed = await put({ legalName: "Acme Components Ltd", taxId: "de\u2010811\u2010000\u2010001" });
      expect(dashed.status).to.equal(200);
      expect(dashed.body.taxId).to.equal("DE-811-000-001");
    });
  });
}
