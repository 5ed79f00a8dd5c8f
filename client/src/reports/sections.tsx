// The report page's sections: aging (table, bar chart, drill-down to a bucket's receivables), the period KPIs,
// the DSO/CEI trend and the overdue ledger. Each takes the applied filter and fetches its own report.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "../i18n/index.ts";
import { displayDate, money } from "../format.ts";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { LineChart } from "../components/charts/index.tsx";
import {
  periodParams,
  reportQuery,
  useReport,
  type AgingResponse,
  type BucketName,
  type ItemsResponse,
  type KpiResponse,
  type PeriodChoice,
  type ReportFilter,
  type ReportItem,
  type SeriesResponse,
} from "./api.ts";
import { AgingChart, BucketTable, ExportLinks, Pager } from "./parts.tsx";
import { ReceivableLink } from "../components/bits.tsx";
import { bucketLabel, daysText, NONE, pctText } from "./format.ts";

const PAGE_SIZE = 20;

function LoadState(props: { error: string | null; loading: boolean; has: boolean }) {
  const { t } = useTranslation();
  if (props.error) return <Notice tone="error">{t("reports.loadError", { error: props.error })}</Notice>;
  if (props.loading && !props.has) return <Spinner label={t("common.loading")} />;
  return null;
}

// ───────────────────────────────────────────────────────────── aging ──

export function AgingSection(props: { filter: ReportFilter; onLoaded?(r: AgingResponse | null): void }) {
  const { t } = useTranslation();
  const query = reportQuery(props.filter);
  const aging = useReport<AgingResponse>("aging", query);
  const [bucket, setBucket] = useState<BucketName | null>(null);
  useEffect(() => setBucket(null), [query]);
  useEffect(() => props.onLoaded?.(aging.data), [aging.data]);
  const d = aging.data;
  return (
    <section className="card" aria-labelledby="aging-h" data-section="aging">
      <div className="section-head">
        <h2 id="aging-h">{t("reports.aging.title")}</h2>
        <ExportLinks report="aging" query={query} label={t("reports.aging.title")} />
      </div>
      <p className="muted small">{t("reports.aging.hint")}</p>
      <LoadState error={aging.error} loading={aging.loading} has={!!d} />
      {d && (
        <div className="aging-layout">
          <AgingChart buckets={d.buckets} />
          <BucketTable buckets={d.buckets} openBalance={d.openBalance} openCount={d.openCount} selected={bucket} onOpen={setBucket} />
        </div>
      )}
      {d && bucket && <BucketItems filter={props.filter} bucket={bucket} onClose={() => setBucket(null)} />}
    </section>
  );
}

function BucketItems(props: { filter: ReportFilter; bucket: BucketName; onClose(): void }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [props.bucket]);
  const exportQuery = reportQuery(props.filter, { bucket: props.bucket });
  const items = useReport<ItemsResponse>("aging/items", reportQuery(props.filter, { bucket: props.bucket, limit: PAGE_SIZE, offset }));
  const title = t("reports.drill.title", { bucket: bucketLabel(props.bucket) });
  return (
    <section className="drill-down" aria-labelledby="drill-h" data-drill={props.bucket}>
      <div className="section-head">
        <h3 id="drill-h">{title}</h3>
        <span className="section-actions">
          <ExportLinks report="aging-items" query={exportQuery} label={title} />
          <button type="button" className="small" onClick={props.onClose}>
            {t("common.close")}
          </button>
        </span>
      </div>
      <LoadState error={items.error} loading={items.loading} has={!!items.data} />
      {items.data && (
        <>
          <ItemTable items={items.data.items} showBucket={false} />
          <Pager offset={offset} limit={PAGE_SIZE} total={items.data.total} onChange={setOffset} />
        </>
      )}
    </section>
  );
}

