// Early warning (issue 12): the late-payment risk score of every open receivable, from its buyer's history on the
// ledger across all its suppliers (server/risk/features.ts) and the logistic model (server/risk/model.ts, default
// coefficients in coefficients.ts); re-scored after each indexer batch for the buyers it marked dirty; thresholds
// per creditor and the alerts they raise (rows, and e-mails through the outbox); retraining from the ledger.
import { Role } from "../../common/roles.ts";
import { OPEN, STATUS } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";
import { badRequest, notFound, forbidden } from "../errors.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { OutboxStore } from "../notifications/store.ts";
import { explain, topReasons, fitLogistic, toArray, FEATURES, type FeatureName, type LogisticModel, type FeatureVector } from "./model.ts";
import {
  buyerFeatures,
  receivableFeatures,
  EMPTY_FACTS,
  RECENT_INVOICES,
  DEFAULT_GRACE_DAYS,
  type BuyerFacts,
  type ExternalFacts,
  type OpenItem,
} from "./features.ts";
import { reasonTexts } from "./reasons.ts";
import type { RiskStore, ScoreRow, ScoreScope, AlertRecord } from "./store.ts";

/** Facts the collections module will provide (broken promises, dunning level reached); 0 until it exists. */
export interface CollectionFacts {
  brokenPromises(buyers: readonly string[]): Promise<Map<string, number>>;
  dunningLevel(buyers: readonly string[]): Promise<Map<string, number>>;
}

export const NO_COLLECTION_FACTS: CollectionFacts = {
  brokenPromises: async () => new Map(),
  dunningLevel: async () => new Map(),
};

export interface RiskDeps {
  store: RiskStore;
  model: LogisticModel;
  graceDays?: number;
  /** How many of a buyer's latest decided invoices the trend calls recent (default RECENT_INVOICES). */
  recentInvoices?: number;
  /** The indexed head (null before the first batch). */
  head(): Promise<number | null>;
  /** A block's timestamp (unix seconds), from the node. */
  blockTime(n: number): Promise<number>;
  /** Credit limits per buyer (server/credit), in base units. */
  limits(): Promise<Map<string, bigint>>;
  collections?: CollectionFacts;
  outbox?: OutboxStore;
  /** A creditor's e-mail contact (its company profile), if any. */
  contactEmail?(member: string): Promise<string | null>;
  log?: (line: string) => void;
}

/** Default alert thresholds of a creditor that has not set its own: none (alerts are opt-in). */
export const DEFAULT_TREND_DAYS = 5;

export interface Scored {
  id: string;
  buyer: string;
  probability: number;
  /** Already more than grace days past due: the outcome is decided (probability 1). */
  decided: boolean;
  features: FeatureVector;
  top: { feature: FeatureName; value: number; contribution: number }[];
}

const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

/** Scores one open receivable: the model's probability and its top three contributions. */
export function scoreItem(model: LogisticModel, features: FeatureVector, graceDays: number): Omit<Scored, "id" | "buyer"> {
  const e = explain(model, features);
  const decided = features.daysToDue < -graceDays;
  let top = topReasons(e, 3);
  if (decided) {
    const due = e.contributions.find((c) => c.feature === "daysToDue")!;
    top = [due, ...top.filter((c) => c.feature !== "daysToDue")].slice(0, 3);
  }
  return { probability: decided ? 1 : e.probability, decided, features, top };
}

/** The scope of the risk lists: auditors (active) and the operator all; anyone else what it issued or holds. */
export function riskScope(v: Viewer): ScoreScope {
  if (v.isOperator || (v.active && (v.roles & Role.Auditor) !== 0)) return { all: true };
  return { all: false, seller: v.member, holder: v.member };
}

const sees = (v: Viewer, r: { seller: string; holder: string }) => {
  const s = riskScope(v);
  return s.all || r.seller === v.member || r.holder === v.member;
};

