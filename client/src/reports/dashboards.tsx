// Role dashboards (issue 11, in the client) at the top of the reports page, as of the page's as-of point and for
// the signed-in member's own side: a seller its AR, overdue, DSO and trend, aging and top overdue buyers; a buyer
// its payables calendar and what it owes by seller; a financier its holdings' aging, concentration by buyer and
// expected collections by week; an auditor or the operator the portfolio's figures. A seller also sees its
// early-warning alerts (risk/alerts.tsx).
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "../i18n/index.ts";
import { displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { BarChart, LineChart } from "../components/charts/index.tsx";
import { reportQuery, useReport, type AgingResponse, type ItemsResponse, type KpiResponse, type ReportFilter, type SeriesResponse } from "./api.ts";
import { AgingChart, BucketTable } from "./parts.tsx";
import { ReceivableLink } from "../components/bits.tsx";
import { chartUnits, dayIso, dayNumber, daysText, pastDueOf, pctText, wholeUnits } from "./format.ts";
import { AlertsCard } from "../risk/alerts.tsx";

const TOP = 5;
const WEEKS_AHEAD = 8;
/** aging/items answers at most 500 per page: the calendars read the first page of not-yet-due receivables. */
const ITEMS_LIMIT = 500;

type Role = "seller" | "buyer" | "financier" | "portfolio";

export function RoleDashboards(props: { filter: ReportFilter }) {
  const { roles, isOperator, actingFor } = useSession();
  const me = actingFor?.toLowerCase();
  if (!me) return null;
  const list: Role[] = [];
  if (roles.includes("Auditor") || isOperator) list.push("portfolio");
  if (roles.includes("Seller")) list.push("seller");
  if (roles.includes("Buyer")) list.push("buyer");
  if (roles.includes("Financier")) list.push("financier");
  // Only the as-of point carries over: a dashboard is its member's own side.
  const asOf: ReportFilter = { asOf: props.filter.asOf, party: null };
  return (
    <div className="dashboards">
      {list.map((r) =>
        r === "seller" ? (
          <SellerDashboard key={r} filter={asOf} me={me} hideWhenEmpty={list.includes("buyer")} />
        ) : r === "buyer" ? (
          <BuyerDashboard key={r} filter={asOf} me={me} />
        ) : r === "financier" ? (
          <FinancierDashboard key={r} filter={asOf} me={me} />
        ) : (
          <PortfolioDashboard key={r} filter={asOf} />
        ),
      )}
      {/* The early-warning alerts raised for the seller as creditor (issue 12). */}
      {list.includes("seller") && <AlertsCard />}
    </div>
  );
}

function Stat(props: { id: string; label: string; value: string; hint?: string; tone?: "danger" }) {
  return (
    <li className="card stat" data-stat={props.id}>
      <span className="stat-label">{props.label}</span>
      <span className={`stat-value ${props.tone === "danger" ? "error-text" : ""}`}>{props.value}</span>
      {props.hint && <span className="stat-hint">{props.hint}</span>}
    </li>
  );
}

function Shell(props: { id: string; title: string; error: string | null; loading: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card dashboard" aria-labelledby={`dash-${props.id}`} data-dashboard={props.id}>
      <h2 id={`dash-${props.id}`}>{props.title}</h2>
      {props.error && <Notice tone="error">{t("reports.loadError", { error: props.error })}</Notice>}
      {props.loading && !props.error && <Spinner label={t("common.loading")} />}
      {!props.loading && !props.error && props.children}
    </section>
  );
}

// ───────────────────────────────────────────────────────────── seller ──

/** `hideWhenEmpty`: a buyer that also sells sees this only when it has receivables open as a seller. */
function SellerDashboard(props: { filter: ReportFilter; me: string; hideWhenEmpty?: boolean }) {
  const { t, i18n } = useTranslation();
  const f: ReportFilter = { ...props.filter, party: { side: "seller", address: props.me } };
  const aging = useReport<AgingResponse>("aging", reportQuery(f, { groupBy: "buyer", limit: 500 }));
  const kpis = useReport<KpiResponse>("kpis", reportQuery(f));
  const series = useReport<SeriesResponse>("kpis/series", reportQuery(f, { months: 12 }));
  const a = aging.data;
  const topOverdue = useMemo(
    () =>
      (a?.groups ?? [])
        .map((g) => ({ party: g.party, overdue: pastDueOf(g.buckets), open: BigInt(g.openBalance) }))
        .filter((g) => g.overdue > 0n)
        .sort((x, y) => (x.overdue === y.overdue ? 0 : x.overdue > y.overdue ? -1 : 1))
        .slice(0, TOP),
    [a],
  );
  const trend = useMemo(
    () => ({
      categories: (series.data?.months ?? []).map((m) => m.period.label),
      series: [{ name: t("reports.kpi.dsoCountback"), values: (series.data?.months ?? []).map((m) => m.dsoCountback), color: "#1d4ed8" }],
      axes: [{ name: t("reports.trend.daysAxis"), format: (v: number) => String(Math.round(v)) }],
    }),
    [series.data, t, i18n.language],
  );
  if (props.hideWhenEmpty && a && a.openCount === 0) return null;
  return (
    <Shell id="seller" title={t("reports.dash.seller.title")} error={aging.error ?? kpis.error} loading={!a || !kpis.data}>
      {a && kpis.data && (
        <>
          <ul className="summary">
            <Stat id="ar" label={t("reports.dash.arTotal")} value={money(a.openBalance)} hint={t("reports.dash.openCount", { count: a.openCount })} />
            <Stat id="overdue" label={t("reports.dash.overdue")} value={money(pastDueOf(a.buckets))} tone={pastDueOf(a.buckets) > 0n ? "danger" : undefined} />
            <Stat
              id="dso"
              label={t("reports.kpi.dsoCountback")}
              value={daysText(kpis.data.dsoCountback)}
              hint={t("reports.dash.thisMonth", { label: kpis.data.period.label })}
            />
            <Stat id="cei" label={t("reports.kpi.cei")} value={pctText(kpis.data.cei)} />
          </ul>
          <div className="grid-2">
            <div>
              <h3>{t("reports.dash.agingTitle")}</h3>
              <AgingChart buckets={a.buckets} height={180} />
              <BucketTable buckets={a.buckets} openBalance={a.openBalance} openCount={a.openCount} className="dash-aging" />
            </div>
            <div>
              <h3>{t("reports.dash.dsoTrend")}</h3>
              {series.data && (
                <>
                  <LineChart {...trend} height={180} locale={i18n.language === "zh-CN" ? "zh-CN" : "en"} />
                  <p className="sr-only">{series.data.months.map((m) => `${m.period.label}: ${daysText(m.dsoCountback)}`).join("; ")}</p>
                </>
              )}
              <h3>{t("reports.dash.topOverdueBuyers")}</h3>
              <PartyTable
                rows={topOverdue.map((g) => ({ party: g.party, a: g.overdue, b: g.open }))}
                heads={[t("reports.dash.col.buyer"), t("reports.dash.overdue"), t("reports.dash.col.open")]}
                empty={t("reports.dash.noOverdue")}
              />
            </div>
          </div>
        </>
      )}
    </Shell>
  );
}

function PartyTable(props: { rows: { party: string; a: bigint; b: bigint | string }[]; heads: [string, string, string]; empty: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{props.heads[0]}</th>
            <th scope="col" className="num">
              {props.heads[1]}
            </th>
            <th scope="col" className="num">
              {props.heads[2]}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.party} data-party={r.party}>
              <td>
                <Party address={r.party} inline />
              </td>
              <td className="num" data-amount={r.a.toString()}>
                {money(r.a)}
              </td>
              <td className="num">{typeof r.b === "string" ? r.b : money(r.b)}</td>
            </tr>
          ))}
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={3} className="empty">
                {props.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

// ───────────────────────────────────────────────────────────── buyer ──

/** Monday-based week start (days since the epoch) of a day. */
const weekStart = (day: number) => day - ((new Date(day * 86_400_000).getUTCDay() + 6) % 7);

function BuyerDashboard(props: { filter: ReportFilter; me: string }) {
  const { t } = useTranslation();
  const f: ReportFilter = { ...props.filter, party: { side: "buyer", address: props.me } };
  const aging = useReport<AgingResponse>("aging", reportQuery(f, { groupBy: "seller", limit: 500 }));
  const notDue = useReport<ItemsResponse>("aging/items", reportQuery(f, { bucket: "not-due", limit: ITEMS_LIMIT }));
  const a = aging.data;
  const cal = useMemo(() => {
    if (!a || !notDue.data) return null;
    const today = dayNumber(a.asOf.reportDate);
    const weekEnd = weekStart(today) + 6;
    const d = new Date(today * 86_400_000);
    const monthEnd = dayNumber(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString());
    let week = 0n,
      weekN = 0,
      month = 0n,
      monthN = 0;
    for (const r of notDue.data.items) {
      const due = dayNumber(r.dueDate);
      if (due <= weekEnd) (week += BigInt(r.outstanding)), weekN++;
      if (due <= monthEnd) (month += BigInt(r.outstanding)), monthN++;
    }
    const next = notDue.data.items.filter((r) => dayNumber(r.dueDate) <= monthEnd);
    return { week, weekN, month, monthN, weekEnd, monthEnd, next };
  }, [a, notDue.data]);
  return (
    <Shell id="buyer" title={t("reports.dash.buyer.title")} error={aging.error ?? notDue.error} loading={!a || !cal}>
      {a && cal && (
        <>
          <ul className="summary">
            <Stat id="payable" label={t("reports.dash.payableTotal")} value={money(a.openBalance)} hint={t("reports.dash.openCount", { count: a.openCount })} />
            <Stat id="overdue" label={t("reports.dash.overdue")} value={money(pastDueOf(a.buckets))} tone={pastDueOf(a.buckets) > 0n ? "danger" : undefined} />
            <Stat
              id="week"
              label={t("reports.dash.dueThisWeek")}
              value={money(cal.week)}
              hint={t("reports.dash.dueUntil", { count: cal.weekN, date: displayDate(dayIso(cal.weekEnd)) })}
            />
            <Stat
              id="month"
              label={t("reports.dash.dueThisMonth")}
              value={money(cal.month)}
              hint={t("reports.dash.dueUntil", { count: cal.monthN, date: displayDate(dayIso(cal.monthEnd)) })}
            />
          </ul>
          {notDue.data && notDue.data.total > ITEMS_LIMIT && <Notice tone="warn">{t("reports.dash.firstOnly", { count: ITEMS_LIMIT })}</Notice>}
          <div className="grid-2">
            <div>
              <h3>{t("reports.dash.calendarTitle")}</h3>
              <div className="table-wrap">
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.items.col.due")}</th>
                      <th scope="col">{t("reports.items.col.receivable")}</th>
                      <th scope="col">{t("reports.items.col.seller")}</th>
                      <th scope="col" className="num">
                        {t("reports.items.col.outstanding")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {cal.next.map((r) => (
                      <tr key={r.id} data-id={r.id}>
                        <td>{displayDate(r.dueDate)}</td>
                        <td>
                          <ReceivableLink id={r.id} />
                        </td>
                        <td>
                          <Party address={r.seller} inline />
                        </td>
                        <td className="num">{money(r.outstanding)}</td>
                      </tr>
                    ))}
                    {cal.next.length === 0 && (
                      <tr>
                        <td colSpan={4} className="empty">
                          {t("reports.dash.nothingDue")}
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            </div>
            <div>
              <h3>{t("reports.dash.owedBySeller")}</h3>
              <PartyTable
                rows={a.groups.map((g) => ({ party: g.party, a: BigInt(g.openBalance), b: pastDueOf(g.buckets) }))}
                heads={[t("reports.dash.col.seller"), t("reports.dash.col.open"), t("reports.dash.overdue")]}
                empty={t("reports.dash.nothingOwed")}
              />
            </div>
          </div>
        </>
      )}
    </Shell>
  );
}

// ───────────────────────────────────────────────────────────── financier ──

function FinancierDashboard(props: { filter: ReportFilter; me: string }) {
  const { t, i18n } = useTranslation();
  const f: ReportFilter = { ...props.filter, party: { side: "holder", address: props.me } };
  const aging = useReport<AgingResponse>("aging", reportQuery(f, { groupBy: "buyer", limit: 500 }));
  const notDue = useReport<ItemsResponse>("aging/items", reportQuery(f, { bucket: "not-due", limit: ITEMS_LIMIT }));
  const a = aging.data;
  const weeks = useMemo(() => {
    if (!a || !notDue.data) return null;
    const first = weekStart(dayNumber(a.asOf.reportDate));
    const rows = Array.from({ length: WEEKS_AHEAD }, (_, i) => ({ from: first + 7 * i, amount: 0n, count: 0 }));
    const later = { amount: 0n, count: 0 };
    for (const r of notDue.data.items) {
      const w = Math.floor((dayNumber(r.dueDate) - first) / 7);
      const row = w >= 0 && w < WEEKS_AHEAD ? rows[w]! : later;
      row.amount += BigInt(r.outstanding);
      row.count++;
    }
    return { rows, later };
  }, [a, notDue.data]);
  const total = a ? BigInt(a.openBalance) : 0n;
  const share = (v: string) => (total === 0n ? "—" : `${(Number((BigInt(v) * 1000n) / total) / 10).toFixed(1)}%`);
  const chart = useMemo(
    () =>
      weeks && {
        categories: weeks.rows.map((w, i) => (i === 0 ? t("reports.dash.thisWeek") : displayDate(dayIso(w.from)))),
        series: [{ name: t("reports.dash.expected"), values: weeks.rows.map((w) => chartUnits(w.amount)), color: "#1d4ed8" }],
      },
    [weeks, t, i18n.language],
  );
  return (
    <Shell id="financier" title={t("reports.dash.financier.title")} error={aging.error ?? notDue.error} loading={!a || !weeks}>
      {a && weeks && chart && (
        <>
          <ul className="summary">
            <Stat id="held" label={t("reports.dash.heldTotal")} value={money(a.openBalance)} hint={t("reports.dash.openCount", { count: a.openCount })} />
            <Stat id="overdue" label={t("reports.dash.overdue")} value={money(pastDueOf(a.buckets))} tone={pastDueOf(a.buckets) > 0n ? "danger" : undefined} />
            <Stat id="buyers" label={t("reports.dash.buyers")} value={String(a.groupCount)} />
          </ul>
          <div className="grid-2">
            <div>
              <h3>{t("reports.dash.holdingsAging")}</h3>
              <BucketTable buckets={a.buckets} openBalance={a.openBalance} openCount={a.openCount} className="dash-aging" />
              <h3>{t("reports.dash.concentration")}</h3>
              <PartyTable
                rows={a.groups.slice(0, 10).map((g) => ({ party: g.party, a: BigInt(g.openBalance), b: share(g.openBalance) }))}
                heads={[t("reports.dash.col.buyer"), t("reports.dash.col.open"), t("reports.aging.col.share")]}
                empty={t("reports.dash.nothingHeld")}
              />
            </div>
            <div>
              <h3>{t("reports.dash.expectedByWeek")}</h3>
              <BarChart {...chart} format={wholeUnits} height={180} locale={i18n.language === "zh-CN" ? "zh-CN" : "en"} />
              <div className="table-wrap">
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.dash.col.week")}</th>
                      <th scope="col" className="num">
                        {t("reports.aging.col.count")}
                      </th>
                      <th scope="col" className="num">
                        {t("reports.aging.col.amount")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {weeks.rows.map((w, i) => (
                      <tr key={w.from}>
                        <th scope="row">{i === 0 ? t("reports.dash.thisWeek") : t("reports.dash.weekOf", { date: displayDate(dayIso(w.from)) })}</th>
                        <td className="num">{w.count}</td>
                        <td className="num">{money(w.amount)}</td>
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">{t("reports.dash.later")}</th>
                      <td className="num">{weeks.later.count}</td>
                      <td className="num">{money(weeks.later.amount)}</td>
                    </tr>
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </>
      )}
    </Shell>
  );
}

// ───────────────────────────────────────────────────────────── auditor / operator ──

function PortfolioDashboard(props: { filter: ReportFilter }) {
  const { t } = useTranslation();
  const aging = useReport<AgingResponse>("aging", reportQuery(props.filter, { groupBy: "seller", limit: 1 }));
  const kpis = useReport<KpiResponse>("kpis", reportQuery(props.filter));
  const a = aging.data;
  const k = kpis.data;
  return (
    <Shell id="portfolio" title={t("reports.dash.portfolio.title")} error={aging.error ?? kpis.error} loading={!a || !k}>
      {a && k && (
        <ul className="summary">
          <Stat id="ar" label={t("reports.dash.portfolioAr")} value={money(a.openBalance)} hint={t("reports.dash.openCount", { count: a.openCount })} />
          <Stat
            id="overdue"
            label={t("reports.dash.overdue")}
            value={money(pastDueOf(a.buckets))}
            hint={t("reports.kpi.byCount", { value: pctText(k.overdueRatio.count) })}
            tone={pastDueOf(a.buckets) > 0n ? "danger" : undefined}
          />
          <Stat id="atRisk" label={t("reports.kpi.atRiskRate")} value={pctText(k.atRiskRate.amount)} hint={money(k.atRiskAr)} />
          <Stat id="sellers" label={t("reports.dash.sellers")} value={String(a.groupCount)} />
          <Stat id="dso" label={t("reports.kpi.dsoCountback")} value={daysText(k.dsoCountback)} hint={t("reports.dash.thisMonth", { label: k.period.label })} />
          <Stat id="cei" label={t("reports.kpi.cei")} value={pctText(k.cei)} />
          <Stat id="collection" label={t("reports.kpi.collectionRate")} value={pctText(k.collectionRate)} />
        </ul>
      )}
    </Shell>
  );
}
