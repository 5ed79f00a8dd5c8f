// Bad input: a generated set of malformed requests against every endpoint (malformed JSON, wrong types,
// out-of-range numbers, unknown fields, oversized bodies, forged/expired/replayed SIWE messages). Every answer is a
// 4xx naming the problem; none is a 5xx; and the database is unchanged afterwards.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { SiweMessage } from "siwe";
import { openDatabase } from "../../server/database/client.ts";
import { startEnv, api, login, account, addressOf, DATABASES, type TestEnv } from "./helpers.ts";

interface Probe {
  method: string;
  path: string;
  body?: string | Uint8Array | undefined;
  contentType?: string | undefined;
  token?: boolean;
}

const BAD_VALUES = ["", "abc", "-1", "1.5", "0x", "0xZZ", "99999999999999999999999999999999999999999999", "null", "[]", "%00", "x".repeat(5000), "1e9", " 1"];

/** Every table's rows, hashed, except nonces (handing out nonces is what GET /api/auth/nonce is for). */
async function databaseDigest(url: string): Promise<string> {
  const db = await openDatabase(url);
  try {
    const p = db.prisma;
    const parts = await Promise.all([
      p.ledgerEvent.findMany({ orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] }),
      p.receivable.findMany({ orderBy: { id: "asc" } }),
      p.receivableVersion.findMany({ orderBy: [{ id: "asc" }, { validFrom: "asc" }] }),
      p.member.findMany({ orderBy: { address: "asc" } }),
      p.partyBalance.findMany({ orderBy: [{ address: "asc" }, { side: "asc" }] }),
      p.companyProfile.findMany({ orderBy: { address: "asc" } }),
      p.document.findMany({ orderBy: { receivableId: "asc" } }),
      p.session.findMany({ orderBy: { token: "asc" } }),
      p.indexerCheckpoint.findMany(),
    ]);
    return createHash("sha256")
      .update(JSON.stringify(parts, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))
      .digest("hex");
  } finally {
    await db.close();
  }
}

function generateProbes(openapi: any, someId: string): Probe[] {
  const probes: Probe[] = [];
  for (const [path, ops] of Object.entries<any>(openapi.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const concrete = path.replace("{id}", someId).replace("{address}", addressOf(1));
      const upper = method.toUpperCase();
      // Unknown query field on every endpoint.
      probes.push({ method: upper, path: `${concrete}?definitelyUnknown=1`, token: true });
      // Every query parameter with every bad value.
      for (const p of op.parameters.filter((x: any) => x.in === "query")) {
        for (const v of BAD_VALUES) probes.push({ method: upper, path: `${concrete}?${p.name}=${encodeURIComponent(v)}`, token: true });
        probes.push({ method: upper, path: `${concrete}?${p.name}=1&${p.name}=2`, token: true });
      }
      // Every path parameter malformed.
      for (const p of op.parameters.filter((x: any) => x.in === "path")) {
        for (const v of ["0x1234", "zz", "0x" + "g".repeat(64), "0x" + "1".repeat(65), "%ZZ"]) {
          probes.push({ method: upper, path: path.replace(`{${p.name}}`, v).replace("{id}", someId).replace("{address}", addressOf(1)), token: true });
        }
      }
      if (op.requestBody?.content?.["application/json"]) {
        const bodies = [
          "{",
          '{"a":',
          "not json",
          "[]",
          "null",
          "42",
          '"text"',
          "{}",
          JSON.stringify({ unknownField: 1 }),
          JSON.stringify({ legalName: 5, taxId: [], contacts: "x" }),
          JSON.stringify({ legalName: "", taxId: "" }),
          JSON.stringify({ legalName: "x".repeat(201), taxId: "T" }),
          JSON.stringify({ legalName: "A", taxId: "T", contacts: [{ name: "n", email: "not-an-email" }] }),
          JSON.stringify({ message: 1, signature: true }),
          JSON.stringify({ message: "hello", signature: "0x1234" }),
          JSON.stringify({ message: "x", signature: "0x" + "ab".repeat(65), extra: 1 }),
          JSON.stringify({ padding: "x".repeat(70_000) }),
        ];
        for (const b of bodies) probes.push({ method: upper, path: concrete, body: b, contentType: "application/json", token: true });
      }
      if (op.requestBody?.content?.["application/octet-stream"]) {
        probes.push({ method: upper, path: concrete, body: new Uint8Array(0), contentType: "application/octet-stream", token: true });
        probes.push({ method: upper, path: concrete, body: new TextEncoder().encode("forged document"), contentType: "application/pdf", token: true });
        probes.push({ method: upper, path: concrete, body: new Uint8Array(11 * 1024 * 1024), contentType: "application/octet-stream", token: true });
      }
    }
  }
  probes.push({ method: "GET", path: "/api/no-such-endpoint", token: true });
  probes.push({ method: "DELETE", path: "/api/receivables", token: true });
  return probes;
}

