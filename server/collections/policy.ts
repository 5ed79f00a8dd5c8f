// Dunning policies (DOMAIN.md, "Collections"): levels keyed on days relative to the due date (negative = before
// due), each with channels, templates per language, an optional fee or interest charged once, and whether a person
// approves it first. The defaults for tiers A, B and C ship here; a creditor's own policy replaces its tier's
// default. Pure: validation, level choice and template rendering, no I/O.
import { z } from "zod";
import { DAY_S } from "../../common/units.ts";
import { SETTLEMENT_DECIMALS } from "../../common/money.ts";

export const TIERS = ["A", "B", "C"] as const;
export type Tier = (typeof TIERS)[number];
export const DEFAULT_TIER: Tier = "B";

export const CHANNELS = ["email", "inapp", "webhook", "letter", "call"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels that leave through the outbox (a call is a task for a person, kept on the case). */
export const OUTBOX_CHANNELS = ["email", "inapp", "webhook", "letter"] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_PROMISE_GRACE_DAYS = 3;
export const MAX_LEVEL_DAYS = 3650;

export interface Template {
  subject: string;
  body: string;
}

export type Fee = { kind: "fixed"; amount: bigint } | { kind: "interest"; bps: number };

export interface Level {
  /** Days relative to the due date: −3 = three days before it, 30 = thirty days past it. */
  days: number;
  name: string;
  channels: Channel[];
  templates: Record<Language, Template>;
  fee: Fee | null;
  needsApproval: boolean;
}

export interface Policy {
  tier: Tier;
  levels: Level[];
  promiseGraceDays: number;
  /** The level (its days) a broken promise moves the case to; null: the next level after the current one. */
  brokenPromiseLevel: number | null;
}

/** The placeholders a template may use, each replaced by the locale's formatting. */
export const PLACEHOLDERS = ["amount", "dueDate", "daysPastDue", "invoiceNumber", "creditor"] as const;

// ───────────────────────────────────────────────────────────── defaults ──

const T = {
  friendly: {
    en: {
      subject: "Friendly reminder: invoice {invoiceNumber} is due on {dueDate}",
      body: "Dear customer,\n\ninvoice {invoiceNumber} for {amount} falls due on {dueDate}. If it is already on its way, thank you.\n\n{creditor}",
    },
    "zh-CN": {
      subject: "温馨提示：发票 {invoiceNumber} 将于 {dueDate} 到期",
      body: "尊敬的客户：\n\n发票 {invoiceNumber}，金额 {amount}，将于 {dueDate} 到期。如已安排付款，谢谢。\n\n{creditor}",
    },
  },
  reminder: {
    en: {
      subject: "Reminder: invoice {invoiceNumber} is {daysPastDue} days past due",
      body: "Dear customer,\n\ninvoice {invoiceNumber} for {amount} was due on {dueDate} and is {daysPastDue} days past due. Please pay it now.\n\n{creditor}",
    },
    "zh-CN": {
      subject: "付款提醒：发票 {invoiceNumber} 已逾期 {daysPastDue} 天",
      body: "尊敬的客户：\n\n发票 {invoiceNumber}，金额 {amount}，已于 {dueDate} 到期，现逾期 {daysPastDue} 天。请尽快付款。\n\n{creditor}",
    },
  },
  formal: {
    en: {
      subject: "Formal notice: invoice {invoiceNumber}, {amount} overdue",
      body: "Dear customer,\n\ndespite our reminders, invoice {invoiceNumber} for {amount}, due on {dueDate}, is {daysPastDue} days past due. We ask you to pay it within 7 days, failing which we will take further steps.\n\n{creditor}",
    },
    "zh-CN": {
      subject: "正式催告函：发票 {invoiceNumber} 逾期 {amount}",
      body: "尊敬的客户：\n\n经多次提醒，发票 {invoiceNumber}，金额 {amount}，到期日 {dueDate}，已逾期 {daysPastDue} 天。请于 7 日内付款，否则我方将采取进一步措施。\n\n{creditor}",
    },
  },
  agency: {
    en: {
      subject: "Final notice before collection agency: invoice {invoiceNumber}",
      body: "Dear customer,\n\ninvoice {invoiceNumber} for {amount} is {daysPastDue} days past due. Unless paid, it will be handed to a collection agency.\n\n{creditor}",
    },
    "zh-CN": {
      subject: "移交催收机构前最后通知：发票 {invoiceNumber}",
      body: "尊敬的客户：\n\n发票 {invoiceNumber}，金额 {amount}，已逾期 {daysPastDue} 天。如不付款，将移交第三方催收机构。\n\n{creditor}",
    },
  },
  legal: {
    en: {
      subject: "Notice of legal action: invoice {invoiceNumber}",
      body: "Dear customer,\n\ninvoice {invoiceNumber} for {amount} is {daysPastDue} days past due. Unless paid, we will start legal proceedings.\n\n{creditor}",
    },
    "zh-CN": {
      subject: "法律行动通知：发票 {invoiceNumber}",
      body: "尊敬的客户：\n\n发票 {invoiceNumber}，金额 {amount}，已逾期 {daysPastDue} 天。如不付款，我方将提起法律程序。\n\n{creditor}",
    },
  },
} satisfies Record<string, Record<Language, Template>>;

const lv = (days: number, name: keyof typeof T, channels: Channel[], extra: Partial<Pick<Level, "fee" | "needsApproval">> = {}): Level => ({
  days,
  name,
  channels,
  templates: T[name],
  fee: extra.fee ?? null,
  needsApproval: extra.needsApproval ?? false,
});

/** The policies every creditor starts with. */
export const DEFAULT_POLICIES: Record<Tier, Policy> = {
  A: {
    tier: "A",
    promiseGraceDays: DEFAULT_PROMISE_GRACE_DAYS,
    brokenPromiseLevel: 30,
    levels: [lv(-3, "friendly", ["email"]), lv(7, "reminder", ["email", "inapp"]), lv(30, "formal", ["email", "letter"])],
  },
  B: {
    tier: "B",
    promiseGraceDays: DEFAULT_PROMISE_GRACE_DAYS,
    brokenPromiseLevel: 45,
    levels: [
      lv(-7, "friendly", ["email"]),
      lv(1, "reminder", ["email", "inapp"]),
      lv(15, "reminder", ["email", "call"]),
      lv(45, "formal", ["email", "letter"]),
      lv(60, "agency", ["letter", "call"], { needsApproval: true }),
    ],
  },
  C: {
    tier: "C",
    promiseGraceDays: DEFAULT_PROMISE_GRACE_DAYS,
    brokenPromiseLevel: 30,
    levels: [
      lv(-10, "friendly", ["email"]),
      lv(1, "reminder", ["email", "inapp"]),
      lv(7, "reminder", ["email", "call"]),
      lv(30, "formal", ["email", "letter"], { fee: { kind: "interest", bps: 100 } }),
      lv(45, "legal", ["letter", "call"], { needsApproval: true }),
    ],
  },
};

// ──────────────────────────────────────────────────────────── validation ──

const TemplateSchema = z.strictObject(
  {
    subject: z.string().trim().min(1, "required").max(300),
    body: z.string().trim().min(1, "required").max(10_000),
  },
  { error: "a template (subject and body) is required in each language, en and zh-CN" },
);

const FeeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fixed"), amount: z.string().regex(/^[1-9][0-9]{0,30}$/, "a positive integer amount in token units") }),
  z.strictObject({ kind: z.literal("interest"), bps: z.number().int().min(1).max(10_000) }),
]);

