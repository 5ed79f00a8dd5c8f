// The channels' data access: the only code that reads or writes Notification, WebhookEndpoint, WebhookDelivery,
// Letter and CallTask. Every row a channel delivers is keyed on its outbox message (unique outboxId, or
// outboxId × endpoint), so delivering the same message twice stores it once.
import type { Database } from "../database/client.ts";

export interface NotificationRecord {
  id: number;
  outboxId: number;
  member: string;
  person: string | null;
  sender: string;
  title: string;
  body: string;
  language: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
  readBy: string | null;
}

export interface WebhookEndpointRecord {
  id: number;
  member: string;
  url: string;
  secret: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  disabledAt: Date | null;
  disabledBy: string | null;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed" | "dead";

export interface WebhookDeliveryRecord {
  id: number;
  deliveryId: string;
  outboxId: number;
  endpointId: number;
  member: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface LetterRecord {
  id: number;
  outboxId: number;
  sender: string;
  recipientMember: string | null;
  addressee: string;
  subject: string;
  body: string;
  language: string;
  createdAt: Date;
}

export interface CallTaskRecord {
  id: number;
  outboxId: number;
  member: string;
  assignee: string | null;
  callee: string;
  recipientMember: string | null;
  subject: string;
  note: string;
  language: string;
  dueAt: Date;
  createdAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
  outcome: string | null;
}

/** Whether a Prisma error is a unique-constraint violation (the row exists already: a redelivery). */
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "P2002";

export function createChannelStore(db: Database) {
  const prisma = db.prisma;

  /** Creates a row keyed on its outbox message once; a second delivery returns the first row. */
  async function once<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
    const existing = await find();
    if (existing) return existing;
    try {
      return await create();
    } catch (err) {
      const again = isUniqueViolation(err) ? await find() : null;
      if (again) return again;
      throw err;
    }
  }

