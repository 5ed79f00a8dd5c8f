// The deliverers of the non-mail channels, for the dispatcher: each keys what it stores on the outbox message, so
// a resend after a crash (the dispatcher died before recording the delivery) stores nothing twice.
//   inapp   → a Notification for the member (or the one staff person the recipient names);
//   webhook → a WebhookDelivery per endpoint of the recipient member (those active at the first attempt), each
//             POSTed signed until it answers 2xx; a failed one is retried with the outbox's backoff, and once the
//             message is dead its undelivered deliveries are dead too (re-queue: POST …/deliveries/:id/requeue);
//   letter  → a Letter (the rendered text; GET /api/letters/:id/pdf renders it as PDF, letter-pdf.ts);
//   call    → a CallTask for the sending member (assigned to the person who decided the message, if any).
import { createHash } from "node:crypto";
import type { Deliverer } from "./dispatcher.ts";
import type { OutboxMessage } from "./store.ts";
import type { ChannelStore } from "./channels-store.ts";
import { checkTarget, postWebhook, type TargetPolicy, type WebhookBody } from "./webhooks.ts";

export interface ChannelDeps {
  store: ChannelStore;
  /** The member a staff key belongs to (active staff), else null. */
  memberOfStaff: (address: string) => Promise<string | null>;
  targets: TargetPolicy;
  webhookTimeoutMs: number;
  now: () => Date;
}

/** The delivery's id: derived from the message and the endpoint, so every retry carries the same one. */
export function deliveryIdFor(dedupeKey: string, endpointId: number): string {
  return `dlv_${createHash("sha256").update(`${dedupeKey}\u0000${endpointId}`).digest("hex").slice(0, 32)}`;
}

function parsePayload(m: OutboxMessage): unknown {
  if (m.payload === null) return null;
  try {
    return JSON.parse(m.payload);
  } catch {
    return null;
  }
}

export function webhookBody(m: OutboxMessage, deliveryId: string): string {
  const body: WebhookBody = {
    id: deliveryId,
    key: m.dedupeKey,
    sender: m.sender,
    recipient: m.recipient,
    subject: m.subject,
    text: m.text,
    language: m.language,
    data: parsePayload(m),
    createdAt: m.createdAt.toISOString(),
  };
  return JSON.stringify(body);
}

export function createChannelDeliverers(deps: ChannelDeps): {
  inapp: Deliverer;
  webhook: Deliverer;
  letter: Deliverer;
  call: Deliverer;
  onDead: (m: OutboxMessage) => Promise<void>;
} {
  const { store, now } = deps;

  const inapp: Deliverer = async (m) => {
    const to = m.recipient.toLowerCase();
    const staffMember = await deps.memberOfStaff(to);
    const payload = parsePayload(m) as { link?: unknown } | null;
    const n = await store.addNotification({
      outboxId: m.id,
      member: staffMember ?? to,
      person: staffMember ? to : null,
      sender: m.sender,
      title: m.subject,
      body: m.text,
      language: m.language,
      // Only a route of the client ("#/receivables/0x…"): never a URL the bell would open elsewhere.
      link: typeof payload?.link === "string" && /^#\/[\w\-/.?=&%]*$/.test(payload.link) ? payload.link.slice(0, 500) : null,
      createdAt: now(),
    });
    return `notification ${n.id}`;
  };

  const webhook: Deliverer = async (m) => {
    const member = m.recipient.toLowerCase();
    let deliveries = await store.deliveriesOfMessage(m.id);
    if (deliveries.length === 0) {
      const endpoints = (await store.endpointsOf(member)).filter((e) => e.disabledAt === null);
      if (endpoints.length === 0) return "no webhook endpoints";
      deliveries = await store.ensureDeliveries(
        m.id,
        member,
        endpoints.map((e) => ({ id: e.id, deliveryId: deliveryIdFor(m.dedupeKey, e.id) })),
        now(),
      );
    }
    const failures: string[] = [];
    let delivered = 0;
    for (const d of deliveries) {
      if (d.status === "delivered") {
        delivered++;
        continue;
      }
      const endpoint = await store.endpoint(d.endpointId);
      let attempt: Awaited<ReturnType<typeof postWebhook>> | { ok: false; statusCode: null; error: string };
      if (!endpoint || endpoint.disabledAt) attempt = { ok: false, statusCode: null, error: "the endpoint was removed" };
      else {
        try {
          const url = await checkTarget(endpoint.url, deps.targets);
          attempt = await postWebhook(url, endpoint.secret, d.deliveryId, webhookBody(m, d.deliveryId), { timeoutMs: deps.webhookTimeoutMs, now });
        } catch (err) {
          attempt = { ok: false, statusCode: null, error: (err as Error).message };
        }
      }
      await store.recordAttempt(d.id, { ...attempt, at: now() });
      if (attempt.ok) delivered++;
      else failures.push(`endpoint ${d.endpointId}: ${attempt.error}`);
    }
    if (failures.length) throw Object.assign(new Error(`webhook: ${failures.join("; ")}`), { retryable: true });
    return `delivered to ${delivered} endpoint(s)`;
  };

  const letter: Deliverer = async (m) => {
    const l = await store.addLetter({
      outboxId: m.id,
      sender: m.sender,
      recipientMember: m.recipientMember,
      addressee: m.recipient,
      subject: m.subject,
      body: m.text,
      language: m.language,
      createdAt: now(),
    });
    return `letter ${l.id}`;
  };

  const call: Deliverer = async (m) => {
    const c = await store.addCallTask({
      outboxId: m.id,
      member: m.sender,
      assignee: m.actor,
      callee: m.recipient,
      recipientMember: m.recipientMember,
      subject: m.subject,
      note: m.text,
      language: m.language,
      dueAt: now(),
      createdAt: now(),
    });
    return `call task ${c.id}`;
  };

  return {
    inapp,
    webhook,
    letter,
    call,
    onDead: async (m) => {
      if (m.channel === "webhook") await store.markUndeliveredDead(m.id);
    },
  };
}
