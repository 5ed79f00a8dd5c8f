// Data access of collections: the only code that reads or writes the Collection* tables (policies, customers,
// settings, assignment rules, cases, decided levels, charges, contacts, promises, seen payments).
import { randomUUID } from "node:crypto";
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";
import { levelsFromJson, levelsJson, type Channel, type Level, type Policy, type Tier } from "./policy.ts";

export interface CustomerRecord {
  creditor: string;
  buyer: string;
  tier: Tier;
  email: string | null;
  language: string;
}

export interface RuleRecord {
  id: string;
  position: number;
  buyer: string | null;
  tier: Tier | null;
  minAmount: bigint | null;
  maxAmount: bigint | null;
  collector: string;
}

export interface CaseRecord {
  id: string;
  receivableId: string;
  creditor: string;
  buyer: string;
  seller: string;
  tier: Tier;
  collector: string | null;
  status: "open" | "closed";
  suppressed: string | null;
  outstanding: bigint;
  paidSeen: bigint;
  dueDate: number;
  daysPastDue: number;
  level: number | null;
  nextLevel: number | null;
  nextActionDay: number | null;
  brokenPromises: number;
  pausedUntilDay: number | null;
  scoreAmount: number;
  scoreDays: number;
  scoreRisk: number;
  scorePromises: number;
  score: number;
  finalBlock: number;
  openedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export type ActionStatus = "decided" | "awaitingApproval" | "enqueued" | "done" | "superseded" | "cancelled";

export interface ActionRecord {
  id: string;
  caseId: string;
  level: number;
  channels: Channel[];
  status: ActionStatus;
  paidAtDecision: bigint;
  decidedDay: number;
  decidedBlock: number;
  decidedAt: Date;
  approvedBy: string | null;
  cancelReason: string | null;
}

export interface PromiseRecord {
  id: string;
  caseId: string;
  creditor: string;
  amount: bigint;
  promisedDay: number;
  graceDays: number;
  receivables: string[];
  paidBaseline: Record<string, string>;
  status: "active" | "kept" | "broken";
  createdBy: string;
  createdDay: number;
  createdAt: Date;
  resolvedDay: number | null;
}

export interface ContactRecord {
  id: string;
  caseId: string;
  channel: string;
  outcome: string;
  note: string;
  person: string;
  at: Date;
  day: number;
}

const caseFromRow = (r: any): CaseRecord => ({ ...r, outstanding: fromDbAmount(r.outstanding), paidSeen: fromDbAmount(r.paidSeen) });
const caseToRow = (c: Partial<CaseRecord>): any => {
  const { outstanding, paidSeen, ...rest } = c;
  return {
    ...rest,
    ...(outstanding !== undefined ? { outstanding: toDbAmount(outstanding) } : {}),
    ...(paidSeen !== undefined ? { paidSeen: toDbAmount(paidSeen) } : {}),
  };
};
const actionFromRow = (r: any): ActionRecord => ({ ...r, channels: JSON.parse(r.channels), paidAtDecision: fromDbAmount(r.paidAtDecision) });
const promiseFromRow = (r: any): PromiseRecord => ({
  ...r,
  amount: fromDbAmount(r.amount),
  receivables: JSON.parse(r.receivables),
  paidBaseline: JSON.parse(r.paidBaseline),
});
const ruleFromRow = (r: any): RuleRecord => ({
  ...r,
  minAmount: r.minAmount === null ? null : fromDbAmount(r.minAmount),
  maxAmount: r.maxAmount === null ? null : fromDbAmount(r.maxAmount),
});

/** The worklist's order: highest score first, ties by due date then id (stable pages). */
const WORKLIST_ORDER = [{ score: "desc" as const }, { dueDate: "asc" as const }, { id: "asc" as const }];

export function createCollectionStore(db: Database) {
  const prisma = db.prisma;
  const chunks = <T>(xs: T[], n = 400): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

  /**
   * Decides a level on a case, once: the action row (unique per case and level), the case's new level and the
   * level's fee (unique key) in one transaction. False when the level was decided before (nothing changes).
   */
  async function decide(
    a: Omit<ActionRecord, "id" | "approvedBy" | "cancelReason">,
    casePatch: Partial<CaseRecord>,
    charge: { key: string; amount: bigint; kind: string } | null,
  ): Promise<ActionRecord | null> {
    const existing = await prisma.collectionAction.findUnique({ where: { caseId_level: { caseId: a.caseId, level: a.level } } });
    if (existing) return null;
    try {
      const row = await prisma.$transaction(async (tx: any) => {
        const created = await tx.collectionAction.create({
          data: { id: randomUUID(), ...a, channels: JSON.stringify(a.channels), paidAtDecision: toDbAmount(a.paidAtDecision) },
        });
        await tx.collectionCase.update({ where: { id: a.caseId }, data: caseToRow(casePatch) });
        if (charge && !(await tx.collectionCharge.findUnique({ where: { key: charge.key } }))) {
          await tx.collectionCharge.create({
            data: { key: charge.key, caseId: a.caseId, level: a.level, amount: toDbAmount(charge.amount), kind: charge.kind, chargedAt: a.decidedAt },
          });
        }
        return created;
      });
      return actionFromRow(row);
    } catch (err) {
      // Two runs raced on the same level: the unique index kept one.
      if (await prisma.collectionAction.findUnique({ where: { caseId_level: { caseId: a.caseId, level: a.level } } })) return null;
      throw err;
    }
  }

  return {
    // ── policies ──
    async policies(creditor: string): Promise<Map<Tier, Policy & { updatedBy: string; updatedAt: Date }>> {
      const rows = await prisma.collectionPolicy.findMany({ where: { creditor } });
      return new Map(
        rows.map((r) => [
          r.tier as Tier,
          {
            tier: r.tier as Tier,
            levels: levelsFromJson(r.levels),
            promiseGraceDays: r.promiseGraceDays,
            brokenPromiseLevel: r.brokenPromiseLevel,
            updatedBy: r.updatedBy,
            updatedAt: r.updatedAt,
          },
        ]),
      );
    },
    async putPolicy(creditor: string, p: Policy, by: { member: string; actor: string }, at: Date): Promise<void> {
      const data = {
        levels: JSON.stringify(levelsJson(p.levels)),
        promiseGraceDays: p.promiseGraceDays,
        brokenPromiseLevel: p.brokenPromiseLevel,
        updatedBy: by.member,
        actor: by.actor,
        updatedAt: at,
      };
      await prisma.collectionPolicy.upsert({ where: { creditor_tier: { creditor, tier: p.tier } }, create: { creditor, tier: p.tier, ...data }, update: data });
    },
    async deletePolicy(creditor: string, tier: Tier): Promise<boolean> {
      return (await prisma.collectionPolicy.deleteMany({ where: { creditor, tier } })).count > 0;
    },

    // ── customers, settings, rules ──
    async customers(creditor: string, buyers?: string[]): Promise<Map<string, CustomerRecord>> {
      const rows = await prisma.collectionCustomer.findMany({ where: { creditor, ...(buyers ? { buyer: { in: buyers } } : {}) } });
      return new Map(rows.map((r) => [r.buyer, { creditor: r.creditor, buyer: r.buyer, tier: r.tier as Tier, email: r.email, language: r.language }]));
    },
    async putCustomer(c: CustomerRecord, by: string, at: Date): Promise<void> {
      const data = { tier: c.tier, email: c.email, language: c.language, updatedBy: by, updatedAt: at };
      await prisma.collectionCustomer.upsert({
        where: { creditor_buyer: { creditor: c.creditor, buyer: c.buyer } },
        create: { creditor: c.creditor, buyer: c.buyer, ...data },
        update: data,
      });
    },
    async defaultCollector(creditor: string): Promise<string | null> {
      return (await prisma.collectionSettings.findUnique({ where: { creditor } }))?.defaultCollector ?? null;
    },
    async setDefaultCollector(creditor: string, collector: string | null, by: string, at: Date): Promise<void> {
      const data = { defaultCollector: collector, updatedBy: by, updatedAt: at };
      await prisma.collectionSettings.upsert({ where: { creditor }, create: { creditor, ...data }, update: data });
    },
    async rules(creditor: string): Promise<RuleRecord[]> {
      return (await prisma.collectionRule.findMany({ where: { creditor }, orderBy: { position: "asc" } })).map(ruleFromRow);
    },
    /** Replaces a creditor's rules (one transaction). */
    async replaceRules(creditor: string, rules: Omit<RuleRecord, "id" | "position">[]): Promise<RuleRecord[]> {
      await prisma.$transaction([
        prisma.collectionRule.deleteMany({ where: { creditor } }),
        prisma.collectionRule.createMany({
          data: rules.map((r, i) => ({
            id: randomUUID(),
            creditor,
            position: i,
            buyer: r.buyer,
            tier: r.tier,
            minAmount: r.minAmount === null ? null : toDbAmount(r.minAmount),
            maxAmount: r.maxAmount === null ? null : toDbAmount(r.maxAmount),
            collector: r.collector,
          })),
        }),
      ]);
      return this.rules(creditor);
    },

    // ── cases ──
    async openCases(creditors?: string[]): Promise<CaseRecord[]> {
      return (await prisma.collectionCase.findMany({ where: { status: "open", ...(creditors ? { creditor: { in: creditors } } : {}) } })).map(caseFromRow);
    },
    async casesOfReceivables(ids: string[]): Promise<CaseRecord[]> {
      const out: CaseRecord[] = [];
      for (const part of chunks(ids)) out.push(...(await prisma.collectionCase.findMany({ where: { receivableId: { in: part } } })).map(caseFromRow));
      return out;
    },
    async case(id: string): Promise<CaseRecord | null> {
      const r = await prisma.collectionCase.findUnique({ where: { id } });
      return r && caseFromRow(r);
    },
    /** Opens cases in bulk (one statement per 500); returns them with their ids. */
    async createCases(cs: Omit<CaseRecord, "id">[]): Promise<CaseRecord[]> {
      const out = cs.map((c) => ({ id: randomUUID(), ...c }));
      for (const part of chunks(out, 500)) await prisma.collectionCase.createMany({ data: part.map(caseToRow) });
      return out;
    },
    async updateCase(id: string, c: Partial<CaseRecord>): Promise<void> {
      await prisma.collectionCase.update({ where: { id }, data: caseToRow(c) });
    },
    /** A page of cases, ordered by score in SQL; `total` counts every match. */
    async worklist(q: {
      creditor: string;
      collector?: string | null | undefined;
      status: "open" | "closed";
      offset: number;
      limit: number;
    }): Promise<{ items: CaseRecord[]; total: number }> {
      const where = { creditor: q.creditor, status: q.status, ...(q.collector !== undefined ? { collector: q.collector } : {}) };
      const [rows, total] = await prisma.$transaction([
        prisma.collectionCase.findMany({ where, orderBy: WORKLIST_ORDER, skip: q.offset, take: q.limit }),
        prisma.collectionCase.count({ where }),
      ]);
      return { items: rows.map(caseFromRow), total };
    },

    // ── decided levels ──
    async actionsOf(caseIds: string[], statuses?: ActionStatus[]): Promise<ActionRecord[]> {
      const out: ActionRecord[] = [];
      for (const part of chunks(caseIds)) {
        out.push(
          ...(
            await prisma.collectionAction.findMany({
              where: { caseId: { in: part }, ...(statuses ? { status: { in: statuses } } : {}) },
              orderBy: [{ caseId: "asc" }, { level: "asc" }],
            })
          ).map(actionFromRow),
        );
      }
      return out;
    },
    async actionsWithStatus(statuses: ActionStatus[]): Promise<ActionRecord[]> {
      return (await prisma.collectionAction.findMany({ where: { status: { in: statuses } } })).map(actionFromRow);
    },
    async action(id: string): Promise<ActionRecord | null> {
      const r = await prisma.collectionAction.findUnique({ where: { id } });
      return r && actionFromRow(r);
    },
    decide,
    async setActionStatus(id: string, from: ActionStatus[], to: ActionStatus, extra: { approvedBy?: string; cancelReason?: string } = {}): Promise<boolean> {
      return (await prisma.collectionAction.updateMany({ where: { id, status: { in: from } }, data: { status: to, ...extra } })).count === 1;
    },
    async setActionStatuses(ids: string[], from: ActionStatus[], to: ActionStatus): Promise<void> {
      for (const part of chunks(ids, 500))
        await prisma.collectionAction.updateMany({ where: { id: { in: part }, status: { in: from } }, data: { status: to } });
    },
    /** Case changes in one transaction per 200 (a run's writes are few commits, not one per case). */
    async updateCases(updates: { id: string; patch: Partial<CaseRecord> }[]): Promise<void> {
      for (const part of chunks(updates, 200))
        await prisma.$transaction(part.map((u) => prisma.collectionCase.update({ where: { id: u.id }, data: caseToRow(u.patch) })));
    },
    /**
     * decide() for many cases, 200 per transaction; a chunk that meets a level decided meanwhile (another
     * process) falls back to deciding one by one. Returns the actions created now.
     */
    async decideMany(
      items: {
        a: Omit<ActionRecord, "id" | "approvedBy" | "cancelReason">;
        casePatch: Partial<CaseRecord>;
        charge: { key: string; amount: bigint; kind: string } | null;
      }[],
    ): Promise<ActionRecord[]> {
      const created: ActionRecord[] = [];
      for (const part of chunks(items, 200)) {
        const existing = await prisma.collectionAction.findMany({
          where: { caseId: { in: part.map((i) => i.a.caseId) } },
          select: { caseId: true, level: true },
        });
        const seen = new Set(existing.map((e) => `${e.caseId}|${e.level}`));
        const fresh = part.filter((i) => !seen.has(`${i.a.caseId}|${i.a.level}`));
        if (!fresh.length) continue;
        const keys = fresh.flatMap((i) => (i.charge ? [i.charge.key] : []));
        const charged = new Set((await prisma.collectionCharge.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((c) => c.key));
        const rows = fresh.map((i) => ({
          id: randomUUID(),
          ...i.a,
          channels: JSON.stringify(i.a.channels),
          paidAtDecision: toDbAmount(i.a.paidAtDecision),
          approvedBy: null,
          cancelReason: null,
        }));
        try {
          await prisma.$transaction([
            prisma.collectionAction.createMany({ data: rows }),
            prisma.collectionCharge.createMany({
              data: fresh
                .filter((i) => i.charge && !charged.has(i.charge.key))
                .map((i) => ({
                  key: i.charge!.key,
                  caseId: i.a.caseId,
                  level: i.a.level,
                  amount: toDbAmount(i.charge!.amount),
                  kind: i.charge!.kind,
                  chargedAt: i.a.decidedAt,
                })),
            }),
            ...fresh.map((i) => prisma.collectionCase.update({ where: { id: i.a.caseId }, data: caseToRow(i.casePatch) })),
          ]);
          created.push(...rows.map(actionFromRow));
        } catch {
          for (const i of fresh) {
            const a = await decide(i.a, i.casePatch, i.charge);
            if (a) created.push(a);
          }
        }
      }
      return created;
    },
    async charges(caseId: string) {
      return (await prisma.collectionCharge.findMany({ where: { caseId }, orderBy: { level: "asc" } })).map((c) => ({ ...c, amount: fromDbAmount(c.amount) }));
    },

    // ── contacts, promises, payments ──
    async addContact(c: Omit<ContactRecord, "id">): Promise<ContactRecord> {
      return await prisma.collectionContact.create({ data: { id: randomUUID(), ...c } });
    },
    async contacts(caseId: string): Promise<ContactRecord[]> {
      return await prisma.collectionContact.findMany({ where: { caseId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    },
    async addPromise(p: Omit<PromiseRecord, "id" | "status" | "resolvedDay">): Promise<PromiseRecord> {
      return promiseFromRow(
        await prisma.collectionPromise.create({
          data: {
            id: randomUUID(),
            ...p,
            amount: toDbAmount(p.amount),
            receivables: JSON.stringify(p.receivables),
            paidBaseline: JSON.stringify(p.paidBaseline),
            status: "active",
          },
        }),
      );
    },
    async promises(q: { caseIds?: string[]; creditor?: string; status?: PromiseRecord["status"] }): Promise<PromiseRecord[]> {
      const where = { ...(q.creditor ? { creditor: q.creditor } : {}), ...(q.status ? { status: q.status } : {}) };
      if (!q.caseIds) return (await prisma.collectionPromise.findMany({ where, orderBy: { createdAt: "asc" } })).map(promiseFromRow);
      const out: PromiseRecord[] = [];
      for (const part of chunks(q.caseIds))
        out.push(
          ...(await prisma.collectionPromise.findMany({ where: { ...where, caseId: { in: part } }, orderBy: { createdAt: "asc" } })).map(promiseFromRow),
        );
      return out;
    },
    async resolvePromise(id: string, status: "kept" | "broken", day: number): Promise<boolean> {
      return (await prisma.collectionPromise.updateMany({ where: { id, status: "active" }, data: { status, resolvedDay: day } })).count === 1;
    },
    /** A case's new paid amount and the change a run saw, in one transaction (never counted twice). */
    async recordPaid(caseId: string, p: { collector: string | null; delta: bigint; day: number; block: number }, patch: Partial<CaseRecord>): Promise<void> {
      await prisma.$transaction([
        prisma.collectionPayment.create({ data: { caseId, collector: p.collector, delta: p.delta.toString(), day: p.day, block: p.block } }),
        prisma.collectionCase.update({ where: { id: caseId }, data: caseToRow(patch) }),
      ]);
    },
    /** The earliest first level (days) of every stored policy (the defaults' are known in code). */
    async firstLevelDaysMin(): Promise<number | null> {
      let min: number | null = null;
      for (const r of await prisma.collectionPolicy.findMany({ select: { levels: true } })) {
        const first = levelsFromJson(r.levels)[0];
        if (first && (min === null || first.days < min)) min = first.days;
      }
      return min;
    },

    // ── KPIs ──
    /** Everything the KPIs of a creditor's period count, per person where it applies. */
    async periodFacts(creditor: string, fromDay: number, toDay: number) {
      const cases = await prisma.collectionCase.findMany({ where: { creditor }, select: { id: true, collector: true } });
      const ids = cases.map((c) => c.id);
      const collectorOf = new Map(cases.map((c) => [c.id, c.collector]));
      const inIds = async <T>(f: (part: string[]) => Promise<T[]>) => (await Promise.all(chunks(ids).map(f))).flat();
      const [contacts, actions, payments, promises] = await Promise.all([
        inIds((part) =>
          prisma.collectionContact.findMany({
            where: { caseId: { in: part }, day: { gte: fromDay, lte: toDay } },
            select: { caseId: true, person: true, day: true },
          }),
        ),
        inIds((part) => prisma.collectionAction.findMany({ where: { caseId: { in: part }, decidedDay: { gte: fromDay, lte: toDay } } })),
        inIds((part) => prisma.collectionPayment.findMany({ where: { caseId: { in: part }, day: { gte: fromDay, lte: toDay } } })),
        prisma.collectionPromise.findMany({ where: { creditor } }),
      ]);
      // Contacts after each action's decision, for "done" call tasks.
      const laterContacts = await inIds((part) =>
        prisma.collectionContact.findMany({ where: { caseId: { in: part }, day: { gte: fromDay } }, select: { caseId: true, day: true } }),
      );
      return {
        collectorOf,
        contacts,
        laterContacts,
        actions: actions.map(actionFromRow),
        payments: payments.map((p) => ({ ...p, delta: BigInt(p.delta) })),
        promises: promises.map(promiseFromRow),
      };
    },
  };
}

export type CollectionStore = ReturnType<typeof createCollectionStore>;
export type { Level };
