// Credit use cases: a counterparty's profile (internal score and tier from ledger payment history, limit set by
// the operator, exposure from the aggregates, limit use) and setting a limit.
import { Role } from "../../common/roles.ts";
import { HttpError, forbidden } from "../errors.ts";
import { mayDecideCredit, mayDo, whoMayDo } from "../../common/desk-roles.ts";
import { COLLECTABLE, STATUS } from "../../common/lifecycle.ts";
import { DAY_S } from "../../common/units.ts";
import type { Viewer } from "../receivables/visibility.ts";
import type { CreditQueries } from "./store.ts";
import { scoreHistory, limitUsePct, DSO_WINDOW_DAYS, type CreditScore } from "./scoring.ts";

export interface Clock {
  now(): Promise<number>;
  blockTime(n: number): Promise<number>;
}

export interface CreditProfile {
  address: string;
  score: CreditScore;
  limit: bigint | null;
  externalRating: string | null;
  note: string | null;
  limitSetBy: string | null;
  /** the person who set it (the operator's own key or one of its staff) */
  limitSetByPerson: string | null;
  limitSetAt: Date | null;
  exposure: bigint;
  openBalance: bigint;
  confirmedOpen: bigint;
  openCount: number;
  limitUsePct: number | null;
  /** Simple DSO = open balance / face issued in the last 90 days × 90 (null without sales in the window). */
  dsoDays: number | null;
  overdueOpen: number;
}

/** Who may read credit profiles: the party itself, active financiers, insurers and auditors, and the operator. */
export function canSeeCredit(v: Viewer, address: string): boolean {
  return v.member === address || v.isOperator || (v.active && (v.roles & (Role.Financier | Role.Insurer | Role.Auditor)) !== 0);
}

/** Who may set limits: the operator (the consortium's credit analyst desk). */
export function canSetLimits(v: Viewer): boolean {
  return v.isOperator;
}

export function createCreditService(deps: { queries: CreditQueries; clock: Clock }) {
  const { queries, clock } = deps;

  async function profile(address: string): Promise<CreditProfile> {
    const now = await clock.now();
    const [h, balance, limit] = await Promise.all([queries.buyerHistory(address), queries.buyerBalance(address), queries.limit(address)]);
    const settled: { dueDate: number; settledAt: number }[] = [];
    for (const r of h.receivables) {
      const block = h.settledAtBlock.get(r.id);
      if (r.status === STATUS.Paid && block !== undefined) settled.push({ dueDate: r.dueDate, settledAt: await clock.blockTime(block) });
    }
    const overdueOpen = h.receivables.filter((r) => COLLECTABLE.has(r.status) && r.dueDate < now);
    const defaults = h.receivables.filter((r) => r.status === STATUS.Defaulted || r.status === STATUS.WrittenOff).length;
    const score = scoreHistory({ total: h.receivables.length, settled, overdueOpen, disputes: h.disputes, defaults }, now);
    const windowStart = now - DSO_WINDOW_DAYS * DAY_S;
    const sales = h.receivables.filter((r) => r.issueDate >= windowStart).reduce((s, r) => s + r.faceAmount, 0n);
    const dsoDays = sales > 0n ? Number((balance.openBalance * BigInt(DSO_WINDOW_DAYS) * 100n) / sales) / 100 : null;
    return {
      address,
      score,
      limit: limit?.limitAmount ?? null,
      externalRating: limit?.externalRating ?? null,
      note: limit?.note ?? null,
      limitSetBy: limit?.updatedBy ?? null,
      limitSetByPerson: limit ? (limit.actor ?? limit.updatedBy) : null,
      limitSetAt: limit?.updatedAt ?? null,
      exposure: balance.exposure,
      openBalance: balance.openBalance,
      confirmedOpen: balance.confirmedOpen,
      openCount: balance.openCount,
      limitUsePct: limitUsePct(balance.exposure, limit?.limitAmount ?? null),
      dsoDays,
      overdueOpen: overdueOpen.length,
    };
  }

  return {
    profile,

    async profileFor(viewer: Viewer, address: string) {
      if (!canSeeCredit(viewer, address)) throw forbidden("credit profiles are visible to the party itself, financiers, insurers, auditors and the operator");
      return await profile(address);
    },

    async list(viewer: Viewer) {
      if (!(viewer.isOperator || (viewer.active && (viewer.roles & (Role.Financier | Role.Insurer | Role.Auditor)) !== 0))) {
        throw forbidden("the list of credit profiles is visible to financiers, insurers, auditors and the operator");
      }
      const buyers = new Set([...(await queries.buyers()), ...(await queries.limits()).map((l) => l.buyer)]);
      const out: CreditProfile[] = [];
      for (const b of [...buyers].sort()) out.push(await profile(b));
      return out;
    },

    async setLimit(viewer: Viewer, buyer: string, input: { limit: bigint; externalRating?: string | undefined; note?: string | undefined }) {
      if (!canSetLimits(viewer)) throw forbidden("only the operator (credit analyst) sets credit limits");
      if (!mayDecideCredit(viewer, input.limit)) {
        throw new HttpError(
          403,
          "desk_role",
          mayDo(viewer, "creditDecisions")
            ? `a limit of ${input.limit} base units is above this credit approver's authority of ${viewer.authority ?? 0n}`
            : `credit limits are set by ${whoMayDo("creditDecisions")} (up to its authority)`,
        );
      }
      await queries.setLimit({
        buyer,
        limitAmount: input.limit,
        externalRating: input.externalRating ?? null,
        note: input.note ?? null,
        updatedBy: viewer.member,
        actor: viewer.address,
        updatedAt: new Date(),
      });
      return await profile(buyer);
    },
  };
}

export type CreditService = ReturnType<typeof createCreditService>;

export function creditProfileJson(p: CreditProfile) {
  return {
    address: p.address,
    score: p.score.score,
    tier: p.score.tier,
    onTimeRatio: p.score.onTimeRatio,
    averageDaysLate: p.score.averageDaysLate,
    decided: p.score.decided,
    disputes: p.score.disputes,
    defaults: p.score.defaults,
    overdueOpen: p.overdueOpen,
    reasons: p.score.reasons,
    limit: p.limit === null ? null : p.limit.toString(),
    externalRating: p.externalRating,
    note: p.note,
    limitSetBy: p.limitSetBy,
    limitSetByPerson: p.limitSetByPerson,
    limitSetAt: p.limitSetAt ? p.limitSetAt.toISOString() : null,
    exposure: p.exposure.toString(),
    openBalance: p.openBalance.toString(),
    confirmedOpen: p.confirmedOpen.toString(),
    openCount: p.openCount,
    limitUsePct: p.limitUsePct,
    dsoDays: p.dsoDays,
  };
}