export const LevelSchema = z.strictObject({
  days: z.number().int().min(-MAX_LEVEL_DAYS).max(MAX_LEVEL_DAYS),
  name: z.string().trim().min(1).max(60),
  channels: z.array(z.enum(CHANNELS)).min(1, "give at least one channel").max(CHANNELS.length),
  templates: z.strictObject({ en: TemplateSchema, "zh-CN": TemplateSchema }, { error: "templates in both languages (en and zh-CN) are required" }),
  fee: FeeSchema.nullable().default(null),
  needsApproval: z.boolean().default(false),
});

export const PolicyBody = z
  .strictObject({
    levels: z.array(LevelSchema).min(1, "give at least one level").max(20),
    promiseGraceDays: z.number().int().min(0).max(60).default(DEFAULT_PROMISE_GRACE_DAYS),
    brokenPromiseLevel: z.number().int().nullable().default(null),
  })
  .superRefine((p, ctx) => {
    p.levels.forEach((l, i) => {
      const prev = p.levels[i - 1];
      if (prev && l.days <= prev.days)
        ctx.addIssue({ code: "custom", path: ["levels", i, "days"], message: `levels must have strictly increasing days: ${l.days} follows ${prev.days}` });
      if (new Set(l.channels).size !== l.channels.length)
        ctx.addIssue({ code: "custom", path: ["levels", i, "channels"], message: "a channel is listed twice" });
      for (const lang of LANGUAGES) {
        for (const part of ["subject", "body"] as const) {
          for (const m of l.templates[lang][part].matchAll(/\{(\w+)\}/g)) {
            if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!))
              ctx.addIssue({
                code: "custom",
                path: ["levels", i, "templates", lang, part],
                message: `unknown placeholder {${m[1]}}; use ${PLACEHOLDERS.map((x) => `{${x}}`).join(", ")}`,
              });
          }
        }
      }
    });
    if (p.brokenPromiseLevel !== null && !p.levels.some((l) => l.days === p.brokenPromiseLevel)) {
      ctx.addIssue({ code: "custom", path: ["brokenPromiseLevel"], message: `no level has days ${p.brokenPromiseLevel}` });
    }
  });
