// The dunning run (DOMAIN.md, "Collections"): decides levels from facts final on chain and hands their messages to
// the outbox, exactly once.
//
// - Facts: every receivable's state as of the final block F (the indexed checkpoint, at most head − finality
//   depth), aged at F's UTC day. Nothing newer than F is looked at, so a reorg above F cannot make a decision.
// - A case per receivable and creditor (its holder) that is overdue or within its policy's first level.
// - A level is decided once (a row unique per case and level, with its fee, in one transaction); only the level
//   due now is decided — after downtime the current level, never the levels skipped — and never a lower one.
// - Its messages are enqueued with dedupeKey dunning:<receivable>:<level>:<channel> (unique in the outbox), after
//   the decision is committed; a run finishes what a crashed run decided but did not enqueue, and a decided level
//   overtaken by a later one before it was enqueued is superseded, not sent.
// - Before sending, a payment, a dispute, a promise, the case closing, or the overdue fact disappearing (reorg)
//   cancels what the outbox has not sent yet.
// - Promises: kept when the promised receivables' payments since the promise reach its amount; broken after the
//   promised day + grace; a broken promise moves the case to the policy's configured level.
import type { OutboxStore } from "../notifications/store.ts";
import type { ReceivableState } from "../receivables/projection.ts";
import type { IndexedBlock } from "../receivables/store.ts";
import { STATUS, OPEN } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";
import { UNIT } from "../../common/money.ts";
import type { CollectionStore, CaseRecord, ActionRecord, CustomerRecord, PromiseRecord, RuleRecord } from "./store.ts";
import {
  DEFAULT_POLICIES,
  DEFAULT_TIER,
  OUTBOX_CHANNELS,
  LANGUAGES,
  currentLevel,
  daysRelative,
  dayOf,
  feeAmount,
  levelAfter,
  render,
  type Level,
  type Policy,
  type Tier,
  type Language,
  type OutboxChannel,
} from "./policy.ts";

export interface EngineDeps {
  store: CollectionStore;
  outbox: OutboxStore;
  /** The indexed checkpoint (number and the head it was written at). */
  checkpoint(): Promise<IndexedBlock | null>;
  finalityDepth: number;
  deploymentBlock: number;
  /** Unix time of block n. */
  blockTime(n: number): Promise<number>;
  openAsOf(block: number, q: { statuses: readonly number[]; dueBy: number; holders?: string[] | undefined }): Promise<ReceivableState[]>;
  statesAsOf(block: number, ids: string[]): Promise<ReceivableState[]>;
  invoiceNumber(id: string): Promise<string | null>;
  creditorName(address: string): Promise<string>;
  currency: string;
  /** Risk points of a case (0 until an early-warning score exists: issue 12, "Early warning"). */
  riskPoints?(c: CaseRecord): Promise<number> | number;
  log(line: string): void;
}

export interface RunSummary {
  finalBlock: number;
  day: number;
  casesOpened: number;
  casesReopened: number;
  casesClosed: number;
  levelsDecided: number;
  messagesEnqueued: number;
  messagesCancelled: number;
  feesCharged: number;
  promisesKept: number;
  promisesBroken: number;
}

export const dunningKey = (receivableId: string, level: number, channel: string) => `dunning:${receivableId}:${level}:${channel}`;
export const feeKey = (receivableId: string, creditor: string, level: number) => `fee:${receivableId}:${creditor}:${level}`;

/** Score parts of a case: 1 point per 1,000 tokens outstanding (≤ 100), 1 per day past due (≤ 100), risk, 25 per broken promise. */
export function scoreParts(outstanding: bigint, daysPastDue: number, risk: number, brokenPromises: number) {
  const amount = Number(outstanding / (1000n * UNIT) > 100n ? 100n : outstanding / (1000n * UNIT));
  const days = Math.max(0, Math.min(100, daysPastDue));
  const promises = 25 * brokenPromises;
  return { scoreAmount: amount, scoreDays: days, scoreRisk: risk, scorePromises: promises, score: amount + days + risk + promises };
}

/** The first rule that matches the receivable assigns it; else the creditor's default collector. */
export function assign(rules: RuleRecord[], fallback: string | null, r: { buyer: string; tier: Tier; outstanding: bigint }): string | null {
  for (const rule of rules) {
    if (rule.buyer !== null && rule.buyer !== r.buyer) continue;
    if (rule.tier !== null && rule.tier !== r.tier) continue;
    if (rule.minAmount !== null && r.outstanding < rule.minAmount) continue;
    if (rule.maxAmount !== null && r.outstanding > rule.maxAmount) continue;
    return rule.collector;
  }
  return fallback;
}

