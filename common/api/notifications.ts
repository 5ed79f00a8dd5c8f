// Response schemas of the notifications API (/api/mailbox, /api/notifications, /api/webhooks, /api/letters,
// /api/call-tasks). The server documents its responses with them; the client infers its types from them.
import { z } from "zod";

export const MailJson = z.object({
  id: z.number(),
  messageId: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  language: z.string().nullable(),
  receivedAt: z.string(),
  deliveries: z.number().describe("how many times this Message-ID arrived (1 = exactly once)"),
  sender: z.string().nullable().describe("the member the outbox sent it for (null: not from this server's outbox)"),
  recipientMember: z.string().nullable(),
  dedupeKey: z.string().nullable(),
});
export const MailList = z.object({ items: z.array(MailJson.omit({ html: true, text: true }).extend({ preview: z.string() })) });

export const NotificationJson = z.object({
  id: z.number(),
  member: z.string(),
  person: z.string().nullable(),
  sender: z.string(),
  title: z.string(),
  body: z.string(),
  language: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
});
export const EndpointJson = z.object({
  id: z.number(),
  member: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  active: z.boolean(),
  disabledAt: z.string().nullable(),
  disabledBy: z.string().nullable(),
});
export const DeliveryJson = z.object({
  id: z.number(),
  deliveryId: z.string().describe("X-Ledger-Delivery: the same on every retry"),
  endpointId: z.number(),
  url: z.string().nullable(),
  status: z.enum(["pending", "delivered", "failed", "dead"]),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  key: z.string().nullable(),
  subject: z.string().nullable(),
});
export const LetterJson = z.object({
  id: z.number(),
  sender: z.string(),
  recipientMember: z.string().nullable(),
  addressee: z.string(),
  subject: z.string(),
  body: z.string(),
  language: z.string(),
  createdAt: z.string(),
});
export const CallTaskJson = z.object({
  id: z.number(),
  member: z.string(),
  assignee: z.string().nullable(),
  callee: z.string(),
  recipientMember: z.string().nullable(),
  subject: z.string(),
  note: z.string(),
  language: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  outcome: z.string().nullable(),
});