/** Receivables of a report (a bucket's or the overdue ledger's), each linking to its page. */
export function ItemTable(props: { items: ReportItem[]; showBucket: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="data-table compact report-items">
        <thead>
          <tr>
            <th scope="col">{t("reports.items.col.receivable")}</th>
            <th scope="col">{t("reports.items.col.seller")}</th>
            <th scope="col">{t("reports.items.col.buyer")}</th>
            <th scope="col">{t("reports.items.col.holder")}</th>
            <th scope="col">{t("reports.items.col.due")}</th>
            <th scope="col" className="num">
              {t("reports.items.col.daysPastDue")}
            </th>
            {props.showBucket && <th scope="col">{t("reports.items.col.bucket")}</th>}
            <th scope="col" className="num">
              {t("reports.items.col.outstanding")}
            </th>
            <th scope="col">{t("reports.items.col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => (
            <tr key={r.id} data-id={r.id} className={r.daysPastDue > 0 ? "row-overdue" : ""}>
              <td>
                <ReceivableLink id={r.id} />
              </td>
              <td>
                <Party address={r.seller} inline />
              </td>
              <td>
                <Party address={r.buyer} inline />
              </td>
              <td>
                <Party address={r.holder} inline />
              </td>
              <td>{displayDate(r.dueDate)}</td>
              <td className="num">{r.daysPastDue}</td>
              {props.showBucket && <td>{bucketLabel(r.bucket)}</td>}
              <td className="num" data-amount={r.outstanding}>
                {money(r.outstanding)}
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          ))}
          {props.items.length === 0 && (
            <tr>
              <td colSpan={props.showBucket ? 9 : 8} className="empty">
                {t("reports.items.empty")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

// ───────────────────────────────────────────────────────────── KPIs ──

export function KpiSection(props: { filter: ReportFilter; period: PeriodChoice }) {
  const { t } = useTranslation();
  const query = reportQuery(props.filter, periodParams(props.period));
  const kpis = useReport<KpiResponse>("kpis", query);
  const k = kpis.data;
  const cards: { key: string; value: string; hint: string }[] = k
    ? [
        { key: "dsoSimple", value: daysText(k.dsoSimple), hint: t("reports.kpi.dsoSimpleHint") },
        {
          key: "dsoCountback",
          value: daysText(k.dsoCountback),
          hint: k.countbackExhausted ? t("reports.kpi.countbackExhausted") : t("reports.kpi.dsoCountbackHint"),
        },
        { key: "bpdso", value: daysText(k.bpdso), hint: t("reports.kpi.bpdsoHint") },
        { key: "add", value: daysText(k.add), hint: t("reports.kpi.addHint") },
        { key: "cei", value: pctText(k.cei), hint: t("reports.kpi.ceiHint") },
        { key: "collectionRate", value: pctText(k.collectionRate), hint: t("reports.kpi.collectionRateHint") },
        { key: "overdueRatio", value: pctText(k.overdueRatio.amount), hint: t("reports.kpi.byCount", { value: pctText(k.overdueRatio.count) }) },
        { key: "atRiskRate", value: pctText(k.atRiskRate.amount), hint: t("reports.kpi.byCount", { value: pctText(k.atRiskRate.count) }) },
      ]
    : [];
  return (
    <section className="card" aria-labelledby="kpi-h" data-section="kpis">
      <div className="section-head">
        <h2 id="kpi-h">{t("reports.kpi.title")}</h2>
        <ExportLinks report="kpis" query={query} label={t("reports.kpi.title")} />
      </div>
      <LoadState error={kpis.error} loading={kpis.loading} has={!!k} />
      {k && (
        <>
          <p className="muted small" data-testid="kpi-period">
            {t(k.period.complete ? "reports.kpi.period" : "reports.kpi.periodRunning", {
              from: displayDate(k.period.from),
              to: displayDate(k.period.to),
              days: k.period.days,
              close: displayDate(k.closingDate),
            })}{" "}
            · {k.period.monthBasis === "30" ? t("reports.controls.basis30") : t("reports.controls.basisCalendar")}
          </p>
          <ul className="summary kpi-cards" aria-label={t("reports.kpi.title")}>
            {cards.map((c) => (
              <li key={c.key} className="card stat" data-kpi={c.key}>
                <span className="stat-label">{t(`reports.kpi.${c.key}`)}</span>
                <span className="stat-value">{c.value}</span>
                <span className="stat-hint">{c.hint}</span>
              </li>
            ))}
          </ul>
          <dl className="facts kpi-figures">
            <dt>{t("reports.kpi.openingAr")}</dt>
            <dd>{money(k.openingAr)}</dd>
            <dt>{t("reports.kpi.creditSales")}</dt>
            <dd>{money(k.creditSales)}</dd>
            <dt>{t("reports.kpi.cashApplied")}</dt>
            <dd>{money(k.cashApplied)}</dd>
            <dt>{t("reports.kpi.closingAr")}</dt>
            <dd>{money(k.closingAr)}</dd>
            <dt>{t("reports.kpi.currentAr")}</dt>
            <dd>{money(k.currentAr)}</dd>
            <dt>{t("reports.kpi.pastDueAr")}</dt>
            <dd>{money(k.pastDueAr)}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

// ───────────────────────────────────────────────────────────── trend ──

export function TrendSection(props: { filter: ReportFilter; monthBasis: "30" | "calendar" }) {
  const { t, i18n } = useTranslation();
  const [months, setMonths] = useState<12 | 24>(12);
  const query = reportQuery(props.filter, { months, monthBasis: props.monthBasis });
  const series = useReport<SeriesResponse>("kpis/series", query);
  const s = series.data;
  const chart = useMemo(() => {
    const ms = s?.months ?? [];
    return {
      categories: ms.map((m) => m.period.label),
      series: [
        { name: t("reports.kpi.dsoCountback"), values: ms.map((m) => m.dsoCountback), axis: 0, color: "#1d4ed8" },
        { name: t("reports.kpi.dsoSimple"), values: ms.map((m) => m.dsoSimple), axis: 0, color: "#64748b" },
        { name: t("reports.kpi.cei"), values: ms.map((m) => m.cei), axis: 1, color: "#15803d" },
      ],
      axes: [
        { name: t("reports.trend.daysAxis"), format: (v: number) => String(Math.round(v)) },
        { name: "%", format: (v: number) => `${Math.round(v)}%` },
      ],
    };
  }, [s, t, i18n.language]);
  return (
    <section className="card" aria-labelledby="trend-h" data-section="trend">
      <div className="section-head">
        <h2 id="trend-h">{t("reports.trend.title")}</h2>
        <span className="section-actions">
          {/* biome-ignore lint/a11y/useSemanticElements: a segmented pair of buttons inline; fieldset would break the line */}
          <span className="segmented" role="group" aria-label={t("reports.trend.months")}>
            {([12, 24] as const).map((n) => (
              <button key={n} type="button" className={`small ${months === n ? "active" : ""}`} aria-pressed={months === n} onClick={() => setMonths(n)}>
                {t("reports.trend.monthsN", { count: n })}
              </button>
            ))}
          </span>
          <ExportLinks report="series" query={query} label={t("reports.trend.title")} />
        </span>
      </div>
      <LoadState error={series.error} loading={series.loading} has={!!s} />
      {s && (
        <>
          <LineChart {...chart} locale={i18n.language === "zh-CN" ? "zh-CN" : "en"} />
          <details className="chart-table">
            <summary>{t("reports.trend.asTable")}</summary>
            <div className="table-wrap">
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.trend.col.month")}</th>
                    <th scope="col" className="num">
                      {t("reports.kpi.dsoCountback")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.kpi.dsoSimple")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.kpi.cei")}
                    </th>
                    <th scope="col" className="num">
                      {t("reports.kpi.closingAr")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.months.map((m) => (
                    <tr key={m.period.label} data-month={m.period.label}>
                      <th scope="row">{m.period.label}</th>
                      <td className="num">{daysText(m.dsoCountback)}</td>
                      <td className="num">{daysText(m.dsoSimple)}</td>
                      <td className="num">{pctText(m.cei)}</td>
                      <td className="num">{money(m.closingAr)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

// ───────────────────────────────────────────────────────────── overdue ──

const SORTS = ["-daysPastDue", "daysPastDue", "-outstanding", "outstanding", "dueDate", "-dueDate"] as const;

export function OverdueSection(props: { filter: ReportFilter }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<(typeof SORTS)[number]>("-daysPastDue");
  const [offset, setOffset] = useState(0);
  const base = reportQuery(props.filter, { sort });
  useEffect(() => setOffset(0), [base]);
  const overdue = useReport<ItemsResponse>("overdue", reportQuery(props.filter, { sort, limit: PAGE_SIZE, offset }));
  const d = overdue.data;
  return (
    <section className="card" aria-labelledby="overdue-h" data-section="overdue">
      <div className="section-head">
        <h2 id="overdue-h">{t("reports.overdue.title")}</h2>
        <span className="section-actions">
          <label className="inline-field">
            {t("reports.overdue.sort")}
            <select name="overdueSort" value={sort} onChange={(e) => setSort(e.target.value as (typeof SORTS)[number])}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`reports.overdue.sortBy.${s.replace("-", "desc_")}`)}
                </option>
              ))}
            </select>
          </label>
          <ExportLinks report="overdue" query={base} label={t("reports.overdue.title")} />
        </span>
      </div>
      <p className="muted small">{d ? t("reports.overdue.count", { count: d.total }) : NONE}</p>
      <LoadState error={overdue.error} loading={overdue.loading} has={!!d} />
      {d && (
        <>
          <ItemTable items={d.items} showBucket />
          <Pager offset={offset} limit={PAGE_SIZE} total={d.total} onChange={setOffset} />
        </>
      )}
    </section>
  );
}