export function createRiskService(deps: RiskDeps) {
  const { store } = deps;
  const graceDays = deps.graceDays ?? DEFAULT_GRACE_DAYS;
  const recent = deps.recentInvoices ?? RECENT_INVOICES;
  const collections = deps.collections ?? NO_COLLECTION_FACTS;
  const log = deps.log ?? (() => {});
  let model = deps.model;

  /** Stores the times of the blocks the features date (settlements) that are not stored yet. */
  async function fillBlockTimes(buyers: readonly string[] | null) {
    const missing = await store.missingBlockTimes(buyers);
    const rows: { number: number; timestamp: number }[] = [];
    for (let i = 0; i < missing.length; i += 16) {
      const part = missing.slice(i, i + 16);
      rows.push(...(await Promise.all(part.map(async (n) => ({ number: n, timestamp: await deps.blockTime(n) })))));
    }
    await store.putBlockTimes(rows);
  }

  async function externalFacts(buyers: string[]): Promise<(b: string) => ExternalFacts> {
    const [limits, broken, dunning] = await Promise.all([deps.limits(), collections.brokenPromises(buyers), collections.dunningLevel(buyers)]);
    return (b) => ({ limit: limits.has(b) ? Number(limits.get(b)!) : null, brokenPromises: broken.get(b) ?? 0, dunningLevel: dunning.get(b) ?? 0 });
  }

  /** Features of every open receivable of `buyers` (all when null) at the head, with the buyers' own features. */
  async function featuresAtHead(buyers: readonly string[] | null, head: number) {
    const day = Math.floor((await deps.blockTime(head)) / DAY_S);
    await fillBlockTimes(buyers);
    const [facts, items] = await Promise.all([store.buyerFacts(buyers, null, day, graceDays, recent), store.openItems(buyers)]);
    const byBuyer = new Map<string, BuyerFacts>(facts.map((f) => [f.buyer, f]));
    const all = [...new Set([...(buyers ?? []), ...byBuyer.keys()])];
    const ext = await externalFacts(all);
    const buyerLevel = new Map(all.map((b) => [b, buyerFeatures(byBuyer.get(b) ?? EMPTY_FACTS(b), ext(b))]));
    return { day, items, byBuyer, buyerLevel, buyers: all };
  }

  async function alert(a: Omit<AlertRecord, "id" | "createdAt">, subject: string, text: string) {
    if (!(await store.addAlert(a))) return;
    const email = deps.outbox && deps.contactEmail ? await deps.contactEmail(a.creditor) : null;
    if (email && deps.outbox)
      await deps.outbox.enqueue({ dedupeKey: a.dedupeKey, channel: "email", sender: a.creditor, recipient: email, subject, text, language: "en" });
  }

  /** Re-scores `buyers` (every buyer when null): stores the scores, removes those no longer open, raises alerts. */
  async function rescore(
    buyers: readonly string[] | null,
  ): Promise<{ buyers: number; receivables: number; block: number | null; timings: Record<string, number> }> {
    const head = await deps.head();
    if (head === null) return { buyers: 0, receivables: 0, block: null, timings: {} };
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const lap = (name: string) => (timings[name] = Math.round(performance.now() - t0 - Object.values(timings).reduce((a, b) => a + b, 0)));
    const { items, byBuyer, buyerLevel, buyers: all } = await featuresAtHead(buyers, head);
    lap("featuresMs");
    const day = Math.floor((await deps.blockTime(head)) / DAY_S);
    const rows: ScoreRow[] = [];
    const scored: (Scored & OpenItem)[] = [];
    for (const it of items) {
      const f = receivableFeatures(buyerLevel.get(it.buyer)!, byBuyer.get(it.buyer) ?? EMPTY_FACTS(it.buyer), it, day);
      const s = scoreItem(model, f, graceDays);
      scored.push({ ...it, ...s });
      rows.push({
        receivableId: it.id,
        buyer: it.buyer,
        probability: round(s.probability),
        reasons: s.top.map((t) => ({ feature: t.feature, contribution: round(t.contribution, 4) })),
        features: Object.fromEntries(FEATURES.map((n) => [n, round(f[n], 4)])),
        model: model.version,
        scoredBlock: head,
      });
    }
    lap("scoreMs");
    const thresholds = await store.thresholds();
    const previous = thresholds.size ? await store.previousScores(buyers) : new Map<string, number>();
    const trendsBefore = thresholds.size ? await store.buyerTrends(all) : new Map<string, number>();
    await store.replaceScores(
      buyers,
      rows,
      all.map((b) => ({
        buyer: b,
        features: Object.fromEntries(Object.entries(buyerLevel.get(b)!).map(([k, v]) => [k, round(v, 4)])),
        trendDays: round(buyerLevel.get(b)!.trendDays, 4),
        scoredBlock: head,
      })),
    );
    lap("writeMs");
    if (thresholds.size) {
      const trendAlerted = new Set<string>();
      for (const s of scored) {
        for (const creditor of new Set([s.holder, s.seller])) {
          const t = thresholds.get(creditor);
          if (!t) continue;
          const before = previous.get(s.id);
          if (s.probability >= t.probability && (before === undefined || before < t.probability)) {
            const pct = (s.probability * 100).toFixed(1);
            const reasons = s.top.map((x) => reasonTexts(x.feature, x.value, x.contribution));
            await alert(
              {
                dedupeKey: `risk:${creditor}:${s.id}:${t.probability}`,
                creditor,
                kind: "threshold",
                receivableId: s.id,
                buyer: s.buyer,
                probability: round(s.probability),
                threshold: t.probability,
                before: before ?? null,
                after: round(s.probability),
                block: head,
              },
              `Late-payment risk ${pct}% on receivable ${s.id.slice(0, 10)}… / 逾期风险 ${pct}%`,
              `Receivable ${s.id} (buyer ${s.buyer}) is now ${pct}% likely to be paid more than ${graceDays} days late, at or above your threshold of ${(t.probability * 100).toFixed(1)}%.\n` +
                reasons.map((r) => `- ${r.en}`).join("\n") +
                `\n\n应收账款 ${s.id}（买方 ${s.buyer}）逾期超过 ${graceDays} 天付款的概率为 ${pct}%，已达到您设定的 ${(t.probability * 100).toFixed(1)}% 阈值。\n` +
                reasons.map((r) => `- ${r["zh-CN"]}`).join("\n"),
            );
          }
          const trendBefore = trendsBefore.get(s.buyer);
          const trendAfter = buyerLevel.get(s.buyer)!.trendDays;
          const key = `${creditor}:${s.buyer}`;
          if (trendBefore !== undefined && trendAfter - trendBefore >= t.trendDays && !trendAlerted.has(key)) {
            trendAlerted.add(key);
            await alert(
              {
                dedupeKey: `risk:${creditor}:trend:${s.buyer}:${head}`,
                creditor,
                kind: "trend",
                receivableId: null,
                buyer: s.buyer,
                probability: null,
                threshold: t.trendDays,
                before: round(trendBefore, 4),
                after: round(trendAfter, 4),
                block: head,
              },
              `Buyer ${s.buyer.slice(0, 10)}… pays later / 买方付款趋势恶化`,
              `Buyer ${s.buyer}'s recent invoices are now paid ${trendAfter.toFixed(1)} days later than its older ones (was ${trendBefore.toFixed(1)}).\n\n买方 ${s.buyer} 近期发票比早期发票平均晚 ${trendAfter.toFixed(1)} 天付款（此前为 ${trendBefore.toFixed(1)} 天）。`,
            );
          }
        }
      }
    }
    lap("alertsMs");
    return { buyers: all.length, receivables: rows.length, block: head, timings };
  }

  // ─────────────────────────────────────────────── the re-score worker ──

  let running: Promise<void> | null = null;
  let again = false;
  const BATCH_BUYERS = 500;

  /** Re-scores the dirty buyers, batch after batch, until none is left (one run at a time). */
  async function drain() {
    for (;;) {
      const head = await deps.head();
      if (head === null) return;
      const dirty = await store.dirtyBuyers(BATCH_BUYERS);
      if (!dirty.length) return;
      const buyers = dirty.map((d) => d.buyer);
      const r = await rescore(buyers);
      await store.clearDirty(buyers, r.block ?? head);
      if (dirty.length < BATCH_BUYERS && dirty.every((d) => d.markedBlock <= (r.block ?? head))) return;
    }
  }

  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again);
      } catch (err) {
        log(`risk re-score failed: ${(err as Error)?.stack ?? err}`);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  // ─────────────────────────────────────────────── reads ──

  const explainRow = (r: ScoreRow) => ({
    receivableId: r.receivableId,
    buyer: r.buyer,
    probability: r.probability,
    reasons: r.reasons.map((x) => {
      const feature = x.feature as FeatureName;
      return { feature, value: r.features[feature] ?? 0, contribution: x.contribution, text: reasonTexts(feature, r.features[feature] ?? 0, x.contribution) };
    }),
    features: r.features,
    model: r.model,
    scoredBlock: r.scoredBlock,
  });

  return {
    rescore,
    kick,
    /** Resolves when no re-score is running. */
    async idle() {
      while (running) await running;
    },
    get model() {
      return model;
    },
    setModel(m: LogisticModel) {
      model = m;
    },
    graceDays,

    async receivableScore(viewer: Viewer, id: string) {
      const r = await store.receivable(id);
      if (!r || !sees(viewer, r)) throw notFound(`no receivable ${id} visible to you`);
      const s = await store.score(id);
      if (!s) {
        if (!OPEN.has(r.status))
          throw notFound(
            `receivable ${id} is not open (${Object.keys(STATUS).find((k) => (STATUS as any)[k] === r.status)}): only open receivables are scored`,
          );
        throw notFound(`receivable ${id} has not been scored yet (it is re-scored after the indexer's next batch)`);
      }
      return { ...explainRow(s), graceDays, seller: s.seller, holder: s.holder };
    },

    async scores(viewer: Viewer, q: { buyer?: string | undefined; minProbability?: number | undefined; limit: number; offset: number }) {
      const { items, total } = await store.scores(riskScope(viewer), q, { limit: q.limit, offset: q.offset });
      return {
        total,
        graceDays,
        items: items.map((i) => ({ ...explainRow(i), seller: i.seller, holder: i.holder, outstanding: i.outstanding.toString(), dueDate: i.dueDate })),
      };
    },

    async setThreshold(viewer: Viewer, body: { probability: number; trendDays?: number | undefined }) {
      if (!viewer.active && !viewer.isOperator) throw forbidden("thresholds are set by active members of the consortium (as creditors)");
      if (!(viewer.roles & (Role.Seller | Role.Financier | Role.Insurer)) && !viewer.isOperator)
        throw forbidden("thresholds are set by creditors: sellers, financiers and insurers");
      const t = await store.setThreshold({
        creditor: viewer.member,
        probability: body.probability,
        trendDays: body.trendDays ?? DEFAULT_TREND_DAYS,
        updatedBy: viewer.member,
        actor: viewer.address,
      });
      return { creditor: t.creditor, probability: t.probability, trendDays: t.trendDays, updatedAt: t.updatedAt.toISOString() };
    },

    async threshold(viewer: Viewer) {
      const t = await store.threshold(viewer.member);
      return t ? { creditor: t.creditor, probability: t.probability, trendDays: t.trendDays, updatedAt: t.updatedAt.toISOString() } : null;
    },

    async alerts(viewer: Viewer, limit: number) {
      const rows = await store.alerts(riskScope(viewer).all ? null : viewer.member, limit);
      return rows.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() }));
    },

    /**
     * Examples from the ledger's history: the receivables open at `block` (and not yet more than grace days past due
     * then) with their features as of that block, labelled by what became of them by `labelBlock` (default the head):
     * 1 = paid, or still unpaid, more than grace days after the due date; undecided ones are left out.
     */
    async trainingSet(block: number, labelBlock?: number) {
      const head = await deps.head();
      if (head === null) throw badRequest("nothing indexed yet");
      const until = labelBlock ?? head;
      if (block > until || until > head) throw badRequest(`blocks ${block}..${until} are not within the indexed history (head ${head})`);
      await fillBlockTimes(null);
      const day = Math.floor((await deps.blockTime(block)) / DAY_S);
      const labelDay = Math.floor((await deps.blockTime(until)) / DAY_S);
      const [facts, outcomes] = await Promise.all([
        store.buyerFacts(null, block, day, graceDays, recent),
        store.outcomes(block, day, graceDays, labelBlock ?? null),
      ]);
      const byBuyer = new Map(facts.map((f) => [f.buyer, f]));
      const ext = await externalFacts([...byBuyer.keys()]);
      const rows: number[][] = [];
      const labels: (0 | 1)[] = [];
      for (const o of outcomes) {
        const dueDay = Math.floor(o.dueDate / DAY_S);
        let label: 0 | 1 | null = null;
        if (o.status === STATUS.Paid && o.settledAt !== null) label = Math.floor(o.settledAt / DAY_S) - dueDay > graceDays ? 1 : 0;
        else if ((OPEN.has(o.status) || o.status === STATUS.WrittenOff) && labelDay - dueDay > graceDays) label = 1;
        if (label === null) continue;
        const bf = byBuyer.get(o.buyer) ?? EMPTY_FACTS(o.buyer);
        rows.push(toArray(receivableFeatures(buyerFeatures(bf, ext(o.buyer)), bf, o, day)));
        labels.push(label);
      }
      return { rows, labels };
    },

    /** Fits a model on the ledger's history as of `block` (see trainingSet). */
    async train(block: number, version: string): Promise<LogisticModel> {
      const { rows, labels } = await this.trainingSet(block);
      if (rows.length < 20 || !labels.includes(1) || !labels.includes(0))
        throw badRequest(`too little history as of block ${block} to train on: ${rows.length} decided receivables`);
      const fit = fitLogistic(rows, labels);
      return {
        version,
        madeBy: `fitted by server/risk/model.ts (Newton/IRLS, ridge 1) on ${rows.length} receivables open at block ${block}, labels observed by the indexed head, grace ${graceDays} days`,
        graceDays,
        features: fit.features,
        mean: fit.mean,
        std: fit.std,
        intercept: fit.intercept,
        weights: fit.weights,
      };
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