for (const database of DATABASES) {
  describe(`malformed requests (${database})`, function () {
    this.timeout(300_000);
    let env: TestEnv;
    let token: string;
    before(async () => {
      env = await startEnv({ database });
      token = await login(env.server.url, 1);
    });
    after(async () => env?.stop());

    it("answers every generated malformed request with a 4xx that names the problem, and changes nothing", async () => {
      const openapi = (await api(env.server.url, "/api/openapi.json")).body;
      const someId = (await api(env.server.url, "/api/receivables?limit=1", { token })).body.items[0].id;
      const probes = generateProbes(openapi, someId);
      expect(probes.length).to.be.greaterThan(250);
      const before = await databaseDigest(env.db.url);
      const statuses = new Map<number, number>();
      for (const p of probes) {
        const headers: Record<string, string> = {};
        if (p.token) headers["authorization"] = `Bearer ${token}`;
        if (p.contentType) headers["content-type"] = p.contentType;
        const res = await fetch(env.server.url + p.path, { method: p.method, headers, body: (p.body ?? null) as any });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${p.method} ${p.path.slice(0, 120)} ${String(p.body ?? "").slice(0, 60)} → ${text.slice(0, 200)}`).to.be.below(500);
        // GET /api/openapi.json etc. ignore nothing: unknown query fields are refused everywhere.
        if (res.status >= 400) {
          const body = JSON.parse(text);
          expect(body.error.message, `${p.method} ${p.path.slice(0, 80)}`)
            .to.be.a("string")
            .and.not.equal("internal error");
        }
      }
      expect([...statuses.keys()].every((s) => s >= 400 || s === 200)).to.equal(true);
      expect(await databaseDigest(env.db.url)).to.equal(before);
    });

    describe("SIWE", () => {
      const host = () => new URL(env.server.url).host;
      async function signed(index: number, fields: Partial<ConstructorParameters<typeof SiweMessage>[0] & object>, signer = index) {
        const { body } = await api(env.server.url, "/api/auth/nonce");
        const message = new SiweMessage({
          domain: host(),
          address: account(index).address,
          uri: env.server.url,
          version: "1",
          chainId: 31337,
          nonce: body.nonce,
          ...fields,
        }).prepareMessage();
        return { message, signature: await account(signer).signMessage({ message }) };
      }
      const cases: [string, () => Promise<{ message: string; signature: string }>, RegExp][] = [
        ["a signature by another key (forged)", () => signed(1, {}, 2), /SIWE verification failed/],
        ["an expired message", () => signed(1, { expirationTime: new Date(Date.now() - 60_000).toISOString() }), /SIWE verification failed/],
        ["a message not valid yet", () => signed(1, { notBefore: new Date(Date.now() + 3_600_000).toISOString() }), /SIWE verification failed/],
        ["a message for another domain", () => signed(1, { domain: "evil.example" }), /for domain "evil.example"/],
        ["a message for another chain", () => signed(1, { chainId: 1 }), /chain 1/],
        [
          "an unknown nonce",
          async () => {
            const message = new SiweMessage({
              domain: host(),
              address: account(1).address,
              uri: env.server.url,
              version: "1",
              chainId: 31337,
              nonce: "abcdefgh12345678",
            }).prepareMessage();
            return { message, signature: await account(1).signMessage({ message }) };
          },
          /nonce is unknown/,
        ],
        ["garbage instead of a SIWE message", async () => ({ message: "hello world", signature: "0x" + "11".repeat(65) }), /not an EIP-4361/],
      ];
      for (const [what, make, pattern] of cases) {
        it(`refuses ${what}`, async () => {
          const before = await databaseDigest(env.db.url);
          const r = await api(env.server.url, "/api/auth/login", { method: "POST", body: await make() });
          expect(r.status).to.be.oneOf([400, 401]);
          expect(r.body.error.message).to.match(pattern);
          expect(await databaseDigest(env.db.url)).to.equal(before);
        });
      }
      it("refuses a replayed message (each nonce signs in once)", async () => {
        const s = await signed(1, {});
        expect((await api(env.server.url, "/api/auth/login", { method: "POST", body: s })).status).to.equal(200);
        const again = await api(env.server.url, "/api/auth/login", { method: "POST", body: s });
        expect(again.status).to.equal(401);
        expect(again.body.error.message).to.match(/nonce/);
      });
      it("refuses a forged bearer token", async () => {
        const r = await api(env.server.url, "/api/receivables", { token: "ab".repeat(32) });
        expect(r.status).to.equal(401);
      });
    });
  });
}
