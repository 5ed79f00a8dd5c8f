// E-mail through SMTP with nodemailer, given an smtp[s]://user:pass@host:port URL and a From address (the server
// configuration will pass them from the environment when dunning is wired in; the embedded default will use mailbox.ts).
import nodemailer from "nodemailer";
import type { OutboxMessage } from "./store.ts";

export interface MailConfig {
  /** smtp://host:port, smtps://user:pass@host:465, … */
  smtpUrl: string;
  /** The From header, e.g. "Receivables Ledger <no-reply@ledger.example>". */
  from: string;
}

/** An SMTP failure, with whether trying again later may succeed (4xx, connection errors) or not (5xx). */
export class MailError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.retryable = retryable;
  }
}

export function createMailTransport(config: MailConfig) {
  // Pooled: the connection (and its greeting) is reused across messages, ~10× faster than one connection a message.
  // After a failure the pool is replaced, so no half-broken connection lingers into the retry.
  const open = () => nodemailer.createTransport({ url: config.smtpUrl, pool: true } as Parameters<typeof nodemailer.createTransport>[0], { from: config.from });
  let transport = open();
  return {
    /** Sends one message; resolves with the server's reply once it has accepted it. */
    async send(m: OutboxMessage): Promise<string> {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: m.recipient,
          subject: m.subject,
          text: m.text,
          ...(m.html ? { html: m.html } : {}),
          messageId: m.messageId,
          headers: { "Content-Language": m.language, "X-Ledger-Dedupe-Key": m.dedupeKey },
        });
        return String(info.response ?? "accepted");
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code === undefined) {
          transport.close();
          transport = open();
        }
        throw new MailError(`SMTP: ${(err as Error).message}`, code === undefined || code < 500, { cause: err });
      }
    },
    close: () => transport.close(),
  };
}

export type MailTransport = ReturnType<typeof createMailTransport>;
