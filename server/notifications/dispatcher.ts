// Sends what the outbox holds. One loop per writer process; safe to run several (claims are conditional).
// Delivery: every message is handed to the SMTP server until it accepts it; a dispatcher that dies between the
// server's acceptance and recording it leaves the message "sending", and after its lease another attempt sends
// it again with the same Message-ID — so receivers that deduplicate on Message-ID (the embedded mailbox does)
// see it exactly once, and nothing is ever lost.
// Other channels (server/notifications/channels.ts) plug in as deliverers: each is idempotent per message (its
// rows are keyed on the outbox id), so a resend after a crash changes nothing.
import type { OutboxStore, OutboxMessage, Channel } from "./store.ts";
import type { MailTransport } from "./mail.ts";

/**
 * Delivers one message on its channel; resolves with a record of the delivery (the SMTP reply, "notification 7", …).
 * Throws to fail the attempt: an error with `retryable: false` makes the message dead at once.
 */
export type Deliverer = (m: OutboxMessage) => Promise<string>;

export interface DispatcherConfig {
  store: OutboxStore;
  /** E-mail; the same as `channels.email` (kept for callers that deliver e-mail only). */
  email?: Pick<MailTransport, "send">;
  /** The deliverer per channel; a message on a channel without one fails (not retryable). */
  channels?: Partial<Record<Channel, Deliverer>>;
  /** Called once a message is dead (after its last attempt or a permanent refusal). */
  onDead?: (m: OutboxMessage, error: string) => Promise<void>;
  log: (line: string) => void;
  pollIntervalMs?: number;
  /** How long a claim lasts before another dispatcher may take the message over. */
  leaseMs?: number;
  /** Attempts before a message is dead (kept with its error). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 1 hour. */
  retryBaseMs?: number;
  /** Messages of a claimed batch sent at once (default 8; the SMTP transport pools its connections). */
  concurrency?: number;
  now?: () => Date;
}

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_RETRY_BASE_MS = 5_000;

export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export function createDispatcher(config: DispatcherConfig) {
  const now = config.now ?? (() => new Date());
  const leaseMs = config.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseMs = config.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const concurrency = config.concurrency ?? 8;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  const deliverers: Partial<Record<Channel, Deliverer>> = {
    ...(config.email ? { email: (m: OutboxMessage) => config.email!.send(m) } : {}),
    ...config.channels,
  };

  async function sendOne(m: OutboxMessage): Promise<boolean> {
    try {
      const deliver = deliverers[m.channel];
      if (!deliver) throw Object.assign(new Error(`no deliverer for channel ${m.channel}`), { retryable: false });
      const reply = await deliver(m);
      await config.store.markSent(m.id, m.attempts, reply);
      return true;
    } catch (err) {
      const retryable = (err as { retryable?: boolean }).retryable !== false;
      const retryAt = retryable && m.attempts < maxAttempts ? new Date(now().getTime() + retryDelayMs(m.attempts, baseMs)) : null;
      await config.store.markFailed(m.id, m.attempts, (err as Error).message, retryAt);
      if (!retryAt && config.onDead) await config.onDead(m, (err as Error).message);
      config.log(
        `outbox: ${m.dedupeKey} attempt ${m.attempts} failed (${(err as Error).message})${retryAt ? `; retry at ${retryAt.toISOString()}` : "; dead"}`,
      );
      return false;
    }
  }

  /** Sends every message due now; returns how many went out. */
  async function runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await config.store.claimDue(now(), leaseMs, 20);
      if (batch.length === 0) return sent;
      // A few at a time: each message is its own claim, so their order among themselves does not matter.
      const queue = [...batch];
      const worker = async () => {
        for (let m = queue.shift(); m; m = queue.shift()) if (await sendOne(m)) sent++;
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, batch.length)) }, worker));
    }
  }

  const tick = () => {
    if (stopped) return;
    running = runOnce().catch((err) => {
      config.log(`outbox: dispatch failed: ${(err as Error).message}`);
      return 0;
    });
    void running.finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, config.pollIntervalMs ?? 500);
    });
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