  return {
    // ── in-app notifications ──
    async addNotification(n: Omit<NotificationRecord, "id" | "readAt" | "readBy">): Promise<NotificationRecord> {
      return (await once(
        () => prisma.notification.findUnique({ where: { outboxId: n.outboxId } }),
        () => prisma.notification.create({ data: n }),
      )) as NotificationRecord;
    },

    /** The notifications a person of `member` sees (the member's own and its own personal ones): unread first, newest first. */
    async notificationsFor(member: string, person: string, limit: number): Promise<{ items: NotificationRecord[]; unread: number }> {
      const where = { member, OR: [{ person: null }, { person }] };
      const [unreadRows, readRows, unread] = await Promise.all([
        // Newest by the message's place in the outbox, not by when it was delivered (the dispatcher delivers a batch
        // concurrently, so delivery order is not the order messages were sent in).
        prisma.notification.findMany({ where: { ...where, readAt: null }, orderBy: { outboxId: "desc" }, take: limit }),
        prisma.notification.findMany({ where: { ...where, readAt: { not: null } }, orderBy: { outboxId: "desc" }, take: limit }),
        prisma.notification.count({ where: { ...where, readAt: null } }),
      ]);
      return { items: [...unreadRows, ...readRows].slice(0, limit) as NotificationRecord[], unread };
    },

    async notification(id: number): Promise<NotificationRecord | null> {
      return (await prisma.notification.findUnique({ where: { id } })) as NotificationRecord | null;
    },

    /** Marks it read (the first reader and time are kept). */
    async markRead(id: number, by: string, at: Date): Promise<NotificationRecord> {
      await prisma.notification.updateMany({ where: { id, readAt: null }, data: { readAt: at, readBy: by } });
      return (await prisma.notification.findUniqueOrThrow({ where: { id } })) as NotificationRecord;
    },

    // ── webhook endpoints and deliveries ──
    async addEndpoint(e: {
      member: string;
      url: string;
      secret: string;
      description: string | null;
      createdBy: string;
      createdAt: Date;
    }): Promise<WebhookEndpointRecord> {
      return (await prisma.webhookEndpoint.create({ data: e })) as WebhookEndpointRecord;
    },

    async endpointsOf(member: string): Promise<WebhookEndpointRecord[]> {
      return (await prisma.webhookEndpoint.findMany({ where: { member }, orderBy: { id: "asc" } })) as WebhookEndpointRecord[];
    },

    async endpoint(id: number): Promise<WebhookEndpointRecord | null> {
      return (await prisma.webhookEndpoint.findUnique({ where: { id } })) as WebhookEndpointRecord | null;
    },

    async disableEndpoint(id: number, by: string, at: Date): Promise<void> {
      await prisma.webhookEndpoint.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: at, disabledBy: by } });
    },

    async deliveriesOfMessage(outboxId: number): Promise<WebhookDeliveryRecord[]> {
      return (await prisma.webhookDelivery.findMany({ where: { outboxId }, orderBy: { id: "asc" } })) as WebhookDeliveryRecord[];
    },

    /** The message's deliveries, created once (one per endpoint active at its first attempt). */
    async ensureDeliveries(outboxId: number, member: string, endpoints: { id: number; deliveryId: string }[], at: Date): Promise<WebhookDeliveryRecord[]> {
      for (const e of endpoints) {
        await once(
          () => prisma.webhookDelivery.findUnique({ where: { outboxId_endpointId: { outboxId, endpointId: e.id } } }),
          () => prisma.webhookDelivery.create({ data: { deliveryId: e.deliveryId, outboxId, endpointId: e.id, member, status: "pending", createdAt: at } }),
        );
      }
      return (await prisma.webhookDelivery.findMany({ where: { outboxId }, orderBy: { id: "asc" } })) as WebhookDeliveryRecord[];
    },

    async recordAttempt(id: number, r: { ok: boolean; statusCode: number | null; error: string | null; at: Date }): Promise<void> {
      const d = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
      await prisma.webhookDelivery.update({
        where: { id },
        data: {
          attempts: d.attempts + 1,
          status: r.ok ? "delivered" : "failed",
          lastStatusCode: r.statusCode,
          lastError: r.ok ? null : (r.error ?? "").slice(0, 1000),
          lastAttemptAt: r.at,
          ...(r.ok ? { deliveredAt: r.at } : {}),
        },
      });
    },

    /** After the message's last attempt: its undelivered deliveries are dead (kept with their last error). */
    async markUndeliveredDead(outboxId: number): Promise<void> {
      await prisma.webhookDelivery.updateMany({ where: { outboxId, status: { in: ["pending", "failed"] } }, data: { status: "dead" } });
    },

    async delivery(id: number): Promise<WebhookDeliveryRecord | null> {
      return (await prisma.webhookDelivery.findUnique({ where: { id } })) as WebhookDeliveryRecord | null;
    },

    /** A dead delivery back to pending (its message is re-queued by the caller). False when it is not dead. */
    async requeueDelivery(id: number): Promise<boolean> {
      const r = await prisma.webhookDelivery.updateMany({ where: { id, status: "dead" }, data: { status: "pending" } });
      return r.count === 1;
    },

    async deliveriesOf(member: string, filter: { status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDeliveryRecord[]> {
      return (await prisma.webhookDelivery.findMany({
        where: { member, ...(filter.status ? { status: filter.status } : {}) },
        orderBy: { id: "desc" },
        take: filter.limit,
      })) as WebhookDeliveryRecord[];
    },

    // ── letters ──
    async addLetter(l: Omit<LetterRecord, "id">): Promise<LetterRecord> {
      return (await once(
        () => prisma.letter.findUnique({ where: { outboxId: l.outboxId } }),
        () => prisma.letter.create({ data: l }),
      )) as LetterRecord;
    },

    async letter(id: number): Promise<LetterRecord | null> {
      return (await prisma.letter.findUnique({ where: { id } })) as LetterRecord | null;
    },

    /** Letters sent by or to the member (all when member is null: the operator), newest first. */
    async lettersFor(member: string | null, limit: number): Promise<LetterRecord[]> {
      return (await prisma.letter.findMany({
        where: member === null ? {} : { OR: [{ sender: member }, { recipientMember: member }] },
        orderBy: { id: "desc" },
        take: limit,
      })) as LetterRecord[];
    },

    // ── call tasks ──
    async addCallTask(c: Omit<CallTaskRecord, "id" | "doneAt" | "doneBy" | "outcome">): Promise<CallTaskRecord> {
      return (await once(
        () => prisma.callTask.findUnique({ where: { outboxId: c.outboxId } }),
        () => prisma.callTask.create({ data: c }),
      )) as CallTaskRecord;
    },

    async callTask(id: number): Promise<CallTaskRecord | null> {
      return (await prisma.callTask.findUnique({ where: { id } })) as CallTaskRecord | null;
    },

    /** The member's call tasks: open ones first by due date, then done ones newest first. */
    async callTasksOf(member: string, filter: { open?: boolean; assignee?: string; limit: number }): Promise<CallTaskRecord[]> {
      const base = { member, ...(filter.assignee ? { assignee: filter.assignee } : {}) };
      const open = await prisma.callTask.findMany({ where: { ...base, doneAt: null }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: filter.limit });
      if (filter.open) return open as CallTaskRecord[];
      const done = await prisma.callTask.findMany({ where: { ...base, doneAt: { not: null } }, orderBy: { id: "desc" }, take: filter.limit });
      return [...open, ...done].slice(0, filter.limit) as CallTaskRecord[];
    },

    async completeCallTask(id: number, by: string, outcome: string, at: Date): Promise<boolean> {
      const r = await prisma.callTask.updateMany({ where: { id, doneAt: null }, data: { doneAt: at, doneBy: by, outcome } });
      return r.count === 1;
    },
  };
}

export type ChannelStore = ReturnType<typeof createChannelStore>;
