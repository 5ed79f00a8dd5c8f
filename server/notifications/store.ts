// The outbox's data access: the only code that reads or writes OutboxMessage.
import { createHash } from "node:crypto";
import type { Database } from "../database/client.ts";

export type OutboxStatus = "pending" | "sending" | "sent" | "cancelled" | "dead";

/** The ways a message leaves (server/notifications/channels.ts delivers each). */
export const CHANNELS = ["email", "inapp", "webhook", "letter", "call"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OutboxInput {
  dedupeKey: string;
  channel: Channel;
  sender: string;
  actor?: string | null;
  /**
   * Who receives it, by channel: email an e-mail address; inapp a member's address (everyone of the member) or a
   * staff key (that person); webhook the member whose endpoints receive it; letter the addressee (name and
   * postal address, lines separated by "\n"); call whom to call (name, phone).
   */
  recipient: string;
  /** The member the message is addressed to, when it is one (the buyer of a reminder): it sees the message too. */
  recipientMember?: string | null;
  /** JSON-serialisable data the channel carries besides the text (a webhook's `data`, an in-app `link`). */
  payload?: unknown;
  subject: string;
  text: string;
  html?: string | null;
  language: string;
  /** Not before (default now). */
  notBefore?: Date;
}

export interface OutboxMessage extends Required<Omit<OutboxInput, "notBefore" | "actor" | "html" | "recipientMember" | "payload">> {
  id: number;
  messageId: string;
  actor: string | null;
  html: string | null;
  recipientMember: string | null;
  /** The payload as stored (JSON text), or null. */
  payload: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  cancelReason: string | null;
  createdAt: Date;
  sentAt: Date | null;
  providerReply: string | null;
}

/** The Message-ID every attempt of a message carries: derived from what the message is about, never random. */
export function messageIdFor(dedupeKey: string, domain: string): string {
  return `<${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 40)}@${domain}>`;
}

export function createOutboxStore(db: Database, opts: { messageIdDomain: string }) {
  const prisma = db.prisma;
  const row = (r: any): OutboxMessage => r as OutboxMessage;
  return {
    /**
     * Stores a message once: a second enqueue with the same dedupeKey changes nothing and returns the stored
     * message with `created: false`.
     */
    async enqueue(input: OutboxInput, now = new Date()): Promise<{ message: OutboxMessage; created: boolean }> {
      const existing = await prisma.outboxMessage.findUnique({ where: { dedupeKey: input.dedupeKey } });
      if (existing) return { message: row(existing), created: false };
      try {
        const created = await prisma.outboxMessage.create({
          data: {
            dedupeKey: input.dedupeKey,
            messageId: messageIdFor(input.dedupeKey, opts.messageIdDomain),
            channel: input.channel,
            sender: input.sender,
            actor: input.actor ?? null,
            recipient: input.recipient,
            recipientMember: input.recipientMember?.toLowerCase() ?? null,
            payload: input.payload === undefined ? null : JSON.stringify(input.payload),
            subject: input.subject,
            text: input.text,
            html: input.html ?? null,
            language: input.language,
            status: "pending",
            nextAttemptAt: input.notBefore ?? now,
            createdAt: now,
          },
        });
        return { message: row(created), created: true };
      } catch (err) {
        // Two deciders raced on the same key: the unique index kept one.
        const again = await prisma.outboxMessage.findUnique({ where: { dedupeKey: input.dedupeKey } });
        if (again) return { message: row(again), created: false };
        throw err;
      }
    },

    /**
     * Claims up to `limit` messages that are due: pending ones whose time has come, and ones left "sending" by a
     * dispatcher that died (lease expired). Each claim is a conditional update, so two dispatchers never hold
     * the same message at once.
     */
    async claimDue(now: Date, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
      const candidates = await prisma.outboxMessage.findMany({
        where: {
          OR: [
            { status: "pending", nextAttemptAt: { lte: now } },
            { status: "sending", leaseUntil: { lt: now } },
          ],
        },
        orderBy: { id: "asc" },
        take: limit,
      });
      const claimed: OutboxMessage[] = [];
      for (const c of candidates) {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        const r = await prisma.outboxMessage.updateMany({
          where: { id: c.id, status: c.status, attempts: c.attempts },
          data: { status: "sending", leaseUntil, attempts: c.attempts + 1 },
        });
        if (r.count === 1) claimed.push(row({ ...c, status: "sending", leaseUntil, attempts: c.attempts + 1 }));
      }
      return claimed;
    },

    async markSent(id: number, attempts: number, reply: string, now = new Date()): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, status: "sending", attempts },
        data: { status: "sent", sentAt: now, leaseUntil: null, providerReply: reply.slice(0, 500), lastError: null },
      });
    },

    /** A failed attempt: retried at `retryAt`, or dead (kept, with the error, for a person to look at). */
    async markFailed(id: number, attempts: number, error: string, retryAt: Date | null): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, status: "sending", attempts },
        data: retryAt
          ? { status: "pending", nextAttemptAt: retryAt, leaseUntil: null, lastError: error.slice(0, 1000) }
          : { status: "dead", leaseUntil: null, lastError: error.slice(0, 1000) },
      });
    },

    /**
     * Cancels a message that has not gone out (a payment or dispute arrived first). True when cancelled now;
     * false when it was already sent, being sent, cancelled or dead — a message being sent cannot be recalled.
     */
    async cancel(dedupeKey: string, reason: string): Promise<boolean> {
      const r = await prisma.outboxMessage.updateMany({
        where: { dedupeKey, status: "pending" },
        data: { status: "cancelled", cancelReason: reason.slice(0, 500) },
      });
      return r.count === 1;
    },

    /**
     * Sends a dead message again (a person fixed the cause, e.g. a webhook endpoint): pending now, its attempts
     * counted afresh so the dispatcher's backoff and attempt limit apply again. False when it is not dead.
     */
    async requeue(id: number, now = new Date()): Promise<boolean> {
      const r = await prisma.outboxMessage.updateMany({
        where: { id, status: "dead" },
        data: { status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null },
      });
      return r.count === 1;
    },

    async byId(id: number): Promise<OutboxMessage | null> {
      const r = await prisma.outboxMessage.findUnique({ where: { id } });
      return r ? row(r) : null;
    },

    /** The messages with these Message-IDs (the mailbox's caught mail, to decide who may see it). */
    async byMessageIds(messageIds: string[]): Promise<OutboxMessage[]> {
      if (messageIds.length === 0) return [];
      return (await prisma.outboxMessage.findMany({ where: { messageId: { in: messageIds } } })).map(row);
    },

    async get(dedupeKey: string): Promise<OutboxMessage | null> {
      const r = await prisma.outboxMessage.findUnique({ where: { dedupeKey } });
      return r ? row(r) : null;
    },

    async list(filter: { sender?: string; status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
      const rows = await prisma.outboxMessage.findMany({
        where: { ...(filter.sender ? { sender: filter.sender } : {}), ...(filter.status ? { status: filter.status } : {}) },
        orderBy: { id: "desc" },
        take: filter.limit ?? 100,
      });
      return rows.map(row);
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
