// The outbox's channels as the running server delivers them (issue 12, Collections item 3): the server started
// by startServer, on a real chain and database (each provider), runs the dispatcher in its writer process and the
// embedded SMTP receiver; messages are enqueued through its outbox as the collections engine does. E-mail caught
// once and shown by /api/mailbox to whom it concerns; in-app notifications delivered and read; signed webhooks to a
// real local HTTP server (signature checked here with node:crypto), retried on 500 with the same delivery id, dead
// after the attempt limit, re-queued; private targets refused; letters and call tasks; bad input 400.
import { expect } from "chai";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { startServer, type RunningServer } from "../../server/main.ts";
import type { OutboxInput } from "../../server/notifications/store.ts";
import { createChannelDeliverers } from "../../server/notifications/channels.ts";
import { startEnv, api, login, addressOf, DATABASES, type TestEnv } from "./helpers.ts";

/** Polls `check` until it returns a value (not undefined/false), failing after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface HookRequest {
  headers: IncomingHttpHeaders;
  raw: string;
  key: string;
}

/** A real webhook receiver: records every request; answers each message key with the statuses scripted for it (then 200). */
async function startHookServer() {
  const requests: HookRequest[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let key = "";
      try {
        key = String(JSON.parse(raw).key);
      } catch {}
      requests.push({ headers: req.headers, raw, key });
      const status = script.get(key)?.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "boom");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/ledger`,
    port,
    requests,
    script,
    of: (key: string) => requests.filter((r) => r.key === key),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SELLER = addressOf(1); // Acme, the creditor that sends
const SELLER2 = addressOf(2);
const BUYER = addressOf(3); // Colossus, the addressee
const STAFF = addressOf(9); // Anna Schmidt, staff of Acme

for (const database of DATABASES) {
  describe(`channels: the server delivers the outbox (${database})`, function () {
    let env: TestEnv;
    let hooks: Awaited<ReturnType<typeof startHookServer>>;
    let operator: string, seller: string, seller2: string, buyer: string, auditor: string, staff: string;
    let seq = 0;
    const key = (what: string) => `test:${what}:${++seq}:${database}`;
    const enqueue = (input: Partial<OutboxInput> & Pick<OutboxInput, "channel" | "recipient">) =>
      env.server.notifications.outbox.enqueue({
        dedupeKey: key(input.channel),
        sender: SELLER,
        subject: "付款提醒 Payment reminder INV-7",
        text: "发票 INV-7 金额 1,200.00 USD 已逾期。",
        language: "zh-CN",
        ...input,
      });
    const status = async (k: string) => (await env.server.notifications.outbox.get(k))?.status;

    before(async function () {
      hooks = await startHookServer();
      env = await startEnv({
        database,
        server: {
          notifications: { pollIntervalMs: 20, retryBaseMs: 30, maxAttempts: 3, webhookTimeoutMs: 5_000, webhookTargets: { allowHosts: ["127.0.0.1"] } },
        },
      });
      [operator, seller, seller2, buyer, auditor] = (await Promise.all([0, 1, 2, 3, 7].map((i) => login(env.server.url, i)))) as [
        string,
        string,
        string,
        string,
        string,
      ];
      const linked = await api(env.server.url, `/api/members/${SELLER}/staff`, {
        method: "POST",
        token: seller,
        body: { address: STAFF, name: "Anna Schmidt", deskRoles: ["collector"] },
      });
      expect(linked.status, JSON.stringify(linked.body)).to.equal(201);
      staff = await login(env.server.url, 9);
    });
    after(async function () {
      await env?.stop();
      await hooks?.stop();
    });

    describe("e-mail and the mailbox", () => {
      let mailId: number;
      let messageKey: string;

      it("delivers an enqueued e-mail exactly once to the embedded SMTP receiver (no mail server configured)", async () => {
        const first = await enqueue({ channel: "email", recipient: "ar@colossus.example", recipientMember: BUYER });
        messageKey = first.message.dedupeKey;
        const again = await env.server.notifications.outbox.enqueue({ ...first.message, subject: "decided twice" });
        expect([first.created, again.created]).to.deep.equal([true, false]);
        await until("the e-mail sent", async () => (await status(messageKey)) === "sent");
        expect(await env.server.notifications.runOnce(), "nothing left to send").to.equal(0);
        const box = env.server.notifications.mailbox!;
        const caught = box.messages("ar@colossus.example").filter((m) => m.messageId === first.message.messageId);
        expect(caught.map((m) => [m.subject, m.deliveries, m.language])).to.deep.equal([["付款提醒 Payment reminder INV-7", 1, "zh-CN"]]);
        mailId = caught[0]!.id;
      });

      it("GET /api/mailbox shows it, newest first, to the operator, its sender and its addressee, and to nobody else", async () => {
        // A later message to another member: newest first for the operator; invisible to Acme's addressee.
        const other = await enqueue({ channel: "email", sender: SELLER2, recipient: "ap@delta.example", recipientMember: addressOf(4) });
        await until("the second e-mail sent", async () => (await status(other.message.dedupeKey)) === "sent");
        const seen = async (token: string) => (await api(env.server.url, "/api/mailbox", { token })).body.items.map((m: any) => m.dedupeKey);
        const op = await seen(operator);
        expect(op.indexOf(other.message.dedupeKey)).to.be.lessThan(op.indexOf(messageKey)).and.to.be.at.least(0);
        expect(await seen(seller))
          .to.include(messageKey)
          .and.not.include(other.message.dedupeKey);
        expect(await seen(staff), "staff see what their member sees").to.include(messageKey);
        expect(await seen(buyer))
          .to.include(messageKey)
          .and.not.include(other.message.dedupeKey);
        expect(await seen(seller2))
          .to.include(other.message.dedupeKey)
          .and.not.include(messageKey);
        expect(await seen(auditor)).to.deep.equal([]);
        const mine = (await api(env.server.url, "/api/mailbox", { token: seller })).body.items.find((m: any) => m.dedupeKey === messageKey);
        expect(mine).to.include({ id: mailId, deliveries: 1, sender: SELLER, recipientMember: BUYER, subject: "付款提醒 Payment reminder INV-7" });
        expect(mine.to).to.deep.equal(["ar@colossus.example"]);
        expect(mine.preview).to.equal("发票 INV-7 金额 1,200.00 USD 已逾期。");
        expect((await api(env.server.url, "/api/mailbox")).status).to.equal(401);
      });

      it("GET /api/mailbox/:id gives the text to whom may see it, 404 to others, 400 for a bad id", async () => {
        const one = await api(env.server.url, `/api/mailbox/${mailId}`, { token: buyer });
        expect(one.status).to.equal(200);
        expect(one.body.text.trim()).to.equal("发票 INV-7 金额 1,200.00 USD 已逾期。");
        expect(one.body.from).to.equal("no-reply@ledger.localhost");
        expect((await api(env.server.url, `/api/mailbox/${mailId}`, { token: seller2 })).status).to.equal(404);
        expect((await api(env.server.url, `/api/mailbox/999999`, { token: operator })).status).to.equal(404);
        const bad = await api(env.server.url, `/api/mailbox/abc`, { token: operator });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.message).to.match(/id: must be a positive integer id/);
        const badLimit = await api(env.server.url, `/api/mailbox?limit=0`, { token: operator });
        expect([badLimit.status, badLimit.body.error.message]).to.satisfy(([s, m]: [number, string]) => s === 400 && /limit/.test(m));
      });

      it("an API-only process runs no receiver and no dispatcher: /api/mailbox is 404 there", async () => {
        let apiOnly: RunningServer | undefined;
        try {
          apiOnly = await startServer({
            databaseUrl: env.db.url,
            rpcUrl: env.chain.rpcUrl,
            deployment: env.deployment as any,
            role: "api",
            pollIntervalMs: 50,
            log: () => {},
          });
          const token = await login(apiOnly.url, 0);
          const r = await api(apiOnly.url, "/api/mailbox", { token });
          expect(r.status).to.equal(404);
          expect(r.body.error.message).to.match(/no embedded mailbox/);
          expect(apiOnly.notifications.mailbox).to.equal(null);
        } finally {
          await apiOnly?.close();
        }
      });
    });

    describe("in-app notifications", () => {
      let toMember: number, toPerson: number;

      it("delivers to the member (all its people) or to one staff person, once, unread first", async () => {
        const a = await enqueue({
          channel: "inapp",
          recipient: SELLER,
          subject: "Case INV-7 escalated",
          text: "Level 2 reached",
          language: "en",
          payload: { link: "#/receivables/0x01" },
        });
        const b = await enqueue({ channel: "inapp", recipient: STAFF, subject: "Call Colossus today", text: "Promise broken", language: "en" });
        const c = await enqueue({ channel: "inapp", recipient: SELLER2, subject: "Not for Acme", text: "…", language: "en" });
        for (const m of [a, b, c]) await until("in-app delivered", async () => (await status(m.message.dedupeKey)) === "sent");
        const admin = (await api(env.server.url, "/api/notifications", { token: seller })).body;
        expect(admin.unread).to.equal(1);
        expect(admin.items.map((n: any) => n.title)).to.deep.equal(["Case INV-7 escalated"]);
        expect(admin.items[0]).to.include({ member: SELLER, person: null, sender: SELLER, link: "#/receivables/0x01", readAt: null, body: "Level 2 reached" });
        const person = (await api(env.server.url, "/api/notifications", { token: staff })).body;
        expect(person.unread).to.equal(2);
        expect(person.items.map((n: any) => n.title)).to.deep.equal(["Call Colossus today", "Case INV-7 escalated"]);
        toMember = admin.items[0].id;
        toPerson = person.items[0].id;
        expect((await api(env.server.url, "/api/notifications", { token: seller2 })).body.items.map((n: any) => n.title)).to.deep.equal(["Not for Acme"]);
        // Delivering the same message again (a dispatcher that died before recording it) stores nothing twice.
        const deliverers = createChannelDeliverers({
          store: env.server.notifications.channels,
          memberOfStaff: async () => null,
          targets: { allowPrivate: false, allowHosts: [] },
          webhookTimeoutMs: 1_000,
          now: () => new Date(),
        });
        const stored = (await env.server.notifications.outbox.get(a.message.dedupeKey))!;
        expect(await deliverers.inapp(stored)).to.equal(stored.providerReply);
        expect((await api(env.server.url, "/api/notifications", { token: seller })).body.items).to.have.length(1);
      });

      it("POST /api/notifications/:id/read marks it read for the member; others get 404; bad ids 400", async () => {
        const r = await api(env.server.url, `/api/notifications/${toMember}/read`, { method: "POST", token: staff });
        expect(r.status).to.equal(200);
        expect(r.body.readBy).to.equal(STAFF);
        expect(r.body.readAt).to.be.a("string");
        const again = await api(env.server.url, `/api/notifications/${toMember}/read`, { method: "POST", token: seller });
        expect([again.body.readBy, again.body.readAt], "the first reader and time are kept").to.deep.equal([STAFF, r.body.readAt]);
        expect((await api(env.server.url, "/api/notifications", { token: seller })).body.unread).to.equal(0);
        const person = (await api(env.server.url, "/api/notifications", { token: staff })).body;
        expect([person.unread, person.items.map((n: any) => n.id)]).to.deep.equal([1, [toPerson, toMember]]);
        expect(
          (await api(env.server.url, `/api/notifications/${toPerson}/read`, { method: "POST", token: seller })).status,
          "a personal one is the person's",
        ).to.equal(404);
        expect((await api(env.server.url, `/api/notifications/${toMember}/read`, { method: "POST", token: seller2 })).status).to.equal(404);
        const bad = await api(env.server.url, `/api/notifications/x1/read`, { method: "POST", token: seller });
        expect([bad.status, /id:/.test(bad.body.error.message)]).to.deep.equal([400, true]);
      });
    });

    describe("signed webhooks", () => {
      let secret: string;
      let endpointId: number;

      it("registers an endpoint for the member's administrator and shows its secret once", async () => {
        const r = await api(env.server.url, "/api/webhooks/endpoints", { method: "POST", token: seller, body: { url: hooks.url, description: "ERP" } });
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        expect(r.body.secret).to.match(/^whsec_[0-9a-f]{64}$/);
        expect(r.body).to.include({ member: SELLER, url: hooks.url, active: true, createdBy: SELLER, description: "ERP" });
        secret = r.body.secret;
        endpointId = r.body.id;
        const list = (await api(env.server.url, "/api/webhooks/endpoints", { token: staff })).body.items;
        expect(list.map((e: any) => e.id)).to.deep.equal([endpointId]);
        expect(list[0]).to.not.have.property("secret");
        expect((await api(env.server.url, "/api/webhooks/endpoints", { token: seller2 })).body.items).to.deep.equal([]);
        const byStaff = await api(env.server.url, "/api/webhooks/endpoints", { method: "POST", token: staff, body: { url: hooks.url } });
        expect(byStaff.status).to.equal(403);
      });

      it("refuses private-network, non-http and malformed targets with 400 naming the problem, storing nothing", async () => {
        const refused = async (body: unknown, pattern: RegExp, code = "webhook_target_refused") => {
          const r = await api(env.server.url, "/api/webhooks/endpoints", { method: "POST", token: seller, body });
          expect(r.status, JSON.stringify(body)).to.equal(400);
          expect(r.body.error.code, JSON.stringify(body)).to.equal(code);
          expect(r.body.error.message, JSON.stringify(body)).to.match(pattern);
        };
        await refused({ url: "http://10.1.2.3/hook" }, /url: 10\.1\.2\.3 is a private-network address/);
        await refused({ url: "https://192.168.0.10/hook" }, /private-network/);
        await refused({ url: "http://[::1]:8080/hook" }, /private-network/);
        await refused({ url: "http://169.254.169.254/latest/meta-data" }, /private-network/);
        await refused({ url: `http://localhost:${hooks.port}/hooks` }, /localhost is a private-network address \(127\.0\.0\.1|::1\)/);
        await refused({ url: "ftp://hooks.example.com/x" }, /url: only http and https URLs are allowed, not ftp/);
        await refused({ url: "https://user:pw@hooks.example.com/x" }, /url: must not carry a user name or password/);
        await refused({ url: "not a url" }, /url: not a URL/);
        await refused({}, /body: url: /, "bad_request");
        await refused({ url: hooks.url, secret: "mine" }, /unknown field "secret"/, "bad_request");
        expect((await api(env.server.url, "/api/webhooks/endpoints", { token: seller })).body.items).to.have.length(1);
      });

      it("POSTs signed JSON, retries on 500 with the same delivery id, then succeeds", async () => {
        const k = key("webhook-retry");
        hooks.script.set(k, [500, 500]);
        await env.server.notifications.outbox.enqueue({
          dedupeKey: k,
          channel: "webhook",
          sender: SELLER,
          recipient: SELLER,
          subject: "dunning.level",
          text: "Level 2 for INV-7",
          language: "en",
          payload: { receivable: "0x07", level: 2, amount: "1200000000" },
        });
        await until("the webhook delivered", async () => (await status(k)) === "sent");
        const got = hooks.of(k);
        expect(got.map((r) => r.headers["content-type"])).to.deep.equal(["application/json", "application/json", "application/json"]);
        const ids = new Set(got.map((r) => r.headers["x-ledger-delivery"]));
        expect(ids.size, "one delivery id across retries").to.equal(1);
        for (const r of got) {
          const expected = `sha256=${createHmac("sha256", secret).update(Buffer.from(r.raw, "utf8")).digest("hex")}`;
          expect(r.headers["x-ledger-signature"]).to.equal(expected);
          expect(Number(r.headers["x-ledger-timestamp"])).to.be.within(Math.floor(Date.now() / 1000) - 60, Math.floor(Date.now() / 1000) + 1);
        }
        const body = JSON.parse(got[0]!.raw);
        expect(body).to.deep.include({
          id: [...ids][0],
          key: k,
          sender: SELLER,
          recipient: SELLER,
          subject: "dunning.level",
          text: "Level 2 for INV-7",
          language: "en",
          data: { receivable: "0x07", level: 2, amount: "1200000000" },
        });
        const deliveries = (await api(env.server.url, "/api/webhooks/deliveries", { token: seller })).body.items.filter((d: any) => d.key === k);
        expect(deliveries.map((d: any) => [d.status, d.attempts, d.deliveryId, d.lastStatusCode, d.url])).to.deep.equal([
          ["delivered", 3, [...ids][0], 200, hooks.url],
        ]);
        const outbox = (await env.server.notifications.outbox.get(k))!;
        expect([outbox.attempts, outbox.providerReply]).to.deep.equal([3, "delivered to 1 endpoint(s)"]);
      });

      it("keeps a delivery dead with its last error after the attempt limit; re-queued, it is delivered with the same id", async () => {
        const k = key("webhook-dead");
        hooks.script.set(k, [500, 500, 500]);
        await env.server.notifications.outbox.enqueue({
          dedupeKey: k,
          channel: "webhook",
          sender: SELLER,
          recipient: SELLER,
          subject: "dunning.level",
          text: "Level 3",
          language: "en",
        });
        await until("the webhook dead", async () => (await status(k)) === "dead");
        expect(hooks.of(k)).to.have.length(3);
        const dead = (await api(env.server.url, "/api/webhooks/deliveries?status=dead", { token: seller })).body.items.filter((d: any) => d.key === k);
        expect(dead.map((d: any) => [d.status, d.attempts, d.lastStatusCode, d.lastError])).to.deep.equal([["dead", 3, 500, "HTTP 500 Internal Server Error"]]);
        const id = dead[0].id;
        expect((await api(env.server.url, `/api/webhooks/deliveries/${id}/requeue`, { method: "POST", token: staff })).status).to.equal(403);
        expect((await api(env.server.url, `/api/webhooks/deliveries/${id}/requeue`, { method: "POST", token: seller2 })).status).to.equal(404);
        const requeued = await api(env.server.url, `/api/webhooks/deliveries/${id}/requeue`, { method: "POST", token: seller });
        expect(requeued.status, JSON.stringify(requeued.body)).to.equal(200);
        await until("the re-queued webhook delivered", async () => (await status(k)) === "sent");
        const got = hooks.of(k);
        expect(got).to.have.length(4);
        expect(new Set(got.map((r) => r.headers["x-ledger-delivery"])).size).to.equal(1);
        const after = (await api(env.server.url, "/api/webhooks/deliveries", { token: seller })).body.items.find((d: any) => d.id === id);
        expect([after.status, after.attempts, after.lastError]).to.deep.equal(["delivered", 4, null]);
        const twice = await api(env.server.url, `/api/webhooks/deliveries/${id}/requeue`, { method: "POST", token: seller });
        expect([twice.status, twice.body.error.code]).to.deep.equal([409, "not_dead"]);
        const badStatus = await api(env.server.url, "/api/webhooks/deliveries?status=lost", { token: seller });
        expect([badStatus.status, /status: must be pending, delivered, failed or dead/.test(badStatus.body.error.message)]).to.deep.equal([400, true]);
      });

      it("a removed endpoint receives nothing more", async () => {
        const del = await api(env.server.url, `/api/webhooks/endpoints/${endpointId}`, { method: "DELETE", token: seller });
        expect([del.status, del.body.active]).to.deep.equal([200, false]);
        const k = key("webhook-none");
        await env.server.notifications.outbox.enqueue({
          dedupeKey: k,
          channel: "webhook",
          sender: SELLER,
          recipient: SELLER,
          subject: "x",
          text: "y",
          language: "en",
        });
        await until("the webhook message done", async () => (await status(k)) === "sent");
        expect(hooks.of(k)).to.have.length(0);
        expect((await env.server.notifications.outbox.get(k))!.providerReply).to.equal("no webhook endpoints");
      });
    });

    describe("letters and call tasks", () => {
      it("stores a letter for its sender and addressee, not for others", async () => {
        const m = await enqueue({
          channel: "letter",
          recipient: "Colossus Motors AG\nAccounts payable\n1 Industriestraße, Stuttgart",
          recipientMember: BUYER,
          subject: "正式催款函 Formal notice",
          text: "尊敬的客户：……",
        });
        await until("the letter stored", async () => (await status(m.message.dedupeKey)) === "sent");
        const list = (await api(env.server.url, "/api/letters", { token: buyer })).body.items;
        expect(list.map((l: any) => [l.sender, l.recipientMember, l.subject, l.language])).to.deep.equal([
          [SELLER, BUYER, "正式催款函 Formal notice", "zh-CN"],
        ]);
        expect((await api(env.server.url, "/api/letters", { token: seller })).body.items).to.have.length(1);
        expect((await api(env.server.url, "/api/letters", { token: seller2 })).body.items).to.deep.equal([]);
        expect((await api(env.server.url, `/api/letters/${list[0].id}`, { token: seller2 })).status).to.equal(404);
        const one = await api(env.server.url, `/api/letters/${list[0].id}`, { token: operator });
        expect([one.status, one.body.addressee]).to.deep.equal([200, "Colossus Motors AG\nAccounts payable\n1 Industriestraße, Stuttgart"]);
      });

      it("creates a call task on the sender's worklist, assigned to the person who decided it; done once with its outcome", async () => {
        const m = await enqueue({
          channel: "call",
          recipient: "Elena Roth, +49 711 000000",
          recipientMember: BUYER,
          actor: STAFF,
          subject: "Call about INV-7",
          text: "Promised payment missed",
        });
        await until("the call task created", async () => (await status(m.message.dedupeKey)) === "sent");
        const mine = (await api(env.server.url, "/api/call-tasks?mine=true&open=true", { token: staff })).body.items;
        expect(mine.map((c: any) => [c.member, c.assignee, c.callee, c.subject, c.doneAt])).to.deep.equal([
          [SELLER, STAFF, "Elena Roth, +49 711 000000", "Call about INV-7", null],
        ]);
        expect((await api(env.server.url, "/api/call-tasks?mine=true", { token: seller })).body.items, "assigned to Anna, not the administrator").to.deep.equal(
          [],
        );
        expect((await api(env.server.url, "/api/call-tasks", { token: seller })).body.items).to.have.length(1);
        expect((await api(env.server.url, "/api/call-tasks", { token: buyer })).body.items).to.deep.equal([]);
        const id = mine[0].id;
        const noOutcome = await api(env.server.url, `/api/call-tasks/${id}/done`, { method: "POST", token: staff, body: {} });
        expect([noOutcome.status, /outcome/.test(noOutcome.body.error.message)]).to.deep.equal([400, true]);
        expect((await api(env.server.url, `/api/call-tasks/${id}/done`, { method: "POST", token: buyer, body: { outcome: "x" } })).status).to.equal(404);
        const done = await api(env.server.url, `/api/call-tasks/${id}/done`, { method: "POST", token: staff, body: { outcome: "Promised to pay on Friday" } });
        expect([done.status, done.body.outcome, done.body.doneBy]).to.deep.equal([200, "Promised to pay on Friday", STAFF]);
        const again = await api(env.server.url, `/api/call-tasks/${id}/done`, { method: "POST", token: staff, body: { outcome: "again" } });
        expect([again.status, again.body.error.code]).to.deep.equal([409, "already_done"]);
        expect((await api(env.server.url, "/api/call-tasks?open=true", { token: seller })).body.items).to.deep.equal([]);
        const badBool = await api(env.server.url, "/api/call-tasks?open=yes", { token: seller });
        expect([badBool.status, /open: must be true or false/.test(badBool.body.error.message)]).to.deep.equal([400, true]);
      });
    });
  });
}
