// Collections API (issue 12): dunning policies, customers and assignment, worklists, cases, contacts, promises,
// approvals, runs and KPIs. Everything is the signed-in person's member's (the creditor's): another creditor's
// case is 404.
import type { Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address, ReceivableId } from "../http/validate.ts";
import { DateOnly } from "../reports/schemas.ts";
import { PolicyBody, TIERS, LANGUAGES, CHANNELS } from "./policy.ts";
import { isoDay } from "./service.ts";

export const COLLECTIONS_ACCESS =
  "a session of a member's administrator or of its staff with the collector or collections-manager desk role. The creditor is the person's member: " +
  "cases are the receivables it holds. A collector sees its member's cases and its own worklist, and logs contacts and promises on the cases assigned to it; " +
  "the collections manager (and the administrator) sees every collector's list, assigns, edits policies, customers and rules, approves levels and starts runs. Another creditor's case is 404.";

export const DUNNING =
  "A dunning run decides levels from facts final on chain only: each receivable's state as of the final block (the indexed checkpoint, at most head − finality depth), aged at that block's UTC day. " +
  "A case exists per receivable (Registered, Confirmed, Disputed or Defaulted, something outstanding) once it is within its policy's first level (days relative to the due date; negative = before due). " +
  "Only the level due now is decided (after downtime: the current one, never the skipped ones), never a lower one; a decided level's fee is charged once; its messages go to the outbox with dedupeKey dunning:<receivable>:<level>:<channel>, sent once. " +
  "A payment, a dispute, a promise to pay or the receivable leaving the case (paid, sold, cancelled) cancels what is not sent yet. A broken promise (not paid by the promised date + the policy's grace) moves the case to the policy's broken-promise level.";

export const SCORE =
  "Score = amount (1 point per 1,000 tokens outstanding, at most 100) + days past due (1 point a day, at most 100) + risk (0 until the early-warning score exists) + 25 per broken promise; highest first, ties by due date, then id. Ordered in SQL.";

