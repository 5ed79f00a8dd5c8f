// The notifications API (server/notifications/routes.ts): the embedded mailbox's caught mail and in-app
// notifications. Types come from the server's response schemas (common/api/notifications.ts), type-only.
import type { z } from "zod";
import type { MailJson as MailSchema, MailList as MailListSchema, NotificationJson as NotificationSchema } from "../../common/api/notifications.ts";
import { request } from "./api.ts";

export type CaughtMail = z.infer<typeof MailSchema>;
export type CaughtMailSummary = z.infer<typeof MailListSchema>["items"][number];
export type NotificationItem = z.infer<typeof NotificationSchema>;

export const notificationsApi = {
  mailbox: (limit = 100) => request<{ items: CaughtMailSummary[] }>("GET", `/api/mailbox?limit=${limit}`),
  mail: (id: number) => request<CaughtMail>("GET", `/api/mailbox/${id}`),
  notifications: (limit = 20) => request<{ unread: number; items: NotificationItem[] }>("GET", `/api/notifications?limit=${limit}`),
  markRead: (id: number) => request<NotificationItem>("POST", `/api/notifications/${id}/read`),
};
