// The AR reports (issue 11): the member's dashboard, then aging with its drill-down, the period KPIs, the
// DSO/CEI trend and the overdue ledger, all as of one point (the head, a day's end or a block) and optionally
// narrowed to one party; every table exports to CSV and XLSX with the same query.
import { useState } from "react";
import { useSession } from "../session.tsx";
import { Notice } from "../components/bits.tsx";
import { useTranslation } from "../i18n/index.ts";
import { addCatalogPart } from "../i18n/parts.ts";
import { reportsEn } from "../i18n/reports/en.ts";
import { reportsZhCN } from "../i18n/reports/zh-CN.ts";
import type { AgingResponse } from "../reports/api.ts";
import { ReportControls, type Selection } from "../reports/controls.tsx";
import { RoleDashboards } from "../reports/dashboards.tsx";
import { AsOfLine } from "../reports/parts.tsx";
import { AgingSection, KpiSection, OverdueSection, TrendSection } from "../reports/sections.tsx";

// The reports' strings come with this chunk (the first route bundles only the main catalog).
addCatalogPart("reports", { en: reportsEn, "zh-CN": reportsZhCN });

const INITIAL: Selection = { filter: { asOf: { kind: "head" }, party: null }, period: { kind: "month", month: "", monthBasis: "calendar" } };

export function ReportsPage() {
  const { t } = useTranslation();
  const { account, source, roles, isOperator } = useSession();
  const [sel, setSel] = useState<Selection>(INITIAL);
  const [aging, setAging] = useState<AgingResponse | null>(null);
  const head = (
    <div className="page-head">
      <div>
        <h1 id="reports-title">{t("reports.title")}</h1>
        <p className="lede">{t("reports.lede")}</p>
      </div>
    </div>
  );
  if (!account || source.kind !== "api" || (roles.length === 0 && !isOperator))
    return (
      <section aria-labelledby="reports-title">
        {head}
        <Notice tone="info">{source.kind !== "api" ? t("reports.needsServer") : t("reports.membersOnly")}</Notice>
      </section>
    );
  return (
    <section aria-labelledby="reports-title" className="reports-page">
      {head}
      <ReportControls value={sel} onApply={setSel} />
      <AsOfLine asOf={aging?.asOf} />
      <RoleDashboards filter={sel.filter} />
      <AgingSection filter={sel.filter} onLoaded={setAging} />
      <KpiSection filter={sel.filter} period={sel.period} />
      <TrendSection filter={sel.filter} monthBasis={sel.period.monthBasis} />
      <OverdueSection filter={sel.filter} />
    </section>
  );
}