const Tier = z.enum(TIERS);
const Int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be an integer ${min}..${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const Amount = z.string().regex(/^[1-9]\d{0,38}$/, "must be a positive integer amount in base units");
const CaseParams = z.strictObject({ id: z.string().uuid("must be a case id") });
const Level = z.number().int();

const WorklistQuery = z.strictObject({
  collector: z
    .union([Address, z.literal("unassigned")])
    .optional()
    .describe("a collector's address, or unassigned (managers only; a collector sees its own)"),
  status: z.enum(["open", "closed"]).optional().default("open"),
  limit: Int(1, 500).optional().default(50),
  offset: Int(0, 10_000_000).optional().default(0),
});

const CustomerBody = z.strictObject({
  tier: Tier,
  email: z.string().email("must be an e-mail address").nullable().default(null),
  language: z.enum(LANGUAGES).default("en"),
});

const AssignmentBody = z.strictObject({
  defaultCollector: Address.nullable().default(null),
  rules: z
    .array(
      z.strictObject({
        buyer: Address.nullable().default(null),
        tier: Tier.nullable().default(null),
        minAmount: Amount.nullable().default(null),
        maxAmount: Amount.nullable().default(null),
        collector: Address,
      }),
    )
    .max(200),
});

const ContactBody = z.strictObject({
  channel: z.enum([...CHANNELS, "visit", "meeting"]),
  outcome: z.enum(["reached", "noAnswer", "promised", "disputed", "refused", "wrongContact", "other"]),
  note: z.string().trim().max(4000).default(""),
});

const PromiseBody = z.strictObject({
  amount: Amount,
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .refine((s) => !Number.isNaN(Date.parse(s + "T00:00:00Z")) && new Date(s + "T00:00:00Z").toISOString().slice(0, 10) === s, "is not a real calendar date"),
  receivables: z.array(ReceivableId).min(1).max(100).optional(),
});

const KpiQuery = z.strictObject({ from: DateOnly, to: DateOnly });

export function collectionRoutes(router: Router, ctx: AppContext) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const c = ctx.collections;
  const tag = "collections";

  r(
    {
      method: "get",
      path: "/api/collections/policies",
      tag,
      auth: "session",
      summary: "The creditor's dunning policies for tiers A, B and C (its own, or the default)",
      access: COLLECTIONS_ACCESS,
      description: DUNNING,
    },
    async ({ viewer }) => await c.policies(viewer!),
  );
  r(
    {
      method: "put",
      path: "/api/collections/policies/:tier",
      tag,
      auth: "session",
      summary: "Sets the creditor's dunning policy of a tier (collections manager)",
      params: z.strictObject({ tier: Tier }),
      body: PolicyBody,
      access: COLLECTIONS_ACCESS,
      description:
        "Levels: strictly increasing days relative to the due date (−3650..3650), at least one channel (email, inapp, webhook, letter, call), templates (subject, body) in en and zh-CN with the placeholders {amount}, {dueDate}, {daysPastDue}, {invoiceNumber}, {creditor}; an optional fee (fixed amount in base units, or interest in bps of the outstanding amount), charged once; needsApproval holds the level for the manager.",
    },
    async ({ viewer, params, body }) => await c.putPolicy(viewer!, params.tier, body),
  );
  r(
    {
      method: "delete",
      path: "/api/collections/policies/:tier",
      tag,
      auth: "session",
      summary: "Returns a tier to the default policy (collections manager)",
      params: z.strictObject({ tier: Tier }),
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, params }) => await c.resetPolicy(viewer!, params.tier),
  );
  r(
    {
      method: "put",
      path: "/api/collections/customers/:buyer",
      tag,
      auth: "session",
      summary: "A customer's tier, e-mail address and language for reminders (collections manager)",
      params: z.strictObject({ buyer: Address }),
      body: CustomerBody,
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, params, body }) => await c.putCustomer(viewer!, params.buyer, body),
  );
  r(
    {
      method: "get",
      path: "/api/collections/assignment",
      tag,
      auth: "session",
      summary: "Assignment rules (first match by buyer, tier, amount band) and the default collector",
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer }) => await c.assignment(viewer!),
  );
  r(
    {
      method: "put",
      path: "/api/collections/assignment",
      tag,
      auth: "session",
      summary: "Replaces the assignment rules and the default collector (collections manager); they assign new cases",
      body: AssignmentBody,
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, body }) => await c.putAssignment(viewer!, body),
  );

  r(
    {
      method: "get",
      path: "/api/collections/worklist",
      tag,
      auth: "session",
      summary: "A collector's cases by score with its parts and the next action and its date, paged",
      query: WorklistQuery,
      access: COLLECTIONS_ACCESS,
      description: [SCORE, DUNNING].join("\n\n"),
    },
    async ({ viewer, query }) => await c.worklist(viewer!, query),
  );
  r(
    {
      method: "get",
      path: "/api/collections/cases/:id",
      tag,
      auth: "session",
      summary: "A case: its levels and messages, charges, contacts and promises",
      params: CaseParams,
      access: COLLECTIONS_ACCESS,
      description: DUNNING,
    },
    async ({ viewer, params }) => await c.getCase(viewer!, params.id),
  );
  r(
    {
      method: "put",
      path: "/api/collections/cases/:id/collector",
      tag,
      auth: "session",
      summary: "Reassigns a case (collections manager)",
      params: CaseParams,
      body: z.strictObject({ collector: Address.nullable() }),
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, params, body }) => await c.reassign(viewer!, params.id, body.collector),
  );
  r(
    {
      method: "post",
      path: "/api/collections/cases/:id/contacts",
      tag,
      auth: "session",
      summary: "Logs a contact (channel, outcome, note; the person is the signed-in one)",
      params: CaseParams,
      body: ContactBody,
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, params, body }) => await c.logContact(viewer!, params.id, body),
  );
  r(
    {
      method: "post",
      path: "/api/collections/cases/:id/promises",
      tag,
      auth: "session",
      summary: "Records a promise to pay (amount by a date, over receivables of the creditor; default the case's): dunning pauses until the date + grace",
      params: CaseParams,
      body: PromiseBody,
      access: COLLECTIONS_ACCESS,
      description: DUNNING,
    },
    async ({ viewer, params, body }) => await c.addPromise(viewer!, params.id, body),
  );
  r(
    {
      method: "post",
      path: "/api/collections/cases/:id/approvals",
      tag,
      auth: "session",
      summary: "Approves a level that needs approval (collections manager); its messages go out",
      params: CaseParams,
      body: z.strictObject({ level: Level }),
      access: COLLECTIONS_ACCESS,
    },
    async ({ viewer, params, body }) => await c.approve(viewer!, params.id, body.level),
  );
  r(
    {
      method: "post",
      path: "/api/collections/runs",
      tag,
      auth: "session",
      summary: "Runs dunning now for the creditor (collections manager); the server also runs it on an interval",
      access: COLLECTIONS_ACCESS,
      description: DUNNING,
    },
    async ({ viewer }) => await c.run(viewer!),
  );
  r(
    {
      method: "get",
      path: "/api/collections/kpis",
      tag,
      auth: "session",
      summary: "Collection KPIs per collector and for the team over a period",
      query: KpiQuery,
      access: COLLECTIONS_ACCESS,
      description:
        "Cases worked: cases with a contact the person logged in the period. Actions due: levels decided in the period on the collector's cases (cancelled and superseded ones not counted); done: every message left the outbox and, for a call, a contact was logged since. Amount collected: payments the runs saw on the collector's cases in the period (a reorg's removal counts negative). Promises secured: made in the period; fell due: promised date in the period and resolved; kept: paid in full by the promised date + grace. Promise-kept rate = kept / fell due × 100 (null when none fell due).",
    },
    async ({ viewer, query }) => await c.kpis(viewer!, { from: isoDay(query.from), to: isoDay(query.to) }),
  );
}