const asLanguage = (s: string | undefined | null): Language => ((LANGUAGES as readonly string[]).includes(s ?? "") ? (s as Language) : "en");

export function createDunningEngine(deps: EngineDeps) {
  const { store, outbox } = deps;
  let queue: Promise<unknown> = Promise.resolve();

  interface CreditorInfo {
    policies: Map<Tier, Policy>;
    customers: Map<string, CustomerRecord>;
    rules: RuleRecord[];
    defaultCollector: string | null;
    name: string;
  }

  async function creditorInfo(cache: Map<string, CreditorInfo>, creditor: string): Promise<CreditorInfo> {
    let info = cache.get(creditor);
    if (!info) {
      const [policies, customers, rules, defaultCollector, name] = await Promise.all([
        store.policies(creditor),
        store.customers(creditor),
        store.rules(creditor),
        store.defaultCollector(creditor),
        deps.creditorName(creditor),
      ]);
      info = { policies, customers, rules, defaultCollector, name };
      cache.set(creditor, info);
    }
    return info;
  }
  const policyOf = (info: CreditorInfo, tier: Tier): Policy => info.policies.get(tier) ?? DEFAULT_POLICIES[tier];

  /** Enqueues a decided level's messages (idempotent: the outbox keeps one per dedupeKey). */
  async function enqueue(
    a: ActionRecord,
    c: CaseRecord,
    r: ReceivableState | undefined,
    info: CreditorInfo,
    level: Level | undefined,
    day: number,
  ): Promise<number> {
    if (!level) return 0;
    const cust = info.customers.get(c.buyer);
    const language = asLanguage(cust?.language);
    const invoiceNumber = (await deps.invoiceNumber(c.receivableId)) ?? c.receivableId.slice(0, 10);
    const facts = {
      amount: r?.outstanding ?? c.outstanding,
      currency: deps.currency,
      dueDate: c.dueDate,
      daysPastDue: daysRelative(c.dueDate, day),
      invoiceNumber,
      creditor: info.name,
    };
    const text = render(level.templates[language], facts, language);
    let n = 0;
    for (const ch of a.channels) {
      if (!(OUTBOX_CHANNELS as readonly string[]).includes(ch)) continue; // a call is a task on the case
      const recipient = ch === "email" ? cust?.email : c.buyer;
      if (!recipient) {
        deps.log(`collections: ${c.receivableId} level ${a.level}: no e-mail address for ${c.buyer}, e-mail skipped`);
        continue;
      }
      const { created } = await outbox.enqueue({
        dedupeKey: dunningKey(c.receivableId, a.level, ch),
        channel: ch as OutboxChannel,
        sender: c.creditor,
        actor: a.approvedBy,
        recipient,
        subject: text.subject,
        text: text.body,
        language,
      });
      if (created) n++;
    }
    return n;
  }

  /** Cancels what the outbox has not sent of an action; true when the action is over (nothing left to send). */
  async function cancelUnsent(a: ActionRecord, receivableId: string, reason: string): Promise<{ cancelled: number; over: boolean }> {
    let cancelled = 0;
    let inFlight = false;
    if (a.status === "enqueued") {
      for (const ch of a.channels) {
        if (!(OUTBOX_CHANNELS as readonly string[]).includes(ch)) continue;
        const key = dunningKey(receivableId, a.level, ch);
        if (await outbox.cancel(key, reason)) cancelled++;
        else if ((await outbox.get(key))?.status === "sending") inFlight = true;
      }
    }
    if (a.status !== "enqueued" || cancelled > 0) {
      await store.setActionStatus(a.id, [a.status], "cancelled", { cancelReason: reason });
      return { cancelled, over: true };
    }
    return { cancelled, over: !inFlight };
  }

  async function runNow(opts: { creditors?: string[] | undefined } = {}): Promise<RunSummary | null> {
    const cp = await deps.checkpoint();
    if (!cp) return null;
    const finalBlock = Math.min(cp.number, cp.headBlock - deps.finalityDepth);
    if (finalBlock < deps.deploymentBlock) return null;
    const day = dayOf(await deps.blockTime(finalBlock));
    const s: RunSummary = {
      finalBlock,
      day,
      casesOpened: 0,
      casesReopened: 0,
      casesClosed: 0,
      levelsDecided: 0,
      messagesEnqueued: 0,
      messagesCancelled: 0,
      feesCharged: 0,
      promisesKept: 0,
      promisesBroken: 0,
    };
    const now = new Date();

    const firstDays = Math.min(...Object.values(DEFAULT_POLICIES).map((p) => p.levels[0]!.days), (await store.firstLevelDaysMin()) ?? 0);
    const candidates = await deps.openAsOf(finalBlock, { statuses: OPEN.indexes, dueBy: (day - firstDays + 1) * DAY_S - 1, holders: opts.creditors });
    const byId = new Map(candidates.map((r) => [r.id, r]));
    const existing = await store.casesOfReceivables(candidates.map((r) => r.id));
    const open = await store.openCases(opts.creditors);
    const cases = new Map<string, CaseRecord>();
    for (const c of [...existing, ...open]) cases.set(`${c.receivableId}|${c.creditor}`, c);
    // States of the open cases' receivables that are no longer candidates (paid, sold, cancelled, removed by a reorg).
    const missing = open.filter((c) => !byId.has(c.receivableId)).map((c) => c.receivableId);
    for (const r of await deps.statesAsOf(finalBlock, [...new Set(missing)])) byId.set(r.id, r);

    const infos = new Map<string, CreditorInfo>();
    const touched: CaseRecord[] = [];
    const updates: { id: string; patch: Partial<CaseRecord> }[] = [];
    const decisions: Parameters<CollectionStore["decideMany"]>[0] = [];

    // 1. open cases for new candidates (in bulk)
    const opening: Omit<CaseRecord, "id">[] = [];
    for (const r of candidates) {
      if (cases.has(`${r.id}|${r.holder}`) || r.status === STATUS.Disputed) continue;
      const info = await creditorInfo(infos, r.holder);
      const tier = info.customers.get(r.buyer)?.tier ?? DEFAULT_TIER;
      const policy = policyOf(info, tier);
      const dpd = daysRelative(r.dueDate, day);
      if (dpd < policy.levels[0]!.days) continue;
      opening.push({
        receivableId: r.id,
        creditor: r.holder,
        buyer: r.buyer,
        seller: r.seller,
        tier,
        collector: assign(info.rules, info.defaultCollector, { buyer: r.buyer, tier, outstanding: r.outstanding }),
        status: "open",
        suppressed: null,
        outstanding: r.outstanding,
        paidSeen: r.paid,
        dueDate: r.dueDate,
        daysPastDue: dpd,
        level: null,
        nextLevel: policy.levels[0]!.days,
        nextActionDay: dayOf(r.dueDate) + policy.levels[0]!.days,
        brokenPromises: 0,
        pausedUntilDay: null,
        ...scoreParts(r.outstanding, dpd, 0, 0),
        finalBlock,
        openedAt: now,
        updatedAt: now,
        closedAt: null,
      });
    }
    for (const c of await store.createCases(opening)) cases.set(`${c.receivableId}|${c.creditor}`, c);
    s.casesOpened += opening.length;

    const all = [...cases.values()].filter(
      (c) => c.status === "open" || (byId.get(c.receivableId)?.holder === c.creditor && OPEN.has(byId.get(c.receivableId)!.status)),
    );
    const actions = new Map<string, ActionRecord[]>();
    for (const a of await store.actionsOf(all.map((c) => c.id))) (actions.get(a.caseId) ?? actions.set(a.caseId, []).get(a.caseId)!).push(a);
    const promises = new Map<string, PromiseRecord[]>();
    for (const p of await store.promises({ caseIds: all.map((c) => c.id), status: "active" }))
      (promises.get(p.caseId) ?? promises.set(p.caseId, []).get(p.caseId)!).push(p);
    const promisedIds = [...new Set([...promises.values()].flat().flatMap((p) => p.receivables))].filter((id) => !byId.has(id));
    for (const r of await deps.statesAsOf(finalBlock, promisedIds)) byId.set(r.id, r);

    // 2. each case against the final facts
    for (const c of all) {
      const r = byId.get(c.receivableId);
      const info = await creditorInfo(infos, c.creditor);
      const policy = policyOf(info, c.tier);
      const patch: Partial<CaseRecord> = { finalBlock, updatedAt: now };
      const caseActions = actions.get(c.id) ?? [];
      const live = caseActions.filter((a) => a.status === "decided" || a.status === "awaitingApproval" || a.status === "enqueued");

      // a) the receivable left the case: paid, sold, cancelled, written off, split, or gone (a reorg removed it)
      let closeReason: string | null = null;
      if (!r) closeReason = "removed";
      else if (r.holder !== c.creditor) closeReason = "sold";
      else if (r.status === STATUS.Paid || r.outstanding === 0n) closeReason = "paid";
      else if (!OPEN.has(r.status)) closeReason = r.status === STATUS.Split ? "split" : r.status === STATUS.Cancelled ? "cancelled" : "writtenOff";
      if (r && r.paid !== c.paidSeen) {
        await store.recordPaid(c.id, { collector: c.collector, delta: r.paid - c.paidSeen, day, block: finalBlock }, { paidSeen: r.paid });
        c.paidSeen = r.paid;
      }
      if (closeReason) {
        for (const a of live)
          s.messagesCancelled += (
            await cancelUnsent(a, c.receivableId, closeReason === "removed" ? "overdue fact removed (reorg)" : `receivable ${closeReason}`)
          ).cancelled;
        if (c.status === "open") {
          await store.updateCase(c.id, { ...patch, status: "closed", suppressed: closeReason, closedAt: now, outstanding: r?.outstanding ?? c.outstanding });
          s.casesClosed++;
        }
        continue;
      }
      const rr = r!;
      if (c.status === "closed") {
        // A reorg rolled the payment (or the sale) back: the case is open again.
        Object.assign(patch, { status: "open", closedAt: null, suppressed: null });
        s.casesReopened++;
      }
      const dpd = daysRelative(rr.dueDate, day);
      Object.assign(patch, { outstanding: rr.outstanding, dueDate: rr.dueDate, daysPastDue: dpd });

      // b) promises: kept from payments, broken after the promised day + grace
      let jumpTo: number | null = null;
      let pausedUntil: number | null = null;
      let broken = c.brokenPromises;
      for (const p of promises.get(c.id) ?? []) {
        const paidSince = p.receivables.reduce((sum, id) => sum + ((byId.get(id)?.paid ?? 0n) - BigInt(p.paidBaseline[id] ?? "0")), 0n);
        if (paidSince >= p.amount) {
          if (await store.resolvePromise(p.id, "kept", day)) s.promisesKept++;
        } else if (day > p.promisedDay + p.graceDays) {
          if (await store.resolvePromise(p.id, "broken", day)) {
            s.promisesBroken++;
            broken++;
            jumpTo = policy.brokenPromiseLevel ?? levelAfter(policy, c.level)?.days ?? null;
          }
        } else pausedUntil = Math.max(pausedUntil ?? 0, p.promisedDay + p.graceDays);
      }
      // A case handed over to an agency or to legal (handover.ts) is not dunned until it is recalled.
      const suppressed = c.suppressed === "handedOver" ? "handedOver" : rr.status === STATUS.Disputed ? "disputed" : pausedUntil !== null ? "promise" : null;
      Object.assign(patch, { brokenPromises: broken, pausedUntilDay: pausedUntil, suppressed });

      // c) cancel what is unsent when a dispute, a promise, a payment since the decision, or a vanished overdue fact says so
      let level = c.level;
      for (const a of live) {
        const reason =
          suppressed === "disputed"
            ? "disputed"
            : suppressed === "promise"
              ? "promise to pay"
              : suppressed === "handedOver"
                ? "handed over"
                : rr.paid !== a.paidAtDecision
                  ? "payment received"
                  : a.level > dpd
                    ? "overdue fact removed (reorg)"
                    : null;
        if (!reason) continue;
        const res = await cancelUnsent(a, c.receivableId, reason);
        s.messagesCancelled += res.cancelled;
        if (res.cancelled === 0 && a.status === "enqueued" && res.over) await store.setActionStatus(a.id, ["enqueued"], "done");
        if (reason.startsWith("overdue fact removed"))
          level = Math.max(...caseActions.filter((x) => x.level <= dpd && x.status !== "cancelled").map((x) => x.level), -Infinity);
      }
      if (level === -Infinity) level = null;
      patch.level = level;

      // d) decide the level due now (or the broken promise's), never a lower one, never the skipped ones
      let target = suppressed ? null : currentLevel(policy, dpd);
      if (!suppressed && jumpTo !== null) {
        const jump = policy.levels.find((l) => l.days === jumpTo);
        if (jump && (!target || jump.days > target.days)) target = jump;
      }
      const score = scoreParts(rr.outstanding, dpd, (await deps.riskPoints?.(c)) ?? 0, broken);
      Object.assign(patch, score);
      const decideNow = target && (level === null || target.days > level) ? target : null;
      const after = levelAfter(policy, decideNow?.days ?? level);
      patch.nextLevel = after?.days ?? null;
      patch.nextActionDay = pausedUntil ?? (after ? dayOf(rr.dueDate) + after.days : null);
      if (decideNow) {
        const fee = decideNow.fee ? feeAmount(decideNow.fee, rr.outstanding) : 0n;
        decisions.push({
          a: {
            caseId: c.id,
            level: decideNow.days,
            channels: decideNow.channels,
            status: decideNow.needsApproval ? "awaitingApproval" : "decided",
            paidAtDecision: rr.paid,
            decidedDay: day,
            decidedBlock: finalBlock,
            decidedAt: now,
          },
          casePatch: { ...patch, level: decideNow.days },
          charge: fee > 0n ? { key: feeKey(c.receivableId, c.creditor, decideNow.days), amount: fee, kind: decideNow.fee!.kind } : null,
        });
        touched.push({ ...c, ...patch, level: decideNow.days } as CaseRecord);
        continue;
      }
      // Only what changed is written (a run over unchanged facts writes nothing).
      const changed = (Object.keys(patch) as (keyof CaseRecord)[]).some((f) => f !== "finalBlock" && f !== "updatedAt" && patch[f] !== c[f]);
      if (changed) updates.push({ id: c.id, patch });
      touched.push({ ...c, ...patch } as CaseRecord);
    }
    await store.updateCases(updates);
    const decided = await store.decideMany(decisions);
    s.levelsDecided += decided.length;
    const withFee = new Set(decisions.filter((d) => d.charge).map((d) => d.a.caseId));
    s.feesCharged += decided.filter((a) => withFee.has(a.caseId)).length;

    // 3. enqueue what is decided (also what a crashed run decided), supersede what a later level overtook
    const caseById = new Map(touched.map((c) => [c.id, c]));
    const superseded: string[] = [];
    const enqueued: string[] = [];
    for (const a of await store.actionsOf([...caseById.keys()], ["decided"])) {
      const c = caseById.get(a.caseId)!;
      if (c.status === "closed" || (c.level !== null && c.level > a.level)) {
        superseded.push(a.id);
        continue;
      }
      const info = await creditorInfo(infos, c.creditor);
      s.messagesEnqueued += await enqueue(
        a,
        c,
        byId.get(c.receivableId),
        info,
        policyOf(info, c.tier).levels.find((l) => l.days === a.level),
        day,
      );
      enqueued.push(a.id);
      if (enqueued.length >= 500) await store.setActionStatuses(enqueued.splice(0), ["decided"], "enqueued");
    }
    await store.setActionStatuses(superseded, ["decided"], "superseded");
    await store.setActionStatuses(enqueued, ["decided"], "enqueued");
    // 4. levels whose messages have all left (sent, dead or cancelled) are done
    const done: string[] = [];
    for (const a of await store.actionsOf([...caseById.keys()], ["enqueued"])) {
      const c = caseById.get(a.caseId)!;
      const keys = a.channels.filter((ch) => (OUTBOX_CHANNELS as readonly string[]).includes(ch)).map((ch) => dunningKey(c.receivableId, a.level, ch));
      const statuses = await Promise.all(keys.map(async (k) => (await outbox.get(k))?.status ?? "sent"));
      if (statuses.every((st) => st === "sent" || st === "dead" || st === "cancelled")) done.push(a.id);
    }
    await store.setActionStatuses(done, ["enqueued"], "done");
    return s;
  }

  /** The case's approved level goes out (enqueued by the next run). */
  async function approve(a: ActionRecord, by: string): Promise<boolean> {
    return await store.setActionStatus(a.id, ["awaitingApproval"], "decided", { approvedBy: by });
  }

  let timer: NodeJS.Timeout | null = null;
  return {
    /** One dunning run; runs are serialised (a scheduled and a requested run never overlap). */
    run(opts: { creditors?: string[] | undefined } = {}): Promise<RunSummary | null> {
      const next = queue.then(() => runNow(opts));
      queue = next.catch(() => {});
      return next;
    },
    approve,
    /** Runs every `intervalMs` until stopped. */
    start(intervalMs: number) {
      if (timer) return;
      const tick = () => {
        void this.run()
          .catch((err) => deps.log(`collections: dunning run failed: ${(err as Error).message}`))
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await queue;
    },
  };
}

export type DunningEngine = ReturnType<typeof createDunningEngine>;
