// Access defects of issue 9: sign-in bound to the server's configured origins (not the Host header), rate
// limits answered 429 with Retry-After, the /rpc proxy limited to what a browser needs to sign and send,
// documents served as downloads under a restrictive CSP, security headers on the whole app, and admission
// expiry judged by the chain's time. One chain and one server for the file (SQLite: nothing here depends on
// the database); rate-limited requests come from their own loopback source address so tests stay independent.
import { request } from "node:http";
import { expect } from "chai";
import { Contract } from "ethers";
import { SiweMessage } from "siwe";
import { toHex } from "viem";
import { memberRegistryAbi } from "../../deployments/contracts.ts";
import { Role } from "../../common/roles.ts";
import { DEMO_INVOICES, DEMO_ACCOUNTS } from "../../scripts/demo.ts";
import { startEnv, api, login, account, addressOf, headNumber, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const SIGN_IN_LIMIT = 10;
const WRITE_LIMIT = 6;

/** One HTTP request through node:http, which (unlike fetch) may set Host and pick the source address. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? "GET",
        headers: opts.headers ?? {},
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode!, headers: res.headers, body });
        });
      },
    );
    req.on("error", reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

async function siwe(baseUrl: string, index: number, domain: string, uri: string, localAddress?: string) {
  const n = await raw(`${baseUrl}/api/auth/nonce`, localAddress ? { localAddress } : {});
  const message = new SiweMessage({
    domain,
    address: account(index).address,
    uri,
    version: "1",
    chainId: 31337,
    nonce: n.body.nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  const signature = await account(index).signMessage({ message });
  return { message, signature };
}

describe("access", function () {
  let env: TestEnv;
  let seller: string;
  let auditor: string;

  before(async function () {
    env = await startEnv({ server: { rpcProxy: true, rateLimits: { signIn: SIGN_IN_LIMIT, writes: WRITE_LIMIT, windowMs: 60_000 } } });
    seller = await login(env.server.url, 1);
    auditor = await login(env.server.url, DEMO_ACCOUNTS.auditor);
  });
  after(async () => env?.stop());

  describe("sign-in (SIWE)", () => {
    it("refuses a message signed for another site even when the request carries that site's Host", async () => {
      const from = "127.0.0.20";
      const { message, signature } = await siwe(env.server.url, 2, "phish.example", "https://phish.example/login", from);
      const res = await raw(`${env.server.url}/api/auth/login`, {
        method: "POST",
        headers: { host: "phish.example", "content-type": "application/json" },
        body: JSON.stringify({ message, signature }),
        localAddress: from,
      });
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal("siwe_domain");
    });
    it("refuses a message for this domain whose URI is another origin", async () => {
      const from = "127.0.0.21";
      const host = new URL(env.server.url).host;
      const { message, signature } = await siwe(env.server.url, 2, host, "https://phish.example/", from);
      const res = await raw(`${env.server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature }),
        localAddress: from,
      });
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal("siwe_uri");
    });
    it("accepts the server's own origin and its localhost alias", async () => {
      const from = "127.0.0.22";
      const port = new URL(env.server.url).port;
      for (const origin of [env.server.url, `http://localhost:${port}`]) {
        const { message, signature } = await siwe(env.server.url, 2, new URL(origin).host, origin + "/", from);
        const res = await raw(`${env.server.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message, signature }),
          localAddress: from,
        });
        expect(res.status, origin).to.equal(200);
        expect(res.body.address).to.equal(addressOf(2));
      }
    });
  });

  describe("rate limits", () => {
    it("answers sign-in requests over the limit with 429, Retry-After and a coded error", async () => {
      const from = "127.0.0.30";
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof raw>> | undefined;
      for (let i = 0; i < SIGN_IN_LIMIT + 2; i++) {
        last = await raw(`${env.server.url}/api/auth/nonce`, { localAddress: from });
        statuses.push(last.status);
      }
      expect(statuses).to.deep.equal([...Array(SIGN_IN_LIMIT).fill(200), 429, 429]);
      expect(Number(last!.headers["retry-after"])).to.be.within(1, 60);
      expect(last!.body.error.code).to.equal("rate_limited");
      // Another address is not affected.
      expect((await raw(`${env.server.url}/api/auth/nonce`, { localAddress: "127.0.0.31" })).status).to.equal(200);
    });
    it("limits writes per address, and a refused write changes nothing", async () => {
      const from = "127.0.0.32";
      const statuses: number[] = [];
      for (let i = 0; i < WRITE_LIMIT + 1; i++) {
        const res = await raw(`${env.server.url}/api/companies/${addressOf(1)}`, {
          method: "PUT",
          localAddress: from,
          headers: { authorization: `Bearer ${seller}`, "content-type": "application/json" },
          body: JSON.stringify({ legalName: `Acme ${i}`, taxId: "DE-811" }),
        });
        statuses.push(res.status);
      }
      expect(statuses).to.deep.equal([...Array(WRITE_LIMIT).fill(200), 429]);
      const company = await api(env.server.url, `/api/companies/${addressOf(1)}`, { token: seller });
      expect(company.body.legalName).to.equal(`Acme ${WRITE_LIMIT - 1}`);
      // Reads are not writes.
      expect((await raw(`${env.server.url}/api/receivables`, { localAddress: from, headers: { authorization: `Bearer ${seller}` } })).status).to.equal(200);
    });
  });

  describe("the /rpc proxy", () => {
    const rpc = (body: unknown, token?: string) => api(env.server.url, "/rpc", { method: "POST", token, body });
    const logsCall = (id: number) => ({
      jsonrpc: "2.0",
      id,
      method: "eth_getLogs",
      params: [{ address: env.deployment.contracts.ReceivableLedger, fromBlock: "0x0" }],
    });

    it("serves no ledger events without a session, and does not ask the node", async () => {
      const r = await rpc(logsCall(1));
      expect(r.status).to.equal(200);
      expect(r.body.error.code).to.equal(-32001);
      expect(r.body.error.message).to.match(/eth_getLogs needs a session/);
      expect(r.body).to.not.have.property("result");
    });
    it("serves ledger events to auditors only", async () => {
      const s = await rpc(logsCall(2), seller);
      expect(s.body.error.code).to.equal(-32003);
      const a = await rpc(logsCall(3), auditor);
      expect(a.body.result).to.be.an("array").that.is.not.empty;
    });
    it("lets a session sign and send only as its own address", async () => {
      const tx = { from: addressOf(2), to: addressOf(1), value: "0x1" };
      const other = await rpc({ jsonrpc: "2.0", id: 4, method: "eth_sendTransaction", params: [tx] }, seller);
      expect(other.body.error.message).to.match(/only for the signed-in address/);
      const sign = await rpc({ jsonrpc: "2.0", id: 5, method: "personal_sign", params: [toHex("hello"), addressOf(2)] }, seller);
      expect(sign.body.error.code).to.equal(-32003);
      const own = await rpc({ jsonrpc: "2.0", id: 6, method: "personal_sign", params: [toHex("hello"), addressOf(1)] }, seller);
      expect(own.body.result).to.match(/^0x[0-9a-f]{130}$/);
    });
    it("without a session signs only a sign-in message for this server", async () => {
      const host = new URL(env.server.url).host;
      const foreign = new SiweMessage({
        domain: "phish.example",
        address: account(2).address,
        uri: "https://phish.example/",
        version: "1",
        chainId: 31337,
        nonce: "abcdefgh12345678",
      }).prepareMessage();
      const mine = new SiweMessage({
        domain: host,
        address: account(2).address,
        uri: env.server.url,
        version: "1",
        chainId: 31337,
        nonce: "abcdefgh12345678",
      }).prepareMessage();
      const refused = await rpc({ jsonrpc: "2.0", id: 7, method: "personal_sign", params: [toHex(foreign), addressOf(2)] });
      expect(refused.body.error.code).to.equal(-32001);
      const signed = await rpc({ jsonrpc: "2.0", id: 8, method: "personal_sign", params: [toHex(mine), addressOf(2)] });
      expect(signed.body.result).to.match(/^0x[0-9a-f]{130}$/);
    });
    it("checks a batch call by call and refuses unknown methods by name", async () => {
      const r = await rpc(
        [
          { jsonrpc: "2.0", id: 10, method: "eth_chainId", params: [] },
          logsCall(11),
          { jsonrpc: "2.0", id: 12, method: "hardhat_setBalance", params: [addressOf(9), "0x1"] },
        ],
        seller,
      );
      expect(r.body).to.have.length(3);
      expect(r.body[0]).to.include({ id: 10, result: "0x7a69" });
      expect(r.body[1].error.code).to.equal(-32003);
      expect(r.body[2].error.message).to.match(/method hardhat_setBalance is not available/);
    });
  });

  describe("documents and headers", () => {
    it("serves an uploaded text/html document as a sandboxed, unsniffed download", async () => {
      const i = DEMO_INVOICES.findIndex((x) => x.seller === 1);
      const inv = DEMO_INVOICES[i]!;
      const bytes = new TextEncoder().encode(JSON.stringify({ invoiceNumber: inv.invoiceNumber, amount: inv.amount.toString() }));
      const id = idHex(env.ids[i]!);
      const up = await api(env.server.url, `/api/receivables/${id}/document`, {
        method: "POST",
        token: seller,
        rawBody: bytes,
        headers: { "content-type": "text/html" },
      });
      expect(up.status).to.equal(200);
      const res = await fetch(`${env.server.url}/api/receivables/${id}/document`, { headers: { authorization: `Bearer ${seller}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-disposition")).to.match(/^attachment/);
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(res.headers.get("content-security-policy"))
        .to.match(/default-src 'none'/)
        .and.match(/sandbox/);
    });
    it("refuses a Content-Type that is not a media type, and keeps the document", async () => {
      const i = DEMO_INVOICES.findIndex((x) => x.seller === 1);
      const id = idHex(env.ids[i]!);
      const up = await api(env.server.url, `/api/receivables/${id}/document`, {
        method: "POST",
        token: seller,
        rawBody: new Uint8Array([1]),
        headers: { "content-type": "text/html, <script>" },
      });
      expect(up.status).to.equal(400);
      expect(up.body.error.message).to.match(/Content-Type/);
    });
    it("sets security headers on every response", async () => {
      for (const p of ["/api/config", "/health", "/api/docs"]) {
        const res = await fetch(env.server.url + p);
        expect(res.headers.get("x-content-type-options"), p).to.equal("nosniff");
        expect(res.headers.get("content-security-policy"), p)
          .to.match(/frame-ancestors 'none'/)
          .and.match(/object-src 'none'/);
        expect(res.headers.get("x-frame-options"), p).to.equal("SAMEORIGIN");
        expect(res.headers.get("referrer-policy"), p).to.equal("no-referrer");
      }
    });
  });

  describe("admission expiry by chain time", () => {
    it("treats a member as expired once the chain's time passes its expiry, whatever the wall clock says", async () => {
      const newcomer = 12;
      const registry = new Contract(env.deployment.contracts.MemberRegistry, memberRegistryAbi as any, await env.provider.getSigner(DEMO_ACCOUNTS.operator));
      const wallNow = Math.floor(Date.now() / 1000);
      const chainNow = Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
      const expiresAt = Math.max(wallNow, chainNow) + 86_400; // one day from now by either clock
      await (await registry.getFunction("admit")(addressOf(newcomer), Role.Seller, expiresAt)).wait();
      await env.server.waitForBlock(await headNumber(env.provider));
      const before = await api(env.server.url, "/api/auth/me", { token: await login(env.server.url, newcomer) });
      expect(before.body.active).to.equal(true);
      // The chain moves two days on; the wall clock does not.
      await env.provider.send("evm_increaseTime", [2 * 86_400]);
      await env.provider.send("evm_mine", []);
      await env.server.waitForBlock(await headNumber(env.provider));
      expect(Date.now() / 1000).to.be.below(expiresAt);
      const after = await api(env.server.url, "/api/auth/me", { token: await login(env.server.url, newcomer) });
      expect(after.body.active).to.equal(false);
      const members = await api(env.server.url, "/api/members", { token: auditor });
      const row = members.body.items.find((m: any) => m.address === addressOf(newcomer));
      expect(row.active, JSON.stringify(row)).to.equal(false);
    });
  });
});
