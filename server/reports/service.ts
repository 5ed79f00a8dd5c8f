// The AR reports (issue 11): the definitions of aging, DSO (simple, countback), BPDSO, ADD, CEI and the
// collection KPIs (../shared/design/DOMAIN.md, "The accounts-receivable desk"), a buyer's payment behaviour, "as of" a block or a date, and
// who sees what. Pure functions first (the arithmetic, tested on their own), then the use cases over the store.
import { Role } from "../../common/roles.ts";
import { statusName } from "../../common/lifecycle.ts";
import { badRequest, notFound } from "../errors.ts";
import type { Viewer } from "../receivables/visibility.ts";
import { DAY_S } from "../../common/units.ts";
import { SETTLEMENT_DECIMALS } from "../../common/money.ts";
import type { GroupBy, PartyFilter, ReportItem, ReportScope, ReportStore } from "./store.ts";

// ───────────────────────────────────────────────────────────── definitions ──

/** Aging buckets by days past due (calendar days, UTC): index = the store's bucket number. */
export const BUCKETS = ["not-due", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;
export type BucketName = (typeof BUCKETS)[number];

/** Days past due at report day `day` (days since the epoch): day − floor(dueDate / 86400); ≤ 0 is not due. */
export function daysPastDue(dueDate: number, day: number): number {
  return day - Math.floor(dueDate / DAY_S);
}

export function bucketOf(days: number): number {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  if (days <= 120) return 4;
  return 5;
}

/** a / b × scale, rounded half up to `decimals` decimals; null when b is 0. */
export function ratio(a: bigint, b: bigint, scale = 1, decimals = 4): number | null {
  if (b === 0n) return null;
  const unit = 10n ** BigInt(decimals);
  const num = a * BigInt(scale) * unit;
  const q = (2n * num + (num >= 0n === b > 0n ? b : -b)) / (2n * b);
  return Number(q) / Number(unit);
}

export interface CountbackMonth {
  sales: bigint;
  days: number;
}

/**
 * Countback DSO (DOMAIN.md): take the open AR at period end, subtract the latest month's credit sales and count
 * its days, repeat backwards; the last month counts the fraction left. `months` newest first. When the AR is more
 * than every month's sales, the answer is all their days and `exhausted` is true (the look-back ran out).
 */
export function countbackDso(ar: bigint, months: CountbackMonth[]): { days: number; exhausted: boolean } {
  let remaining = ar;
  let days = 0;
  if (remaining <= 0n) return { days: 0, exhausted: false };
  for (const m of months) {
    if (remaining > m.sales) {
      days += m.days;
      remaining -= m.sales;
      continue;
    }
    days += ratio(remaining, m.sales, m.days, 6) ?? 0;
    return { days: round(days, 4), exhausted: false };
  }
  return { days: round(days, 4), exhausted: true };
}

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

export interface PeriodFigures {
  /** Open AR as of the period's opening (end of the day before it starts). */
  openingAr: bigint;
  /** Open AR at the period's close: total, current (not yet due), past due, > 90 days past due; with counts. */
  closing: {
    total: bigint;
    totalCount: number;
    current: bigint;
    currentCount: number;
    pastDue: bigint;
    pastDueCount: number;
    atRisk: bigint;
    atRiskCount: number;
  };
  creditSales: bigint;
  /** Principal (face amount) settled by payments in the period. */
  cashApplied: bigint;
  /** Days the period counts (30-day or calendar months; elapsed days for a period still running). */
  days: number;
  /** Credit sales per countback window, newest first. */
  countback: CountbackMonth[];
}

/** Every KPI of a period from its figures (the formulas of DOMAIN.md; null when a denominator is 0). */
export function kpisOf(f: PeriodFigures) {
  const dso = ratio(f.closing.total, f.creditSales, f.days);
  const bpdso = ratio(f.closing.current, f.creditSales, f.days);
  const cb = countbackDso(f.closing.total, f.countback);
  const ceiBase = f.openingAr + f.creditSales;
  return {
    dsoSimple: dso,
    dsoCountback: cb.days,
    countbackExhausted: cb.exhausted,
    bpdso,
    add: dso === null || bpdso === null ? null : round(dso - bpdso, 4),
    cei: ratio(ceiBase - f.closing.total, ceiBase - f.closing.current, 100),
    collectionRate: ratio(f.cashApplied, ceiBase, 100),
    overdueRatio: { amount: ratio(f.closing.pastDue, f.closing.total, 100), count: ratio(BigInt(f.closing.pastDueCount), BigInt(f.closing.totalCount), 100) },
    atRiskRate: { amount: ratio(f.closing.atRisk, f.closing.total, 100), count: ratio(BigInt(f.closing.atRiskCount), BigInt(f.closing.totalCount), 100) },
  };
}

// ───────────────────────────────────────────────────── payment behaviour ──

/** Days-late buckets of settled receivables (settlement day − due day): on time (≤ 0), 1–30, 31–60, 61–90, > 90. */
export const LATE_BUCKETS = ["on-time", "1-30", "31-60", "61-90", "over-90"] as const;

export function lateBucketOf(daysLate: number): number {
  if (daysLate <= 0) return 0;
  if (daysLate <= 30) return 1;
  if (daysLate <= 60) return 2;
  if (daysLate <= 90) return 3;
  return 4;
}

/** Face amount buckets of invoices, by decade edges in whole tokens (each bucket includes its lower edge). */
export const AMOUNT_EDGES_TOKENS = [1_000n, 10_000n, 100_000n, 1_000_000n, 10_000_000n] as const;
export const AMOUNT_BUCKETS = ["under-1k", "1k-10k", "10k-100k", "100k-1m", "1m-10m", "10m-and-over"] as const;
export const AMOUNT_EDGES = AMOUNT_EDGES_TOKENS.map((t) => t * 10n ** BigInt(SETTLEMENT_DECIMALS));

/** Settlements grouped by settlement day, days to pay and days late (the store's rows). */
export interface SettlementGroup {
  day: number;
  daysToPay: number;
  daysLate: number;
  count: number;
  amount: bigint;
}

/**
 * The days-to-pay figures of a set of settlements: buckets of days late by count and amount; the average and
 * median days to pay over the receivables (each counts once; the median of an even count is the mean of the two
 * middle values); the amount-weighted average days late, Σ(amount × max(0, days late)) / Σ amount (an early or
 * on-time payment counts 0 days late, as days beyond terms do). Null without settlements; 4 decimals.
 */
export function daysToPayOf(rows: SettlementGroup[]) {
  const buckets = LATE_BUCKETS.map((name) => ({ bucket: name, count: 0, amount: 0n }));
  let count = 0;
  let amount = 0n;
  let dtpSum = 0n;
  let lateWeighted = 0n;
  const byDtp = new Map<number, number>();
  for (const r of rows) {
    const b = buckets[lateBucketOf(r.daysLate)]!;
    b.count += r.count;
    b.amount += r.amount;
    count += r.count;
    amount += r.amount;
    dtpSum += BigInt(r.daysToPay) * BigInt(r.count);
    lateWeighted += r.amount * BigInt(Math.max(0, r.daysLate));
    byDtp.set(r.daysToPay, (byDtp.get(r.daysToPay) ?? 0) + r.count);
  }
  const sorted = [...byDtp.entries()].sort((x, y) => x[0] - y[0]);
  const nth = (k: number) => {
    let seen = 0;
    for (const [d, n] of sorted) if ((seen += n) > k) return d;
    return sorted.at(-1)![0];
  };
  const median = count === 0 ? null : count % 2 ? nth((count - 1) / 2) : (nth(count / 2 - 1) + nth(count / 2)) / 2;
  return {
    settledCount: count,
    settledAmount: amount,
    buckets,
    averageDaysToPay: ratio(dtpSum, BigInt(count)),
    medianDaysToPay: median,
    weightedAverageDaysLate: ratio(lateWeighted, amount),
  };
}

// ───────────────────────────────────────────────────────────── calendar ──

export const MAX_PERIOD_DAYS = 731;
export const MAX_SERIES_MONTHS = 24;
export const COUNTBACK_WINDOWS = 24;

export const dayOf = (unix: number) => Math.floor(unix / DAY_S);
export const isoDay = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);
const ymd = (day: number) => {
  const d = new Date(day * DAY_S * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate() };
};
const dayFromYmd = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m, d) / 1000 / DAY_S);
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** The day `months` calendar months before `day` (clamped to the month's length; a month end stays a month end). */
export function monthsBefore(day: number, months: number): number {
  const { y, m, d } = ymd(day);
  const atEnd = d === lastDayOfMonth(y, m);
  const tm = m - months;
  const ty = y + Math.floor(tm / 12);
  const tmm = ((tm % 12) + 12) % 12;
  const last = lastDayOfMonth(ty, tmm);
  return dayFromYmd(ty, tmm, atEnd ? last : Math.min(d, last));
}

export type MonthBasis = "30" | "calendar";

/** Countback windows ending at `closeDay`, newest first: [firstDay, lastDay] and the days each counts. */
export function countbackWindows(closeDay: number, basis: MonthBasis, n = COUNTBACK_WINDOWS): { first: number; last: number; days: number }[] {
  const out: { first: number; last: number; days: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (basis === "30") out.push({ first: closeDay - 30 * (i + 1) + 1, last: closeDay - 30 * i, days: 30 });
    else {
      const last = monthsBefore(closeDay, i);
      const first = monthsBefore(closeDay, i + 1) + 1;
      out.push({ first, last, days: last - first + 1 });
    }
  }
  return out;
}

export interface Period {
  fromDay: number;
  toDay: number;
  /** Days the period counts when complete (30 per month on the 30-day basis). */
  days: number;
  basis: MonthBasis;
  label: string;
}

export interface PeriodInput {
  from?: number | undefined;
  to?: number | undefined;
  period?: "month" | "quarter" | undefined;
  month?: { y: number; m: number } | undefined;
  monthBasis?: MonthBasis | undefined;
}

/** The period a KPI request names (default: the calendar month of the as-of date). 400 naming the field otherwise. */
export function resolvePeriod(input: PeriodInput, asOfDay: number): Period {
  const basis = input.monthBasis ?? "calendar";
  if (input.from !== undefined || input.to !== undefined) {
    if (input.period !== undefined || input.month !== undefined) throw badRequest("from/to: give either from and to, or period and month, not both");
    if (input.from === undefined) throw badRequest("from: required with to (YYYY-MM-DD)");
    if (input.to === undefined) throw badRequest("to: required with from (YYYY-MM-DD)");
    if (input.to < input.from) throw badRequest(`to: the period ends (${isoDay(input.to)}) before it starts (${isoDay(input.from)})`);
    const len = input.to - input.from + 1;
    if (len > MAX_PERIOD_DAYS) throw badRequest(`to: the period is ${len} days long; at most ${MAX_PERIOD_DAYS}`);
    return { fromDay: input.from, toDay: input.to, days: len, basis, label: `${isoDay(input.from)}..${isoDay(input.to)}` };
  }
  const { y, m } = input.month ?? ymd(asOfDay);
  if (input.period === "quarter") {
    const q0 = m - (m % 3);
    const fromDay = dayFromYmd(y, q0, 1);
    const toDay = dayFromYmd(y, q0 + 3, 0);
    return { fromDay, toDay, days: basis === "30" ? 90 : toDay - fromDay + 1, basis, label: `${y}-Q${q0 / 3 + 1}` };
  }
  const fromDay = dayFromYmd(y, m, 1);
  const toDay = dayFromYmd(y, m + 1, 0);
  return { fromDay, toDay, days: basis === "30" ? 30 : toDay - fromDay + 1, basis, label: `${y}-${String(m + 1).padStart(2, "0")}` };
}

// ───────────────────────────────────────────────────────────── visibility ──

/**
 * Which receivables a viewer's reports cover: auditors (active) and the operator the whole ledger; anyone else
 * what its member holds (its AR as creditor: a financier's holdings, a supplier's split parts), plus, with the seller
 * role, the receivables it issued, and with the buyer role, its payables.
 */
export function reportScope(v: Viewer): ReportScope {
  const has = (bit: number) => (v.roles & bit) !== 0;
  if (v.isOperator || (v.active && has(Role.Auditor))) return { all: true };
  return { all: false, holder: v.member, seller: has(Role.Seller) ? v.member : undefined, buyer: has(Role.Buyer) ? v.member : undefined };
}

// ───────────────────────────────────────────────────────────── use cases ──

export interface BlockInfo {
  number: number;
  hash: string;
  timestamp: number;
}

export interface ReportDeps {
  store: ReportStore;
  /** The chain's block `n` (number, hash, timestamp), or null when the node does not have it. */
  block(n: number): Promise<BlockInfo | null>;
  deploymentBlock: number;
  finalityDepth: number;
}

export interface AsOfInput {
  asOfBlock?: number | undefined;
  /** Days since the epoch (UTC) of the as-of date: the ledger as at the end of that day. */
  asOfDate?: number | undefined;
  /**
   * Internal (no route accepts it): an as-of already resolved by an earlier call — the export's later pages stay
   * at the first page's block and report day while the head moves on. Its block is still checked against the head.
   */
  pinned?: { block: number; reportDay: number } | undefined;
}

export interface AsOf {
  block: number;
  hash: string;
  timestamp: number;
  /** The day the ledger is aged at: the as-of date, else the as-of block's UTC day. */
  reportDay: number;
  final: boolean;
  head: number;
}

export interface ReportQuery extends AsOfInput, PartyFilter {}

const ISO = (unix: number) => new Date(unix * 1000).toISOString();

export function createReportService(deps: ReportDeps) {
  const { store } = deps;
  // Block times below the finality depth cannot change: cached. Newer ones are read every time (a reorg may move them).
  const finalTimes = new Map<number, BlockInfo>();

  async function blockInfo(n: number, finalUpTo: number): Promise<BlockInfo> {
    const cached = finalTimes.get(n);
    if (cached) return cached;
    const b = await deps.block(n);
    if (!b) throw badRequest(`block ${n} is not on the chain node`);
    if (n <= finalUpTo && finalTimes.size < 100_000) finalTimes.set(n, b);
    return b;
  }

  /** The last block in [lo, hi] with timestamp ≤ t (lo − 1 when even lo is later). Block times never decrease. */
  async function blockAtOrBefore(t: number, lo: number, hi: number, finalUpTo: number): Promise<number> {
    if ((await blockInfo(lo, finalUpTo)).timestamp > t) return lo - 1;
    if ((await blockInfo(hi, finalUpTo)).timestamp <= t) return hi;
    let a = lo; // ts(a) <= t
    let b = hi; // ts(b) > t
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if ((await blockInfo(mid, finalUpTo)).timestamp <= t) a = mid;
      else b = mid;
    }
    return a;
  }

  /**
   * The UTC day of each of `blocks` (ascending) as [lastBlock, day] runs: one pair per day, its last block. Block
   * times never decrease, so a run whose two ends fall on one day is that day throughout: bisection reads about
   * (days × log of the blocks a day) block times, not one per block.
   */
  async function dayRuns(blocks: number[], finalUpTo: number): Promise<{ lastBlock: number; day: number }[]> {
    const days: (number | undefined)[] = new Array(blocks.length);
    const at = async (i: number) => (days[i] ??= dayOf((await blockInfo(blocks[i]!, finalUpTo)).timestamp));
    async function fill(lo: number, hi: number): Promise<void> {
      const a = await at(lo);
      const b = await at(hi);
      if (a === b) {
        for (let i = lo + 1; i < hi; i++) days[i] = a;
        return;
      }
      if (hi - lo <= 1) return;
      const mid = (lo + hi) >> 1;
      await fill(lo, mid);
      await fill(mid, hi);
    }
    if (blocks.length) await fill(0, blocks.length - 1);
    const runs: { lastBlock: number; day: number }[] = [];
    for (let i = 0; i < blocks.length; i++) if (i === blocks.length - 1 || days[i + 1] !== days[i]) runs.push({ lastBlock: blocks[i]!, day: days[i]! });
    return runs;
  }

  async function resolveAsOf(input: AsOfInput): Promise<AsOf & { finalUpTo: number }> {
    if (input.asOfBlock !== undefined && input.asOfDate !== undefined) throw badRequest("asOfBlock/asOfDate: give one of them, not both");
    const cp = await store.checkpoint();
    if (!cp || cp.number < deps.deploymentBlock) throw badRequest("nothing is indexed yet: the reports have no block to be as of");
    const finalUpTo = cp.headBlock - deps.finalityDepth;
    const first = deps.deploymentBlock;
    let block = cp.number;
    if (input.pinned !== undefined) {
      if (input.pinned.block > cp.number) throw badRequest(`asOfBlock: block ${input.pinned.block} is beyond the indexed head ${cp.number}`);
      block = input.pinned.block;
    } else if (input.asOfBlock !== undefined) {
      if (input.asOfBlock > cp.number) throw badRequest(`asOfBlock: block ${input.asOfBlock} is beyond the indexed head ${cp.number}`);
      if (input.asOfBlock < first) throw badRequest(`asOfBlock: block ${input.asOfBlock} is before the ledger's deployment block ${first}`);
      block = input.asOfBlock;
    } else if (input.asOfDate !== undefined) {
      const firstInfo = await blockInfo(first, finalUpTo);
      const headInfo = await blockInfo(cp.number, finalUpTo);
      if (input.asOfDate < dayOf(firstInfo.timestamp)) {
        throw badRequest(
          `asOfDate: ${isoDay(input.asOfDate)} is before the first block (the deployment block ${first}, ${isoDay(dayOf(firstInfo.timestamp))})`,
        );
      }
      if (input.asOfDate > dayOf(headInfo.timestamp)) {
        throw badRequest(`asOfDate: ${isoDay(input.asOfDate)} is after the indexed head (block ${cp.number}, ${isoDay(dayOf(headInfo.timestamp))})`);
      }
      block = await blockAtOrBefore((input.asOfDate + 1) * DAY_S - 1, first, cp.number, finalUpTo);
    }
    const info = await blockInfo(block, finalUpTo);
    return {
      block,
      hash: info.hash,
      timestamp: info.timestamp,
      reportDay: input.pinned?.reportDay ?? input.asOfDate ?? dayOf(info.timestamp),
      final: block <= finalUpTo,
      head: cp.number,
      finalUpTo,
    };
  }

  /** The viewer's scope, with each party filter checked: 400 for an unknown party, 404 for one it may not see. */
  async function scopeFor(viewer: Viewer, f: PartyFilter): Promise<ReportScope> {
    const scope = reportScope(viewer);
    for (const side of ["seller", "buyer", "holder"] as const) {
      const party = f[side];
      if (party === undefined) continue;
      if (!(await store.isMember(party))) throw badRequest(`${side}: ${party} is not a member of the consortium`);
      if (!scope.all && party !== viewer.member && !(await store.partyInScope(scope, side, party))) {
        throw notFound(`${side}: no receivables of ${party} are visible to you`);
      }
    }
    return scope;
  }

  const stamp = (a: AsOf) => ({
    block: { number: a.block, hash: a.hash, final: a.final },
    blockTime: ISO(a.timestamp),
    reportDate: isoDay(a.reportDay),
    indexedHead: a.head,
  });

  const filterOf = (q: PartyFilter): PartyFilter => ({ seller: q.seller, buyer: q.buyer, holder: q.holder });

  function itemJson(r: ReportItem, day: number) {
    const d = daysPastDue(r.dueDate, day);
    return {
      id: r.id,
      seller: r.seller,
      buyer: r.buyer,
      holder: r.holder,
      status: statusName(r.status),
      faceAmount: r.faceAmount.toString(),
      outstanding: r.outstanding.toString(),
      issueDate: ISO(r.issueDate),
      dueDate: ISO(r.dueDate),
      daysPastDue: Math.max(0, d),
      bucket: BUCKETS[bucketOf(d)]!,
      parentId: r.parentId,
    };
  }

  /**
   * Where a period's figures come from: the store directly (one period), or, for a series, sales read once for
   * the whole series and balances shared between a month's close and the next month's opening (the same block,
   * aged at the same day).
   */
  interface FigureSources {
    balances(block: number, day: number): ReturnType<ReportStore["balances"]>;
    /** Credit sales by issue day, for a day-aligned range [fromDay, toDay] the sources cover. */
    sales(fromDay: number, toDay: number): Promise<Map<number, bigint>>;
  }

  const salesMap = (rows: { day: number; amount: bigint }[]) => new Map(rows.map((r) => [r.day, r.amount]));
  const sumDays = (days: Map<number, bigint>, from: number, to: number) => {
    let s = 0n;
    for (const [d, amount] of days) if (d >= from && d <= to) s += amount;
    return s;
  };

  function directSources(scope: ReportScope, f: PartyFilter, a: AsOf): FigureSources {
    return {
      balances: (block, day) => store.balances(scope, f, block, day),
      sales: async (fromDay, toDay) => salesMap(await store.salesByDay(scope, f, a.block, fromDay * DAY_S, (toDay + 1) * DAY_S - 1)),
    };
  }

  /** The period's closing block, opening block and closing day (the close clamped to the as-of block). */
  async function periodBlocks(a: AsOf & { finalUpTo: number }, p: Period) {
    const first = deps.deploymentBlock;
    const running = p.toDay >= a.reportDay;
    const closeDay = running ? a.reportDay : p.toDay;
    const closeBlock = running ? a.block : await blockAtOrBefore((p.toDay + 1) * DAY_S - 1, first, a.block, a.finalUpTo);
    const openBlock = await blockAtOrBefore(p.fromDay * DAY_S - 1, first, a.block, a.finalUpTo);
    return { running, closeDay, closeBlock, openBlock, windows: countbackWindows(closeDay, p.basis) };
  }

  /** The issue days a period's sales and countback windows read. */
  const salesRange = (p: Period, b: Awaited<ReturnType<typeof periodBlocks>>) => ({
    from: Math.min(p.fromDay, b.windows[b.windows.length - 1]!.first),
    to: Math.max(p.toDay, b.closeDay),
  });

  /** Figures of one period as of `a` (the opening, the close clamped to the as-of block, sales, cash). */
  async function periodFigures(
    scope: ReportScope,
    f: PartyFilter,
    a: AsOf & { finalUpTo: number },
    p: Period,
    src = directSources(scope, f, a),
  ): Promise<PeriodFigures & { openBlock: number; closeBlock: number; closeDay: number }> {
    const first = deps.deploymentBlock;
    const b = await periodBlocks(a, p);
    const { running, closeDay, closeBlock, openBlock, windows } = b;
    const range = salesRange(p, b);
    const [closing, opening, days, cash] = await Promise.all([
      src.balances(closeBlock, closeDay),
      openBlock < first ? null : src.balances(openBlock, p.fromDay - 1),
      src.sales(range.from, range.to),
      openBlock >= closeBlock ? null : store.payments(scope, f, Math.max(openBlock, first - 1), closeBlock),
    ]);
    return {
      openingAr: opening?.total ?? 0n,
      closing,
      creditSales: sumDays(days, p.fromDay, p.toDay),
      cashApplied: cash?.principal ?? 0n,
      days: running ? closeDay - p.fromDay + 1 : p.days,
      countback: windows.map((w) => ({ sales: sumDays(days, w.first, w.last), days: w.days })),
      openBlock,
      closeBlock,
      closeDay,
    };
  }

  function periodJson(p: Period, fig: Awaited<ReturnType<typeof periodFigures>>) {
    const k = kpisOf(fig);
    return {
      period: { label: p.label, from: isoDay(p.fromDay), to: isoDay(p.toDay), monthBasis: p.basis, days: fig.days, complete: fig.closeDay === p.toDay },
      openingBlock: fig.openBlock,
      closingBlock: fig.closeBlock,
      closingDate: isoDay(fig.closeDay),
      openingAr: fig.openingAr.toString(),
      closingAr: fig.closing.total.toString(),
      closingCount: fig.closing.totalCount,
      currentAr: fig.closing.current.toString(),
      pastDueAr: fig.closing.pastDue.toString(),
      pastDueCount: fig.closing.pastDueCount,
      atRiskAr: fig.closing.atRisk.toString(),
      atRiskCount: fig.closing.atRiskCount,
      creditSales: fig.creditSales.toString(),
      cashApplied: fig.cashApplied.toString(),
      ...k,
    };
  }

  return {
    resolveAsOf,

    async aging(viewer: Viewer, q: ReportQuery & { groupBy: GroupBy; limit: number; offset: number }) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      const cells = await store.aging(scope, f, a.block, a.reportDay, q.groupBy);
      const empty = () => BUCKETS.map((name) => ({ bucket: name, count: 0, amount: 0n }));
      const total = empty();
      const groups = new Map<string, ReturnType<typeof empty>>();
      for (const c of cells) {
        total[c.bucket]!.count += c.count;
        total[c.bucket]!.amount += c.amount;
        if (q.groupBy !== "none") {
          const g = groups.get(c.group!) ?? empty();
          g[c.bucket]!.count += c.count;
          g[c.bucket]!.amount += c.amount;
          groups.set(c.group!, g);
        }
      }
      const json = (bs: ReturnType<typeof empty>) => ({
        buckets: bs.map((b) => ({ bucket: b.bucket, count: b.count, amount: b.amount.toString() })),
        openBalance: bs.reduce((s, b) => s + b.amount, 0n).toString(),
        openCount: bs.reduce((s, b) => s + b.count, 0),
      });
      const sorted = [...groups.entries()]
        .map(([party, bs]) => ({ party, bs, sum: bs.reduce((s, b) => s + b.amount, 0n) }))
        .sort((x, y) => (x.sum === y.sum ? (x.party < y.party ? -1 : 1) : x.sum > y.sum ? -1 : 1));
      return {
        asOf: stamp(a),
        groupBy: q.groupBy,
        ...json(total),
        groups: sorted.slice(q.offset, q.offset + q.limit).map((g) => ({ party: g.party, ...json(g.bs) })),
        groupCount: sorted.length,
      };
    },

    async agingItems(viewer: Viewer, q: ReportQuery & { bucket: BucketName; limit: number; offset: number }) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      const page = await store.openItems(scope, f, a.block, a.reportDay, BUCKETS.indexOf(q.bucket), { key: "dueDate", descending: false }, q);
      return { asOf: stamp(a), bucket: q.bucket, total: page.total, items: page.items.map((r) => itemJson(r, a.reportDay)) };
    },

    async overdue(viewer: Viewer, q: ReportQuery & { sort: string; limit: number; offset: number }) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      const desc = q.sort.startsWith("-");
      const key = desc ? q.sort.slice(1) : q.sort;
      // More days past due = an earlier due date.
      const sort =
        key === "outstanding"
          ? { key: "outstanding" as const, descending: desc }
          : key === "dueDate"
            ? { key: "dueDate" as const, descending: desc }
            : { key: "dueDate" as const, descending: !desc };
      const page = await store.openItems(scope, f, a.block, a.reportDay, "overdue", sort, q);
      return { asOf: stamp(a), total: page.total, items: page.items.map((r) => itemJson(r, a.reportDay)) };
    },

    async kpis(viewer: Viewer, q: ReportQuery & PeriodInput) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      const p = resolvePeriod(q, a.reportDay);
      if (p.fromDay > a.reportDay) throw badRequest(`from: the period starts (${isoDay(p.fromDay)}) after the as-of date (${isoDay(a.reportDay)})`);
      return { asOf: stamp(a), ...periodJson(p, await periodFigures(scope, f, a, p)) };
    },

    async series(viewer: Viewer, q: ReportQuery & { months: number; month?: { y: number; m: number } | undefined; monthBasis?: MonthBasis | undefined }) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      const last = resolvePeriod({ period: "month", month: q.month, monthBasis: q.monthBasis }, a.reportDay);
      if (last.fromDay > a.reportDay) throw badRequest(`month: ${last.label} starts after the as-of date (${isoDay(a.reportDay)})`);
      const periods: Period[] = [];
      for (let i = q.months - 1; i >= 0; i--) {
        const d = ymd(monthsBefore(last.fromDay, i));
        periods.push(resolvePeriod({ period: "month", month: { y: d.y, m: d.m }, monthBasis: q.monthBasis }, a.reportDay));
      }
      // Sales as of the as-of block for every month and window at once; each balance once per (block, day).
      const ranges = await Promise.all(periods.map(async (p) => salesRange(p, await periodBlocks(a, p))));
      const from = Math.min(...ranges.map((r) => r.from));
      const to = Math.max(...ranges.map((r) => r.to));
      let allSales: Promise<Map<number, bigint>> | null = null;
      const balances = new Map<string, ReturnType<ReportStore["balances"]>>();
      const src: FigureSources = {
        balances: (block, day) => {
          const key = `${block}:${day}`;
          if (!balances.has(key)) balances.set(key, store.balances(scope, f, block, day));
          return balances.get(key)!;
        },
        sales: () => (allSales ??= store.salesByDay(scope, f, a.block, from * DAY_S, (to + 1) * DAY_S - 1).then(salesMap)),
      };
      const out = await Promise.all(periods.map(async (p) => periodJson(p, await periodFigures(scope, f, a, p, src))));
      return { asOf: stamp(a), months: out };
    },

    async paymentBehaviour(viewer: Viewer, q: ReportQuery & { buyer: string; from?: number | undefined; to?: number | undefined }) {
      const a = await resolveAsOf(q);
      const f = filterOf(q);
      const scope = await scopeFor(viewer, f);
      // Default: the 12 calendar months ending at the as-of date.
      const p =
        q.from !== undefined || q.to !== undefined
          ? resolvePeriod({ from: q.from, to: q.to }, a.reportDay)
          : { fromDay: monthsBefore(a.reportDay, 12) + 1, toDay: a.reportDay };
      if (p.fromDay > a.reportDay) throw badRequest(`from: the period starts (${isoDay(p.fromDay)}) after the as-of date (${isoDay(a.reportDay)})`);
      const first = deps.deploymentBlock;
      const running = p.toDay >= a.reportDay;
      const closeDay = running ? a.reportDay : p.toDay;
      const closeBlock = running ? a.block : await blockAtOrBefore((p.toDay + 1) * DAY_S - 1, first, a.block, a.finalUpTo);
      const openBlock = Math.max(first - 1, await blockAtOrBefore(p.fromDay * DAY_S - 1, first, a.block, a.finalUpTo));
      const any = openBlock < closeBlock;

      const blocks = any ? await store.settlementBlocks(scope, f, a.block, openBlock, closeBlock) : [];
      const runs = await dayRuns(blocks, a.finalUpTo);
      const [settled, issued, events, open] = await Promise.all([
        any ? store.settlements(scope, f, a.block, openBlock, closeBlock, runs) : [],
        store.issuedByAmount(scope, f, a.block, p.fromDay * DAY_S, (p.toDay + 1) * DAY_S - 1, AMOUNT_EDGES),
        any ? store.disputesAndNotes(scope, f, a.block, openBlock, closeBlock) : [],
        store.openDisputes(scope, f, a.block),
      ]);

      const dtp = daysToPayOf(settled);
      // On-time share by calendar month of settlement, for every month of the period up to its close.
      const months: { y: number; m: number; count: number; amount: bigint; onTimeCount: number; onTimeAmount: bigint }[] = [];
      const start = ymd(p.fromDay);
      const end = ymd(closeDay);
      for (let y = start.y, m = start.m; y < end.y || (y === end.y && m <= end.m); m === 11 ? ((m = 0), y++) : m++)
        months.push({ y, m, count: 0, amount: 0n, onTimeCount: 0, onTimeAmount: 0n });
      for (const r of settled) {
        // Always inside the period (its blocks are); clamped only against a block time moved by a reorganisation meanwhile.
        const d = ymd(Math.min(Math.max(r.day, p.fromDay), closeDay));
        const row = months.find((x) => x.y === d.y && x.m === d.m)!;
        row.count += r.count;
        row.amount += r.amount;
        if (r.daysLate <= 0) (row.onTimeCount += r.count), (row.onTimeAmount += r.amount);
      }
      const amountBuckets = AMOUNT_BUCKETS.map((name, i) => ({
        bucket: name,
        count: 0,
        amount: 0n,
        from: i === 0 ? 0n : AMOUNT_EDGES[i - 1]!,
        to: AMOUNT_EDGES[i] ?? null,
      }));
      for (const b of issued) (amountBuckets[b.bucket]!.count += b.count), (amountBuckets[b.bucket]!.amount += b.amount);
      const ev = (k: string) => events.find((e) => e.kind === k) ?? { count: 0, amount: 0n };
      const cnt = (x: { count: number; amount: bigint }) => ({ count: x.count, amount: x.amount.toString() });
      const confirmed = ev("confirmed");
      const cancelled = ev("cancelled");
      return {
        asOf: stamp(a),
        buyer: q.buyer,
        seller: q.seller ?? null,
        holder: q.holder ?? null,
        period: {
          from: isoDay(p.fromDay),
          to: isoDay(p.toDay),
          days: p.toDay - p.fromDay + 1,
          closingDate: isoDay(closeDay),
          complete: closeDay === p.toDay,
          openingBlock: openBlock,
          closingBlock: closeBlock,
        },
        daysToPay: {
          settledCount: dtp.settledCount,
          settledAmount: dtp.settledAmount.toString(),
          buckets: dtp.buckets.map((b) => ({ bucket: b.bucket, count: b.count, amount: b.amount.toString() })),
          averageDaysToPay: dtp.averageDaysToPay,
          medianDaysToPay: dtp.medianDaysToPay,
          weightedAverageDaysLate: dtp.weightedAverageDaysLate,
        },
        onTimeByMonth: months.map((x) => ({
          month: `${x.y}-${String(x.m + 1).padStart(2, "0")}`,
          count: x.count,
          amount: x.amount.toString(),
          onTimeCount: x.onTimeCount,
          onTimeAmount: x.onTimeAmount.toString(),
          onTimeShare: { count: ratio(BigInt(x.onTimeCount), BigInt(x.count), 100), amount: ratio(x.onTimeAmount, x.amount, 100) },
        })),
        invoiceAmounts: {
          count: amountBuckets.reduce((s, b) => s + b.count, 0),
          amount: amountBuckets.reduce((s, b) => s + b.amount, 0n).toString(),
          buckets: amountBuckets.map((b) => ({
            bucket: b.bucket,
            from: b.from.toString(),
            to: b.to === null ? null : b.to.toString(),
            count: b.count,
            amount: b.amount.toString(),
          })),
        },
        disputes: {
          raised: cnt(ev("raised")),
          resolved: {
            count: confirmed.count + cancelled.count,
            amount: (confirmed.amount + cancelled.amount).toString(),
            byConfirmation: cnt(confirmed),
            byCancellation: cnt(cancelled),
          },
          openAtAsOf: cnt(open),
        },
        creditNotes: { issued: cnt(ev("noteIssued")), accepted: cnt(ev("noteAccepted")) },
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
