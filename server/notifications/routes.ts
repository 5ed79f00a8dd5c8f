// The channels' API (issue 12, Collections item 3): the embedded mailbox's caught mail, in-app notifications,
// webhook endpoints and their deliveries, letters and call tasks. Messages themselves are decided elsewhere (the
// collections engine) and leave through the outbox; nothing here sends.
import type { Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { FreeText, Name } from "../http/validate.ts";
import { HttpError, forbidden, notFound } from "../errors.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { CaughtMail } from "./mailbox.ts";
import type { OutboxMessage } from "./store.ts";
import type { CallTaskRecord, LetterRecord, NotificationRecord, WebhookDeliveryRecord, WebhookEndpointRecord } from "./channels-store.ts";
import { checkTarget, newSecret, TargetRefused } from "./webhooks.ts";
import { renderLetterPdf } from "./letter-pdf.ts";
import { mayDo } from "../../common/desk-roles.ts";
import { MailJson, MailList, NotificationJson, EndpointJson, DeliveryJson, LetterJson, CallTaskJson } from "../../common/api/notifications.ts";

const Id = z
  .string()
  .regex(/^\d{1,10}$/, "must be a positive integer id")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be a positive integer id").max(2_147_483_647, "must be a positive integer id"));
const IdParams = z.strictObject({ id: Id });
const Limit = z
  .string()
  .regex(/^\d{1,4}$/, "must be a page size 1..500")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be a page size 1..500").max(500, "must be a page size 1..500"));
const Bool = z.enum(["true", "false"], { error: "must be true or false" }).transform((s) => s === "true");

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const notificationJson = (n: NotificationRecord): z.infer<typeof NotificationJson> => ({
  id: n.id,
  member: n.member,
  person: n.person,
  sender: n.sender,
  title: n.title,
  body: n.body,
  language: n.language,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: iso(n.readAt),
  readBy: n.readBy,
});
const endpointJson = (e: WebhookEndpointRecord): z.infer<typeof EndpointJson> => ({
  id: e.id,
  member: e.member,
  url: e.url,
  description: e.description,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  active: e.disabledAt === null,
  disabledAt: iso(e.disabledAt),
  disabledBy: e.disabledBy,
});
const letterJson = (l: LetterRecord): z.infer<typeof LetterJson> => ({
  id: l.id,
  sender: l.sender,
  recipientMember: l.recipientMember,
  addressee: l.addressee,
  subject: l.subject,
  body: l.body,
  language: l.language,
  createdAt: l.createdAt.toISOString(),
});
const callTaskJson = (c: CallTaskRecord): z.infer<typeof CallTaskJson> => ({
  id: c.id,
  member: c.member,
  assignee: c.assignee,
  callee: c.callee,
  recipientMember: c.recipientMember,
  subject: c.subject,
  note: c.note,
  language: c.language,
  dueAt: c.dueAt.toISOString(),
  createdAt: c.createdAt.toISOString(),
  doneAt: iso(c.doneAt),
  doneBy: c.doneBy,
  outcome: c.outcome,
});

const MAILBOX_ACCESS =
  "a session. The operator sees every caught message; a member (its administrator and staff) the messages the outbox sent for it (sender) or addressed to it (recipientMember); anyone else nothing. 404 when this process runs no embedded SMTP receiver (SMTP_URL is set, or an API-only process).";
const MEMBER_ACCESS = "a session of a member (its administrator or staff): its own rows only; another member's id is 404.";
const ADMIN_ACCESS = "the member's administrator (its own key); staff 403.";

export function notificationRoutes(router: Router, ctx: AppContext) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const n = ctx.notifications;

  function mayReadMail(v: Viewer, m: OutboxMessage | undefined): boolean {
    if (v.isOperator) return true;
    return !!m && (m.sender === v.member || m.recipientMember === v.member);
  }
  function mailbox() {
    if (!n.mailbox) throw notFound("no embedded mailbox: this server sends e-mail through SMTP_URL (or is an API-only process)");
    return n.mailbox;
  }
  const mailJson = (c: CaughtMail, m: OutboxMessage | undefined): z.infer<typeof MailJson> => ({
    id: c.id,
    messageId: c.messageId,
    from: c.from,
    to: c.to,
    subject: c.subject,
    text: c.text,
    html: c.html,
    language: c.language,
    receivedAt: c.receivedAt.toISOString(),
    deliveries: c.deliveries,
    sender: m?.sender ?? null,
    recipientMember: m?.recipientMember ?? null,
    dedupeKey: m?.dedupeKey ?? null,
  });
  async function outboxOf(mails: CaughtMail[]): Promise<Map<string, OutboxMessage>> {
    const rows = await n.outbox.byMessageIds([...new Set(mails.map((c) => c.messageId))]);
    return new Map(rows.filter((m) => m.channel === "email").map((m) => [m.messageId, m]));
  }

  r(
    {
      method: "get",
      path: "/api/mailbox",
      tag: "notifications",
      auth: "session",
      summary: "E-mail the embedded SMTP receiver caught (the demo's stand-in for the recipients' mail servers), newest first",
      query: z.strictObject({ limit: Limit.optional().default(100) }),
      response: MailList,
      access: MAILBOX_ACCESS,
    },
    async ({ viewer, query }) => {
      const box = mailbox();
      const out: z.infer<typeof MailList>["items"] = [];
      const all = box.messages();
      // Pages of caught mail are matched to their outbox rows (which say who sent them for whom) until the page is full.
      for (let i = 0; i < all.length && out.length < query.limit; i += 500) {
        const chunk = all.slice(i, i + 500);
        const rows = await outboxOf(chunk);
        for (const c of chunk) {
          const m = rows.get(c.messageId);
          if (!mayReadMail(viewer!, m)) continue;
          const { text, html: _html, ...rest } = mailJson(c, m);
          out.push({ ...rest, preview: text.replace(/\s+/g, " ").trim().slice(0, 160) });
          if (out.length === query.limit) break;
        }
      }
      return { items: out };
    },
  );

  r(
    {
      method: "get",
      path: "/api/mailbox/:id",
      tag: "notifications",
      auth: "session",
      summary: "One caught e-mail with its text (and HTML as sent)",
      params: IdParams,
      response: MailJson,
      access: MAILBOX_ACCESS,
    },
    async ({ viewer, params }) => {
      const c = mailbox().message(params.id);
      const m = c ? (await outboxOf([c])).get(c.messageId) : undefined;
      if (!c || !mayReadMail(viewer!, m)) throw notFound(`no caught message ${params.id}`);
      return mailJson(c, m);
    },
  );

  // ── in-app notifications ──
  r(
    {
      method: "get",
      path: "/api/notifications",
      tag: "notifications",
      auth: "session",
      summary: "The viewer's in-app notifications: unread first, each group newest first; with the unread count",
      query: z.strictObject({ limit: Limit.optional().default(50) }),
      response: z.object({ unread: z.number(), items: z.array(NotificationJson) }),
      access: "a session: the notifications of the viewer's member addressed to the whole member, and those addressed to the viewer in person (a staff key).",
    },
    async ({ viewer, query }) => {
      const { items, unread } = await n.channels.notificationsFor(viewer!.member, viewer!.address, query.limit);
      return { unread, items: items.map(notificationJson) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/notifications/:id/read",
      tag: "notifications",
      auth: "session",
      summary: "Marks a notification read (for everyone of the member when it is addressed to the member)",
      params: IdParams,
      response: NotificationJson,
      access: "whoever sees it (GET /api/notifications); others 404. Reading it again keeps the first reader and time.",
    },
    async ({ viewer, params }) => {
      const x = await n.channels.notification(params.id);
      if (!x || x.member !== viewer!.member || (x.person !== null && x.person !== viewer!.address)) throw notFound(`no notification ${params.id}`);
      return notificationJson(await n.channels.markRead(x.id, viewer!.address, new Date()));
    },
  );

  // ── webhooks ──
  function requireMember(v: Viewer) {
    if (v.roles === 0 && !v.isOperator) throw forbidden("webhooks are for members of the consortium");
  }
  function requireAdministrator(v: Viewer) {
    requireMember(v);
    if (!v.administrator) throw forbidden("only the member's administrator (its own key) manages its webhook endpoints");
  }

  r(
    {
      method: "get",
      path: "/api/webhooks/endpoints",
      tag: "notifications",
      auth: "session",
      summary: "The member's webhook endpoints (never their secrets)",
      response: z.object({ items: z.array(EndpointJson) }),
      access: MEMBER_ACCESS,
    },
    async ({ viewer }) => {
      requireMember(viewer!);
      return { items: (await n.channels.endpointsOf(viewer!.member)).map(endpointJson) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/webhooks/endpoints",
      tag: "notifications",
      auth: "session",
      summary: "Registers a webhook endpoint; the answer shows its signing secret, this once",
      body: z.strictObject({ url: z.string().min(1, "must not be empty").max(2_000, "at most 2,000 characters"), description: Name(200).optional() }),
      response: EndpointJson.extend({ secret: z.string().describe("HMAC-SHA256 key of X-Ledger-Signature; shown only in this answer") }),
      access: `${ADMIN_ACCESS} The URL must be http(s), without credentials, and resolve to public addresses only (private, loopback and link-local targets are refused with 400 unless WEBHOOK_ALLOW_PRIVATE allows them). At most 10 active endpoints per member.`,
      description:
        "Each message on channel webhook to this member is POSTed as JSON to every active endpoint with X-Ledger-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>, X-Ledger-Timestamp (unix seconds of the attempt) and X-Ledger-Delivery (the same id on every retry). A 2xx answer is delivered; anything else is retried with the outbox's backoff, then dead (see deliveries).",
    },
    async ({ viewer, body, res }) => {
      requireAdministrator(viewer!);
      let url: URL;
      try {
        url = await checkTarget(body.url, n.targets);
      } catch (err) {
        throw new HttpError(400, err instanceof TargetRefused ? "webhook_target_refused" : "bad_request", (err as Error).message);
      }
      const active = (await n.channels.endpointsOf(viewer!.member)).filter((e) => e.disabledAt === null);
      if (active.length >= 10) throw new HttpError(409, "conflict", "at most 10 active webhook endpoints per member: remove one first");
      const e = await n.channels.addEndpoint({
        member: viewer!.member,
        url: url.toString(),
        secret: newSecret(),
        description: body.description ?? null,
        createdBy: viewer!.address,
        createdAt: new Date(),
      });
      res.status(201);
      return { ...endpointJson(e), secret: e.secret };
    },
  );

  r(
    {
      method: "delete",
      path: "/api/webhooks/endpoints/:id",
      tag: "notifications",
      auth: "session",
      summary: "Removes (disables) a webhook endpoint; kept as history",
      params: IdParams,
      response: EndpointJson,
      access: `${ADMIN_ACCESS} Another member's endpoint 404.`,
    },
    async ({ viewer, params }) => {
      requireAdministrator(viewer!);
      const e = await n.channels.endpoint(params.id);
      if (!e || e.member !== viewer!.member) throw notFound(`no webhook endpoint ${params.id}`);
      await n.channels.disableEndpoint(e.id, viewer!.address, new Date());
      return endpointJson((await n.channels.endpoint(e.id))!);
    },
  );

  async function deliveryJson(d: WebhookDeliveryRecord, urls: Map<number, string>): Promise<z.infer<typeof DeliveryJson>> {
    const m = await n.outbox.byId(d.outboxId);
    return {
      id: d.id,
      deliveryId: d.deliveryId,
      endpointId: d.endpointId,
      url: urls.get(d.endpointId) ?? null,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      lastAttemptAt: iso(d.lastAttemptAt),
      deliveredAt: iso(d.deliveredAt),
      createdAt: d.createdAt.toISOString(),
      key: m?.dedupeKey ?? null,
      subject: m?.subject ?? null,
    };
  }

  r(
    {
      method: "get",
      path: "/api/webhooks/deliveries",
      tag: "notifications",
      auth: "session",
      summary: "The member's webhook deliveries, newest first (status: pending, delivered, failed = retrying, dead)",
      query: z.strictObject({
        status: z.enum(["pending", "delivered", "failed", "dead"], { error: "must be pending, delivered, failed or dead" }).optional(),
        limit: Limit.optional().default(100),
      }),
      response: z.object({ items: z.array(DeliveryJson) }),
      access: MEMBER_ACCESS,
    },
    async ({ viewer, query }) => {
      requireMember(viewer!);
      const urls = new Map((await n.channels.endpointsOf(viewer!.member)).map((e) => [e.id, e.url]));
      const rows = await n.channels.deliveriesOf(viewer!.member, { ...(query.status ? { status: query.status } : {}), limit: query.limit });
      return { items: await Promise.all(rows.map((d) => deliveryJson(d, urls))) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/webhooks/deliveries/:id/requeue",
      tag: "notifications",
      auth: "session",
      summary: "Sends a dead delivery again (its message back to pending, attempts counted afresh)",
      params: IdParams,
      response: DeliveryJson,
      access: `${ADMIN_ACCESS} Another member's delivery 404; one that is not dead 409.`,
    },
    async ({ viewer, params }) => {
      requireAdministrator(viewer!);
      const d = await n.channels.delivery(params.id);
      if (!d || d.member !== viewer!.member) throw notFound(`no webhook delivery ${params.id}`);
      if (d.status !== "dead") throw new HttpError(409, "not_dead", `delivery ${d.id} is ${d.status}: only a dead delivery is re-queued`);
      await n.channels.requeueDelivery(d.id);
      await n.outbox.requeue(d.outboxId);
      const urls = new Map((await n.channels.endpointsOf(viewer!.member)).map((e) => [e.id, e.url]));
      return await deliveryJson((await n.channels.delivery(d.id))!, urls);
    },
  );

  // ── letters ──
  r(
    {
      method: "get",
      path: "/api/letters",
      tag: "notifications",
      auth: "session",
      summary: "Letters the outbox produced (channel letter), newest first",
      query: z.strictObject({ limit: Limit.optional().default(100) }),
      response: z.object({ items: z.array(LetterJson) }),
      access: "a session: the operator all letters; a member those it sent and those addressed to it.",
    },
    async ({ viewer, query }) => ({ items: (await n.channels.lettersFor(viewer!.isOperator ? null : viewer!.member, query.limit)).map(letterJson) }),
  );

  r(
    {
      method: "get",
      path: "/api/letters/:id",
      tag: "notifications",
      auth: "session",
      summary: "One letter (its text; the PDF: GET /api/letters/:id/pdf)",
      params: IdParams,
      response: LetterJson,
      access: "as GET /api/letters; others 404.",
    },
    async ({ viewer, params }) => {
      const l = await n.channels.letter(params.id);
      if (!l || !(viewer!.isOperator || l.sender === viewer!.member || l.recipientMember === viewer!.member)) throw notFound(`no letter ${params.id}`);
      return letterJson(l);
    },
  );

  r(
    {
      method: "get",
      path: "/api/letters/:id/pdf",
      tag: "notifications",
      auth: "session",
      summary: "A letter as PDF (A4, in the letter's language, the CJK font embedded)",
      params: IdParams,
      produces: "application/pdf",
      access:
        "the creditor that sent it: its administrator, or its staff with the collector or collections-manager desk role (who may see its collection cases); everyone else 404.",
      description:
        "The stored letter (its text rendered from the dunning level's template in the addressee's language, amounts and dates formatted by locale) laid out with the creditor, the date, the addressee, the subject and the body. The font is LETTER_FONT (a TrueType .ttf, or \"file.ttc#PostScriptName\"), default Debian's WenQuanYi Micro Hei; missing, 503 font_missing.",
    },
    async ({ viewer, params, res }) => {
      const v = viewer!;
      const l = await n.channels.letter(params.id);
      if (!l || !v.active || l.sender !== v.member || !mayDo(v, "collections")) throw notFound(`no letter ${params.id}`);
      const name = async (a: string) => (await ctx.companies.get(a))?.legalName ?? a;
      const pdf = await renderLetterPdf(l, { sender: await name(l.sender), addressee: await name(l.addressee) });
      res.status(200).type("application/pdf").set("Content-Disposition", `attachment; filename="letter-${l.id}.pdf"`).send(Buffer.from(pdf));
      return undefined;
    },
  );

  // ── call tasks ──
  r(
    {
      method: "get",
      path: "/api/call-tasks",
      tag: "notifications",
      auth: "session",
      summary: "The member's call tasks (channel call): open ones by due date, then done ones newest first",
      query: z.strictObject({
        open: Bool.optional(),
        mine: Bool.optional().describe("only those assigned to the viewer in person"),
        limit: Limit.optional().default(100),
      }),
      response: z.object({ items: z.array(CallTaskJson) }),
      access: MEMBER_ACCESS,
    },
    async ({ viewer, query }) => {
      requireMember(viewer!);
      const rows = await n.channels.callTasksOf(viewer!.member, {
        ...(query.open ? { open: true } : {}),
        ...(query.mine ? { assignee: viewer!.address } : {}),
        limit: query.limit,
      });
      return { items: rows.map(callTaskJson) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/call-tasks/:id/done",
      tag: "notifications",
      auth: "session",
      summary: "Records a call task as done, with its outcome",
      params: IdParams,
      body: z.strictObject({ outcome: FreeText(2_000) }),
      response: CallTaskJson,
      access: `${MEMBER_ACCESS} A task already done 409.`,
    },
    async ({ viewer, params, body }) => {
      requireMember(viewer!);
      const c = await n.channels.callTask(params.id);
      if (!c || c.member !== viewer!.member) throw notFound(`no call task ${params.id}`);
      if (!(await n.channels.completeCallTask(c.id, viewer!.address, body.outcome, new Date())))
        throw new HttpError(409, "already_done", `call task ${c.id} is already done`);
      return callTaskJson((await n.channels.callTask(c.id))!);
    },
  );
}
