// Collections use cases (issue 12): policies, customers and assignment (the collections manager), worklists and
// cases (collectors see their member's cases, 404 for another creditor's), contacts and promises (a collector on
// its own cases), approvals and runs, and the KPIs per collector and team.
//
// The creditor is the member the person acts for (Viewer.member): a case belongs to the receivable's holder.
import { badRequest, notFound, HttpError } from "../errors.ts";
import { requireDesk } from "../members/desk.ts";
import { mayDo } from "../../common/desk-roles.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { ReceivableState } from "../receivables/projection.ts";
import type { OutboxStore } from "../notifications/store.ts";
import type { StaffStore } from "../members/store.ts";
import { DAY_S } from "../../common/units.ts";
import type { CollectionStore, CaseRecord, ActionRecord } from "./store.ts";
import { dunningKey, type DunningEngine } from "./engine.ts";
import {
  DEFAULT_POLICIES,
  TIERS,
  OUTBOX_CHANNELS,
  levelsJson,
  policyFromInput,
  levelAfter,
  dayOf,
  type PolicyInput,
  type Tier,
  type Policy,
} from "./policy.ts";

export interface CollectionServiceDeps {
  store: CollectionStore;
  outbox: OutboxStore;
  staff: StaffStore;
  engine: DunningEngine;
  /** The final block and its UTC day (what the engine decides on). */
  finalFacts(): Promise<{ block: number; day: number } | null>;
  statesAsOf(block: number, ids: string[]): Promise<ReceivableState[]>;
}

export const isoDay = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);
export const dayOfIso = (s: string) => Math.floor(Date.parse(s + "T00:00:00Z") / 1000 / DAY_S);

const forbidden = (message: string) => new HttpError(403, "desk_role", message);