export type PolicyInput = z.infer<typeof PolicyBody>;

export function policyFromInput(tier: Tier, p: PolicyInput): Policy {
  return {
    tier,
    promiseGraceDays: p.promiseGraceDays,
    brokenPromiseLevel: p.brokenPromiseLevel,
    levels: p.levels.map((l) => ({ ...l, fee: l.fee === null ? null : l.fee.kind === "fixed" ? { kind: "fixed", amount: BigInt(l.fee.amount) } : l.fee })),
  };
}

/** Levels as stored and shown (fees' amounts as decimal strings). */
export function levelsJson(levels: Level[]) {
  return levels.map((l) => ({
    ...l,
    fee: l.fee === null ? null : l.fee.kind === "fixed" ? { kind: "fixed" as const, amount: l.fee.amount.toString() } : l.fee,
  }));
}

export function levelsFromJson(text: string): Level[] {
  return (JSON.parse(text) as ReturnType<typeof levelsJson>).map((l) => ({
    ...l,
    fee: l.fee === null ? null : l.fee.kind === "fixed" ? { kind: "fixed", amount: BigInt(l.fee.amount) } : l.fee,
  }));
}

// ───────────────────────────────────────────────────────────── decisions ──

export const dayOf = (unix: number) => Math.floor(unix / DAY_S);

/** Days past due at a UTC day (negative before the due day), as the reports age. */
export function daysRelative(dueDate: number, day: number): number {
  return day - dayOf(dueDate);
}

/** The level due at `days` relative to the due date: the last one whose days have come (null before the first). */
export function currentLevel(policy: Policy, days: number): Level | null {
  let out: Level | null = null;
  for (const l of policy.levels) if (l.days <= days) out = l;
  return out;
}

/** The level after the one with `days` (the first when null). */
export function levelAfter(policy: Policy, days: number | null): Level | null {
  return policy.levels.find((l) => days === null || l.days > days) ?? null;
}

/** A level's fee on an outstanding amount: fixed, or simple interest of `bps` on what is outstanding (once). */
export function feeAmount(fee: Fee, outstanding: bigint): bigint {
  return fee.kind === "fixed" ? fee.amount : (outstanding * BigInt(fee.bps)) / 10_000n;
}

// ────────────────────────────────────────────────────────────── rendering ──

export interface TemplateFacts {
  /** base units */
  amount: bigint;
  currency: string;
  dueDate: number;
  daysPastDue: number;
  invoiceNumber: string;
  creditor: string;
}

/** An amount in base units as a decimal string (exact, no float). */
function decimalOf(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(decimals + 1, "0");
  return `${neg ? "-" : ""}${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

export function formatMoney(units: bigint, currency: string, language: Language, decimals = SETTLEMENT_DECIMALS): string {
  // Intl formats a decimal string exactly (no float rounding); two fraction digits as invoices show money.
  return new Intl.NumberFormat(language, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    decimalOf(units, decimals) as unknown as number,
  );
}

export function formatDate(unix: number, language: Language): string {
  return new Intl.DateTimeFormat(language, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(unix * 1000));
}

export function render(t: Template, f: TemplateFacts, language: Language): Template {
  const values: Record<string, string> = {
    amount: formatMoney(f.amount, f.currency, language),
    dueDate: formatDate(f.dueDate, language),
    daysPastDue: new Intl.NumberFormat(language).format(Math.abs(f.daysPastDue)),
    invoiceNumber: f.invoiceNumber,
    creditor: f.creditor,
  };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
  return { subject: fill(t.subject), body: fill(t.body) };
}
