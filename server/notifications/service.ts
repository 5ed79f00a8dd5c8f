// Notifications as the composition root wires them: the outbox store (every process, so API processes and the
// collections engine can enqueue), and in the writer process the dispatcher with every channel's deliverer. E-mail
// goes to SMTP_URL; without one (the embedded default) to an in-process SMTP receiver whose caught mail the API
// shows (GET /api/mailbox), so a demo needs no mail server.
import type { Database } from "../database/client.ts";
import { createOutboxStore, type OutboxStore } from "./store.ts";
import { createChannelStore, type ChannelStore } from "./channels-store.ts";
import { createDispatcher, DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_MS } from "./dispatcher.ts";
import { createMailTransport } from "./mail.ts";
import { startMailbox, type Mailbox } from "./mailbox.ts";
import { createChannelDeliverers } from "./channels.ts";
import type { TargetPolicy } from "./webhooks.ts";

export interface NotificationConfig {
  /** smtp[s]://user:pass@host:port (SMTP_URL). Absent: the embedded SMTP receiver (in the writer process). */
  smtpUrl?: string | undefined;
  /** The From header (MAIL_FROM); its domain also names the Message-IDs. */
  mailFrom?: string | undefined;
  /** Port of the embedded receiver (MAILBOX_PORT; default any free port on 127.0.0.1). */
  mailboxPort?: number | undefined;
  /** false: the writer runs no dispatcher loop, messages wait for runOnce (tests that deliver by hand; OUTBOX_DISPATCH=0). */
  dispatch?: boolean | undefined;
  /** How often the dispatcher looks for due messages (OUTBOX_POLL_INTERVAL_MS, default 500). */
  pollIntervalMs?: number | undefined;
  /** First retry delay, doubling per attempt up to 1 h (OUTBOX_RETRY_BASE_MS, default 5,000). */
  retryBaseMs?: number | undefined;
  /** Attempts before a message is dead (OUTBOX_MAX_ATTEMPTS, default 8). */
  maxAttempts?: number | undefined;
  /** A claim's lease (OUTBOX_LEASE_MS, default 60,000). */
  leaseMs?: number | undefined;
  /** A webhook POST's time limit (WEBHOOK_TIMEOUT_MS, default 10,000). */
  webhookTimeoutMs?: number | undefined;
  /** Private-network webhook targets (WEBHOOK_ALLOW_PRIVATE: "1" for all, or a comma-separated list of hosts). */
  webhookTargets?: Partial<TargetPolicy> | undefined;
}

export const DEFAULT_MAIL_FROM = "Receivables Ledger <no-reply@ledger.localhost>";

/** The domain of a From address ("Name <a@b.example>" → "b.example"). */
export function mailDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m ? m[1]!.toLowerCase() : "ledger.localhost";
}

export interface Notifications {
  outbox: OutboxStore;
  channels: ChannelStore;
  /** The embedded SMTP receiver, when this process runs it (writer, no SMTP_URL); null otherwise. */
  mailbox: Mailbox | null;
  targets: TargetPolicy;
  /** Sends what is due now (the dispatcher's loop does this by itself; tests and scripts may call it). */
  runOnce(): Promise<number>;
  start(): void;
  close(): Promise<void>;
}

export async function createNotifications(opts: {
  db: Database;
  /** Whether this process delivers (the indexer writer); API-only processes only enqueue and read. */
  writer: boolean;
  config: NotificationConfig;
  memberOfStaff: (address: string) => Promise<string | null>;
  log: (line: string) => void;
  /** The domain of outgoing Message-IDs; default the sender address's domain. */
  messageIdDomain?: string | undefined;
}): Promise<Notifications> {
  const { config, log } = opts;
  const from = config.mailFrom ?? DEFAULT_MAIL_FROM;
  const outbox = createOutboxStore(opts.db, { messageIdDomain: opts.messageIdDomain ?? mailDomain(from) });
  const channels = createChannelStore(opts.db);
  const targets: TargetPolicy = {
    allowPrivate: config.webhookTargets?.allowPrivate ?? false,
    allowHosts: (config.webhookTargets?.allowHosts ?? []).map((h) => h.toLowerCase()),
  };
  if (!opts.writer) {
    return { outbox, channels, mailbox: null, targets, runOnce: async () => 0, start() {}, close: async () => {} };
  }
  const mailbox = config.smtpUrl ? null : await startMailbox({ ...(config.mailboxPort !== undefined ? { port: config.mailboxPort } : {}) });
  const smtpUrl = config.smtpUrl ?? mailbox!.url;
  const email = createMailTransport({ smtpUrl, from });
  const deliverers = createChannelDeliverers({
    store: channels,
    memberOfStaff: opts.memberOfStaff,
    targets,
    webhookTimeoutMs: config.webhookTimeoutMs ?? 10_000,
    now: () => new Date(),
  });
  const dispatcher = createDispatcher({
    store: outbox,
    email,
    channels: { inapp: deliverers.inapp, webhook: deliverers.webhook, letter: deliverers.letter, call: deliverers.call },
    onDead: deliverers.onDead,
    log,
    pollIntervalMs: config.pollIntervalMs ?? 500,
    leaseMs: config.leaseMs ?? DEFAULT_LEASE_MS,
    maxAttempts: config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryBaseMs: config.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
  });
  log(
    mailbox
      ? `outbox: e-mail to the embedded SMTP receiver on ${mailbox.url} (set SMTP_URL for a real mail server)`
      : `outbox: e-mail through ${redact(smtpUrl)}`,
  );
  return {
    outbox,
    channels,
    mailbox,
    targets,
    runOnce: () => dispatcher.runOnce(),
    start: () => {
      if (config.dispatch !== false) dispatcher.start();
    },
    async close() {
      await dispatcher.stop();
      email.close();
      await mailbox?.stop();
    },
  };
}

/** An SMTP URL without its password, for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "an SMTP server";
  }
}
