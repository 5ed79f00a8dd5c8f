// The outbox and e-mail (issue 12's delivery path): real SMTP (nodemailer → the in-process smtp-server receiver,
// parsed with mailparser), a real database on each provider. A message is stored once per key, sent once, retried
// when the server is down, kept as dead after a permanent refusal, cancelled before it goes out, and after a
// dispatcher dies between the server's acceptance and recording it, sent again with the same Message-ID (the
// mailbox sees it once, delivered twice) — never lost.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase, type Database } from "../../server/database/client.ts";
import { createOutboxStore, messageIdFor, type OutboxInput, type OutboxStore } from "../../server/notifications/store.ts";
import { createMailTransport } from "../../server/notifications/mail.ts";
import { createDispatcher, retryDelayMs } from "../../server/notifications/dispatcher.ts";
import { startMailbox, type Mailbox } from "../../server/notifications/mailbox.ts";
import { freshDatabase, DATABASES } from "./helpers.ts";

const FROM = "Ledger <no-reply@ledger.test>";
let seq = 0;
const message = (over: Partial<OutboxInput> = {}): OutboxInput => ({
  dedupeKey: `test:${++seq}:${Math.random().toString(36).slice(2)}`,
  channel: "email",
  sender: "0x00000000000000000000000000000000000000a1",
  recipient: "ar@colossus.example",
  subject: "付款提醒 Payment reminder INV-7",
  text: "尊敬的客户：发票 INV-7 金额 1,200.00 USD 将于 2026-12-09 到期。\nInvoice INV-7 (1,200.00 USD) falls due on 2026-12-09.",
  language: "zh-CN",
  ...over,
});