export function createCollectionService(deps: CollectionServiceDeps) {
  const { store } = deps;

  const isManager = (v: Viewer) => mayDo(v, "collectionsManage");
  function reader(v: Viewer): void {
    if (!v.active) throw forbidden("collections are for admitted members");
    requireDesk(v, "collections", "collections");
  }
  async function caseOf(v: Viewer, id: string): Promise<CaseRecord> {
    reader(v);
    const c = await store.case(id);
    if (!c || c.creditor !== v.member) throw notFound(`collection case ${id}`);
    return c;
  }
  /** A collector changes only its own cases; a manager (or the administrator) any of its member's. */
  function worker(v: Viewer, c: CaseRecord): void {
    if (!isManager(v) && c.collector !== v.address)
      throw forbidden(`case ${c.id} is assigned to ${c.collector ?? "nobody"}; a collector works only its own cases`);
  }
  async function policiesOf(creditor: string) {
    const stored = await store.policies(creditor);
    return TIERS.map((tier) => {
      const p: Policy = stored.get(tier) ?? DEFAULT_POLICIES[tier];
      return {
        tier,
        source: stored.has(tier) ? "custom" : "default",
        levels: levelsJson(p.levels),
        promiseGraceDays: p.promiseGraceDays,
        brokenPromiseLevel: p.brokenPromiseLevel,
      };
    });
  }
  async function checkCollector(member: string, address: string, field: string): Promise<void> {
    if (address === member) return; // the administrator
    const s = await deps.staff.activeByAddress(address);
    if (!s || s.member !== member || !s.deskRoles.some((r) => r === "collector" || r === "collectionsManager")) {
      throw badRequest(`${field}: ${address} is not a collector of ${member}`);
    }
  }

  async function nextAction(c: CaseRecord, actions: ActionRecord[], contactDays: number[]) {
    const waiting = actions.find((a) => a.status === "awaitingApproval");
    if (waiting) return { action: "approve", level: waiting.level, date: isoDay(waiting.decidedDay) };
    const last = actions.filter((a) => a.status !== "cancelled" && a.status !== "superseded").at(-1);
    if (last?.channels.includes("call") && !contactDays.some((d) => d >= last.decidedDay))
      return { action: "call", level: last.level, date: isoDay(last.decidedDay) };
    if (c.status === "closed") return null;
    if (c.suppressed === "promise" && c.pausedUntilDay !== null) return { action: "promiseDue", level: null, date: isoDay(c.pausedUntilDay) };
    if (c.suppressed) return null;
    if (c.nextLevel !== null && c.nextActionDay !== null) return { action: "level", level: c.nextLevel, date: isoDay(c.nextActionDay) };
    return null;
  }

  function caseJson(c: CaseRecord, next: unknown) {
    return {
      id: c.id,
      receivableId: c.receivableId,
      creditor: c.creditor,
      buyer: c.buyer,
      seller: c.seller,
      tier: c.tier,
      collector: c.collector,
      status: c.status,
      suppressed: c.suppressed,
      outstanding: c.outstanding.toString(),
      dueDate: new Date(c.dueDate * 1000).toISOString(),
      daysPastDue: c.daysPastDue,
      level: c.level,
      brokenPromises: c.brokenPromises,
      pausedUntil: c.pausedUntilDay === null ? null : isoDay(c.pausedUntilDay),
      score: { total: c.score, amount: c.scoreAmount, daysPastDue: c.scoreDays, risk: c.scoreRisk, brokenPromises: c.scorePromises },
      nextAction: next,
      finalBlock: c.finalBlock,
    };
  }

  return {
    async policies(v: Viewer) {
      reader(v);
      return { creditor: v.member, policies: await policiesOf(v.member) };
    },
    async putPolicy(v: Viewer, tier: Tier, body: PolicyInput) {
      reader(v);
      requireDesk(v, "collectionsManage", "dunning policies");
      await store.putPolicy(v.member, policyFromInput(tier, body), { member: v.member, actor: v.address }, new Date());
      return (await policiesOf(v.member)).find((p) => p.tier === tier)!;
    },
    async resetPolicy(v: Viewer, tier: Tier) {
      reader(v);
      requireDesk(v, "collectionsManage", "dunning policies");
      await store.deletePolicy(v.member, tier);
      return (await policiesOf(v.member)).find((p) => p.tier === tier)!;
    },
    async putCustomer(v: Viewer, buyer: string, body: { tier: Tier; email: string | null; language: "en" | "zh-CN" }) {
      reader(v);
      requireDesk(v, "collectionsManage", "collection customers");
      await store.putCustomer({ creditor: v.member, buyer, tier: body.tier, email: body.email, language: body.language }, v.address, new Date());
      return { creditor: v.member, buyer, ...body };
    },
    async assignment(v: Viewer) {
      reader(v);
      const rules = await store.rules(v.member);
      return {
        defaultCollector: await store.defaultCollector(v.member),
        rules: rules.map((r) => ({
          buyer: r.buyer,
          tier: r.tier,
          minAmount: r.minAmount?.toString() ?? null,
          maxAmount: r.maxAmount?.toString() ?? null,
          collector: r.collector,
        })),
      };
    },
    async putAssignment(
      v: Viewer,
      body: {
        defaultCollector: string | null;
        rules: { buyer: string | null; tier: Tier | null; minAmount: string | null; maxAmount: string | null; collector: string }[];
      },
    ) {
      reader(v);
      requireDesk(v, "collectionsManage", "assignment rules");
      if (body.defaultCollector) await checkCollector(v.member, body.defaultCollector, "defaultCollector");
      for (const [i, r] of body.rules.entries()) {
        await checkCollector(v.member, r.collector, `rules.${i}.collector`);
        if (r.minAmount !== null && r.maxAmount !== null && BigInt(r.minAmount) > BigInt(r.maxAmount))
          throw badRequest(`rules.${i}.maxAmount: below minAmount`);
      }
      await store.setDefaultCollector(v.member, body.defaultCollector, v.address, new Date());
      await store.replaceRules(
        v.member,
        body.rules.map((r) => ({
          ...r,
          minAmount: r.minAmount === null ? null : BigInt(r.minAmount),
          maxAmount: r.maxAmount === null ? null : BigInt(r.maxAmount),
        })),
      );
      return this.assignment(v);
    },

    async worklist(v: Viewer, q: { collector?: string | undefined; status: "open" | "closed"; offset: number; limit: number }) {
      reader(v);
      let collector: string | null | undefined = q.collector === "unassigned" ? null : q.collector;
      if (!isManager(v)) {
        if (collector !== undefined && collector !== v.address)
          throw forbidden("a collector sees its own worklist; a collections manager sees every collector's");
        collector = v.address;
      }
      const { items, total } = await store.worklist({ creditor: v.member, collector, status: q.status, offset: q.offset, limit: q.limit });
      const actions = new Map<string, ActionRecord[]>();
      for (const a of await store.actionsOf(items.map((c) => c.id))) (actions.get(a.caseId) ?? actions.set(a.caseId, []).get(a.caseId)!).push(a);
      const out = [];
      for (const c of items) {
        const contacts = (await store.contacts(c.id)).map((x) => x.day);
        out.push(caseJson(c, await nextAction(c, actions.get(c.id) ?? [], contacts)));
      }
      return { creditor: v.member, collector: collector === undefined ? "all" : collector, total, offset: q.offset, limit: q.limit, items: out };
    },

    async getCase(v: Viewer, id: string) {
      const c = await caseOf(v, id);
      const [actions, contacts, promises, charges] = await Promise.all([
        store.actionsOf([c.id]),
        store.contacts(c.id),
        store.promises({ caseIds: [c.id] }),
        store.charges(c.id),
      ]);
      const history = [];
      for (const a of actions) {
        const messages = [];
        for (const ch of a.channels.filter((x) => (OUTBOX_CHANNELS as readonly string[]).includes(x))) {
          const m = await deps.outbox.get(dunningKey(c.receivableId, a.level, ch));
          messages.push({
            channel: ch,
            status: m?.status ?? null,
            recipient: m?.recipient ?? null,
            subject: m?.subject ?? null,
            language: m?.language ?? null,
            sentAt: m?.sentAt?.toISOString() ?? null,
            cancelReason: m?.cancelReason ?? null,
          });
        }
        history.push({
          level: a.level,
          channels: a.channels,
          status: a.status,
          decidedOn: isoDay(a.decidedDay),
          decidedBlock: a.decidedBlock,
          approvedBy: a.approvedBy,
          cancelReason: a.cancelReason,
          messages,
        });
      }
      return {
        ...caseJson(
          c,
          await nextAction(
            c,
            actions,
            contacts.map((x) => x.day),
          ),
        ),
        levels: history,
        charges: charges.map((x) => ({ level: x.level, kind: x.kind, amount: x.amount.toString(), chargedAt: x.chargedAt.toISOString() })),
        contacts: contacts.map((x) => ({ channel: x.channel, outcome: x.outcome, note: x.note, person: x.person, at: x.at.toISOString() })),
        promises: promises.map((p) => ({
          id: p.id,
          amount: p.amount.toString(),
          date: isoDay(p.promisedDay),
          graceDays: p.graceDays,
          receivables: p.receivables,
          status: p.status,
          createdBy: p.createdBy,
          resolvedOn: p.resolvedDay === null ? null : isoDay(p.resolvedDay),
        })),
      };
    },

    async reassign(v: Viewer, id: string, collector: string | null) {
      const c = await caseOf(v, id);
      requireDesk(v, "collectionsManage", "assigning cases");
      if (collector) await checkCollector(v.member, collector, "collector");
      await store.updateCase(c.id, { collector, updatedAt: new Date() });
      return this.getCase(v, id);
    },

    async logContact(v: Viewer, id: string, body: { channel: string; outcome: string; note: string; at?: string | undefined }) {
      const c = await caseOf(v, id);
      worker(v, c);
      const facts = await deps.finalFacts();
      const at = body.at ? new Date(body.at) : new Date();
      await store.addContact({
        caseId: c.id,
        channel: body.channel,
        outcome: body.outcome,
        note: body.note,
        person: v.address,
        at,
        day: facts?.day ?? dayOf(at.getTime() / 1000),
      });
      return this.getCase(v, id);
    },

    async addPromise(v: Viewer, id: string, body: { amount: string; date: string; receivables?: string[] | undefined }) {
      const c = await caseOf(v, id);
      worker(v, c);
      const facts = await deps.finalFacts();
      if (!facts) throw badRequest("nothing final is indexed yet");
      const promisedDay = dayOfIso(body.date);
      if (promisedDay < facts.day) throw badRequest(`date: ${body.date} is before today (${isoDay(facts.day)})`);
      const ids = [...new Set(body.receivables ?? [c.receivableId])];
      const states = await deps.statesAsOf(facts.block, ids);
      for (const rid of ids) {
        const r = states.find((x) => x.id === rid);
        if (!r || r.holder !== v.member) throw badRequest(`receivables: ${rid} is not a receivable of ${v.member}`);
      }
      const amount = BigInt(body.amount);
      const open = states.reduce((s, r) => s + r.outstanding, 0n);
      if (amount > open) throw badRequest(`amount: ${amount} exceeds what the receivables have outstanding (${open})`);
      const policy = (await store.policies(c.creditor)).get(c.tier) ?? DEFAULT_POLICIES[c.tier];
      await store.addPromise({
        caseId: c.id,
        creditor: c.creditor,
        amount,
        promisedDay,
        graceDays: policy.promiseGraceDays,
        receivables: ids,
        paidBaseline: Object.fromEntries(states.map((r) => [r.id, r.paid.toString()])),
        createdBy: v.address,
        createdDay: facts.day,
        createdAt: new Date(),
      });
      // The promise pauses dunning now: what the outbox has not sent is cancelled by the run.
      await deps.engine.run({ creditors: [c.creditor] });
      return this.getCase(v, id);
    },

    async approve(v: Viewer, id: string, level: number) {
      const c = await caseOf(v, id);
      requireDesk(v, "collectionsManage", "approving a dunning level");
      const a = (await store.actionsOf([c.id])).find((x) => x.level === level);
      if (!a) throw notFound(`level ${level} on case ${id}`);
      if (a.status !== "awaitingApproval") throw new HttpError(409, "not_awaiting_approval", `level ${level} is ${a.status}, not awaiting approval`);
      await deps.engine.approve(a, v.address);
      await deps.engine.run({ creditors: [c.creditor] });
      return this.getCase(v, id);
    },

    async run(v: Viewer) {
      reader(v);
      requireDesk(v, "collectionsManage", "a dunning run");
      const s = await deps.engine.run({ creditors: [v.member] });
      if (!s) throw badRequest("nothing final is indexed yet");
      return { ...s, day: isoDay(s.day) };
    },

    /**
     * KPIs over [from, to] (UTC days) per collector and for the team: cases worked (with a contact logged by the
     * person), actions done vs due (levels decided in the period; done = all its messages left the outbox and, for
     * a call, a contact was logged on the case since), amount collected (payments the runs saw on its cases),
     * promises secured (made in the period), fell due (promised day in the period, up to today) and kept (paid in
     * full, as seen by the runs, by the promised day + grace); promise-kept rate = kept / fell due × 100.
     */
    async kpis(v: Viewer, q: { from: string; to: string }) {
      reader(v);
      const fromDay = dayOfIso(q.from);
      const toDay = dayOfIso(q.to);
      if (toDay < fromDay) throw badRequest(`to: the period ends (${q.to}) before it starts (${q.from})`);
      if (toDay - fromDay > 731) throw badRequest(`to: the period is ${toDay - fromDay + 1} days long; at most 732`);
      const today = (await deps.finalFacts())?.day ?? toDay;
      const f = await store.periodFacts(v.member, fromDay, toDay);
      type K = {
        casesWorked: Set<string>;
        actionsDue: number;
        actionsDone: number;
        collected: bigint;
        promisesSecured: number;
        promisesFellDue: number;
        promisesKept: number;
      };
      const per = new Map<string, K>();
      const team: K = { casesWorked: new Set(), actionsDue: 0, actionsDone: 0, collected: 0n, promisesSecured: 0, promisesFellDue: 0, promisesKept: 0 };
      const k = (who: string | null) => {
        const key = who ?? "unassigned";
        let x = per.get(key);
        if (!x)
          per.set(key, (x = { casesWorked: new Set(), actionsDue: 0, actionsDone: 0, collected: 0n, promisesSecured: 0, promisesFellDue: 0, promisesKept: 0 }));
        return x;
      };
      for (const c of f.contacts) {
        k(c.person).casesWorked.add(c.caseId);
        team.casesWorked.add(c.caseId);
      }
      for (const a of f.actions) {
        if (a.status === "cancelled" || a.status === "superseded") continue;
        const who = k(f.collectorOf.get(a.caseId) ?? null);
        const callDone = !a.channels.includes("call") || f.laterContacts.some((c) => c.caseId === a.caseId && c.day >= a.decidedDay);
        const done = a.status === "done" && callDone;
        who.actionsDue++;
        team.actionsDue++;
        if (done) who.actionsDone++, team.actionsDone++;
      }
      for (const p of f.payments) {
        k(p.collector).collected += p.delta;
        team.collected += p.delta;
      }
      for (const p of f.promises) {
        if (p.createdDay >= fromDay && p.createdDay <= toDay) k(p.createdBy).promisesSecured++, team.promisesSecured++;
        if (p.promisedDay >= fromDay && p.promisedDay <= toDay && p.promisedDay <= today && p.status !== "active") {
          k(p.createdBy).promisesFellDue++;
          team.promisesFellDue++;
          if (p.status === "kept") k(p.createdBy).promisesKept++, team.promisesKept++;
        }
      }
      const json = (x: K) => ({
        casesWorked: x.casesWorked.size,
        actionsDue: x.actionsDue,
        actionsDone: x.actionsDone,
        amountCollected: x.collected.toString(),
        promisesSecured: x.promisesSecured,
        promisesFellDue: x.promisesFellDue,
        promisesKept: x.promisesKept,
        promiseKeptRate: x.promisesFellDue === 0 ? null : Math.round((x.promisesKept / x.promisesFellDue) * 1_000_000) / 10_000,
      });
      let collectors = [...per.entries()].map(([collector, x]) => ({ collector, ...json(x) })).sort((a, b) => a.collector.localeCompare(b.collector));
      if (!isManager(v)) collectors = collectors.filter((c) => c.collector === v.address);
      return { creditor: v.member, from: q.from, to: q.to, collectors, ...(isManager(v) ? { team: json(team) } : {}) };
    },
  };
}

export type CollectionService = ReturnType<typeof createCollectionService>;
export { levelAfter };
