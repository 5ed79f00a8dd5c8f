// `npm run bench:outbox`: outbox delivery throughput (issue 12, "Fast": ≥ 200 messages/s to a local SMTP
// receiver). Enqueues BENCH_MESSAGES (default 2,000) e-mails into a fresh database, then one dispatcher sends them
// to the in-process SMTP receiver (smtp-server + mailparser, as the embedded default runs it); prints messages/s of
// enqueueing and of delivery, and the median and p95 of one message's send, per database (SQLite, and PostgreSQL
// when TEST_DATABASE_URL_PG is set). Every message is checked to have arrived exactly once.
import { applyMigrations } from "../../server/database/migrate.ts";
import { openDatabase } from "../../server/database/client.ts";
import { createOutboxStore, type OutboxMessage } from "../../server/notifications/store.ts";
import { createMailTransport } from "../../server/notifications/mail.ts";
import { createDispatcher } from "../../server/notifications/dispatcher.ts";
import { startMailbox } from "../../server/notifications/mailbox.ts";
import { freshDatabase, DATABASES } from "../../test/server/helpers.ts";

const N = Number(process.env["BENCH_MESSAGES"] ?? 2_000);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

for (const kind of DATABASES) {
  const dbh = await freshDatabase(kind);
  await applyMigrations(dbh.url, () => {});
  const db = await openDatabase(dbh.url);
  const mailbox = await startMailbox({ maxMessages: N + 10 });
  try {
    const store = createOutboxStore(db, { messageIdDomain: "bench.local" });
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      await store.enqueue({
        dedupeKey: `bench:${i}`,
        channel: "email",
        sender: "0x00000000000000000000000000000000000000a1",
        recipient: `ar${i % 50}@buyer.example`,
        subject: `付款提醒 Payment reminder INV-${i}`,
        text: `发票 INV-${i} 金额 1,200.00 USD 已到期。\nInvoice INV-${i} (1,200.00 USD) is due.`,
        language: "zh-CN",
      });
    }
    const enqueueS = (performance.now() - t0) / 1000;
    const transport = createMailTransport({ smtpUrl: mailbox.url, from: "Bench <no-reply@bench.local>" });
    const times: number[] = [];
    const timed = {
      send: async (m: OutboxMessage) => {
        const s = performance.now();
        try {
          return await transport.send(m);
        } finally {
          times.push(performance.now() - s);
        }
      },
    };
    const dispatcher = createDispatcher({ store, email: timed, log: () => {} });
    const t1 = performance.now();
    const sent = await dispatcher.runOnce();
    const sendS = (performance.now() - t1) / 1000;
    transport.close();
    const caught = mailbox.messages();
    const once = caught.length === N && caught.every((m) => m.deliveries === 1);
    console.log(
      `${kind}: ${N} e-mails — enqueue ${(N / enqueueS).toFixed(0)}/s; delivered ${sent} in ${sendS.toFixed(2)} s = ${(sent / sendS).toFixed(0)} messages/s ` +
        `(one send: median ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms); each caught exactly once: ${once ? "yes" : "NO"}`,
    );
  } finally {
    await mailbox.stop();
    await db.close();
    await dbh.drop();
  }
}