for (const database of DATABASES) {
  describe(`notifications outbox and e-mail (${database})`, function () {
    let dbh: { url: string; drop(): Promise<void> };
    let db: Database;
    let store: OutboxStore;
    let mailbox: Mailbox;

    before(async function () {
      dbh = await freshDatabase(database);
      await applyMigrations(dbh.url);
      db = await openDatabase(dbh.url);
      store = createOutboxStore(db, { messageIdDomain: "ledger.test" });
      mailbox = await startMailbox({ refuse: (a) => a.startsWith("nobody@") });
    });
    after(async function () {
      await mailbox?.stop();
      await db?.close();
      await dbh?.drop();
    });

    const dispatcher = (over: Partial<Parameters<typeof createDispatcher>[0]> = {}, smtpUrl = mailbox.url) =>
      createDispatcher({ store, email: createMailTransport({ smtpUrl, from: FROM }), log: () => {}, retryBaseMs: 1_000, ...over });

    it("stores a message once per key: deciding it again changes nothing", async function () {
      const m = message();
      const a = await store.enqueue(m);
      const b = await store.enqueue({ ...m, subject: "changed" });
      expect(a.created).to.equal(true);
      expect(b.created).to.equal(false);
      expect(b.message.id).to.equal(a.message.id);
      expect(b.message.subject).to.equal(m.subject);
      expect(a.message.messageId).to.equal(messageIdFor(m.dedupeKey, "ledger.test"));
      expect((await store.list()).filter((r) => r.dedupeKey === m.dedupeKey)).to.have.length(1);
      await store.cancel(m.dedupeKey, "test cleanup");
    });

    it("sends a due message once over SMTP, with its subject, text, language and Message-ID", async function () {
      const m = message();
      await store.enqueue(m);
      const d = dispatcher();
      expect(await d.runOnce()).to.equal(1);
      expect(await d.runOnce(), "nothing is sent twice").to.equal(0);
      const caught = mailbox.messages("ar@colossus.example").find((c) => c.messageId === messageIdFor(m.dedupeKey, "ledger.test"));
      expect(caught, "caught by the receiver").to.not.equal(undefined);
      expect(caught!.subject).to.equal(m.subject);
      expect(caught!.text.trim()).to.equal(m.text);
      expect(caught!.language).to.equal("zh-CN");
      expect(caught!.from).to.equal("no-reply@ledger.test");
      expect(caught!.deliveries).to.equal(1);
      const stored = (await store.get(m.dedupeKey))!;
      expect(stored.status).to.equal("sent");
      expect(stored.attempts).to.equal(1);
      expect(stored.providerReply).to.match(/^250/);
    });

    it("does not send a message that is not due yet, nor one cancelled before it went out", async function () {
      const later = message({ notBefore: new Date(Date.now() + 3_600_000) });
      const cancelled = message();
      await store.enqueue(later);
      await store.enqueue(cancelled);
      expect(await store.cancel(cancelled.dedupeKey, "paid before the reminder went out")).to.equal(true);
      expect(await dispatcher().runOnce()).to.equal(0);
      expect((await store.get(later.dedupeKey))!.status).to.equal("pending");
      const c = (await store.get(cancelled.dedupeKey))!;
      expect([c.status, c.cancelReason]).to.deep.equal(["cancelled", "paid before the reminder went out"]);
      expect(await store.cancel(cancelled.dedupeKey, "again")).to.equal(false);
      expect(mailbox.messages().some((x) => x.messageId === c.messageId)).to.equal(false);
      await store.cancel(later.dedupeKey, "test cleanup");
    });

    it("retries later while the mail server is down, then delivers once", async function () {
      const down = await startMailbox();
      const port = down.port;
      await down.stop(); // nothing listens on this port now
      const m = message();
      await store.enqueue(m);
      let clock = new Date();
      const d = dispatcher({ now: () => clock }, `smtp://127.0.0.1:${port}`);
      expect(await d.runOnce()).to.equal(0);
      const failed = (await store.get(m.dedupeKey))!;
      expect(failed.status).to.equal("pending");
      expect(failed.attempts).to.equal(1);
      expect(failed.lastError).to.match(/SMTP/);
      expect(failed.nextAttemptAt.getTime() - clock.getTime()).to.equal(retryDelayMs(1, 1_000));
      expect(await d.runOnce(), "not before its retry time").to.equal(0);
      const up = await startMailbox({ port });
      try {
        clock = new Date(failed.nextAttemptAt.getTime() + 1);
        expect(await d.runOnce()).to.equal(1);
        expect(
          up
            .messages()
            .filter((x) => x.messageId === failed.messageId)
            .map((x) => x.deliveries),
        ).to.deep.equal([1]);
        expect((await store.get(m.dedupeKey))!.attempts).to.equal(2);
      } finally {
        await up.stop();
      }
    });

    it("keeps a permanently refused message as dead, with the server's reason, and does not retry it", async function () {
      const m = message({ recipient: "nobody@colossus.example" });
      await store.enqueue(m);
      const d = dispatcher();
      expect(await d.runOnce()).to.equal(0);
      const dead = (await store.get(m.dedupeKey))!;
      expect(dead.status).to.equal("dead");
      expect(dead.lastError).to.match(/550|mailbox unavailable/);
      expect(await d.runOnce()).to.equal(0);
      expect((await store.get(m.dedupeKey))!.attempts).to.equal(1);
    });

    it("after a dispatcher dies between the server's acceptance and recording it, sends it again with the same Message-ID: caught once, nothing lost", async function () {
      const m = message();
      await store.enqueue(m);
      const child = spawn(process.execPath, [join(import.meta.dirname, "fixtures", "outbox-dispatch-once.ts"), dbh.url, mailbox.url], { stdio: "ignore" });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      const killed = new Promise<void>((resolve) => {
        const off = mailbox.onMail((mail) => {
          if (mail.messageId !== messageIdFor(m.dedupeKey, "ledger.test")) return;
          off();
          child.kill("SIGKILL"); // before the receiver's 250 reaches it
          resolve();
        });
      });
      await killed;
      await exited;
      const stuck = (await store.get(m.dedupeKey))!;
      expect(stuck.status, "the dead dispatcher had claimed it").to.equal("sending");
      // Within its lease nobody takes it over; after the lease another dispatcher does.
      expect(await dispatcher().runOnce()).to.equal(0);
      const afterLease = new Date(stuck.leaseUntil!.getTime() + 1);
      expect(await dispatcher({ now: () => afterLease }).runOnce()).to.equal(1);
      const done = (await store.get(m.dedupeKey))!;
      expect([done.status, done.attempts]).to.deep.equal(["sent", 2]);
      const caught = mailbox.messages().filter((x) => x.messageId === done.messageId);
      expect(caught).to.have.length(1);
      expect(caught[0]!.deliveries).to.equal(2);
    });

    it("two dispatchers running at once send each message once", async function () {
      const batch = Array.from({ length: 12 }, () => message());
      for (const m of batch) await store.enqueue(m);
      const [a, b] = await Promise.all([dispatcher().runOnce(), dispatcher().runOnce()]);
      expect(a + b).to.equal(batch.length);
      for (const m of batch) {
        const ids = mailbox.messages().filter((x) => x.messageId === messageIdFor(m.dedupeKey, "ledger.test"));
        expect(
          ids.map((x) => x.deliveries),
          m.dedupeKey,
        ).to.deep.equal([1]);
      }
    });
  });
}
