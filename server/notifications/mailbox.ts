// The embedded default's stand-in for the recipients' mail servers: an in-process SMTP receiver (smtp-server)
// that parses what it catches (mailparser) and keeps it, so a demo user sees the reminders that went out.
// It deduplicates on Message-ID like a mail client would, and counts deliveries, so a resend is visible.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

export interface CaughtMail {
  /** The receiver's own number for it (1, 2, …; for links). */
  id: number;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  language: string | null;
  receivedAt: Date;
  /** How many times this Message-ID arrived (1 = exactly once). */
  deliveries: number;
}

export interface Mailbox {
  port: number;
  url: string;
  /** Messages caught, newest first; to a given address when `to` is set. */
  messages(to?: string): CaughtMail[];
  message(id: number): CaughtMail | null;
  /** Called for each message after it is parsed and stored (tests use it). */
  onMail(listener: (m: CaughtMail) => void): () => void;
  stop(): Promise<void>;
}

export async function startMailbox(opts: { port?: number; host?: string; maxMessages?: number; refuse?: (address: string) => boolean } = {}): Promise<Mailbox> {
  const byId = new Map<string, CaughtMail>();
  const listeners = new Set<(m: CaughtMail) => void>();
  const max = opts.maxMessages ?? 5_000;
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    // No reverse DNS of each connecting client: it costs ~100 ms a connection and the receiver only listens locally.
    disableReverseLookup: true,
    // Stopping ends senders' idle pooled connections after this, instead of waiting 30 s for them to leave.
    closeTimeout: 200,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (opts.refuse?.(address.address.toLowerCase())) {
        const err = Object.assign(new Error(`mailbox unavailable: ${address.address}`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const messageId = parsed.messageId ?? `<no-id-${byId.size}@mailbox>`;
          const seen = byId.get(messageId);
          if (seen) seen.deliveries++;
          else {
            const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) =>
              a.value.map((v) => (v.address ?? "").toLowerCase()),
            );
            const lang = parsed.headers.get("content-language");
            byId.set(messageId, {
              id: ++seq,
              messageId,
              from: parsed.from?.value[0]?.address ?? "",
              to,
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : null,
              language: typeof lang === "string" ? lang : null,
              receivedAt: new Date(),
              deliveries: 1,
            });
            if (byId.size > max) byId.delete(byId.keys().next().value!);
          }
          const m = byId.get(messageId)!;
          for (const l of listeners) l(m);
          callback();
        })
        .catch((err) => callback(err as Error));
    },
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://${host}:${port}`,
    messages: (to) => [...byId.values()].filter((m) => !to || m.to.includes(to.toLowerCase())).reverse(),
    message: (id) => [...byId.values()].find((m) => m.id === id) ?? null,
    onMail(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
