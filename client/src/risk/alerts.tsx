// The early-warning alerts raised for the viewer as creditor (a receivable's risk reached its threshold; a buyer's
// trend worsened), newest first: a list on the risk page and a card on the seller's dashboard.
import "../collections/part.ts";
import { useTranslation } from "../i18n/index.ts";
import { formatDateTime } from "../i18n/date-time.ts";
import { shortHex } from "../format.ts";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { useGet } from "../collections/api.ts";
import { pct, riskApi, type RiskAlert } from "./api.ts";

export function AlertList(props: { limit: number; compact?: boolean }) {
  const { t } = useTranslation();
  const got = useGet<{ items: RiskAlert[] }>(riskApi.alertsPath(props.limit));
  if (got.error) return <Notice tone="error">{t("collections.loadError", { error: got.error })}</Notice>;
  if (!got.data) return <Spinner label={t("common.loading")} />;
  if (got.data.items.length === 0) return <p className="muted">{t("collections.risk.noAlerts")}</p>;
  return (
    <ul className="plain-list alert-list">
      {got.data.items.map((a) => (
        <li key={a.id} data-alert={a.kind} data-receivable={a.receivableId ?? ""}>
          <span className="badge badge-warn">{a.kind === "threshold" ? pct(a.after) : `+${(a.after - (a.before ?? 0)).toFixed(1)}`}</span>{" "}
          {a.kind === "threshold"
            ? t("collections.risk.alertThreshold", { receivable: shortHex(a.receivableId ?? "", 8, 6), pct: pct(a.after), threshold: pct(a.threshold) })
            : t("collections.risk.alertTrend", { days: (a.after - (a.before ?? 0)).toFixed(1), before: (a.before ?? 0).toFixed(1), after: a.after.toFixed(1) })}
          <div className="muted">
            <Party address={a.buyer} inline /> · {formatDateTime(a.createdAt)}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** On the seller's dashboard (reports page): the latest alerts and a link to every score. */
export function AlertsCard() {
  const { t } = useTranslation();
  return (
    <section className="card dashboard" aria-labelledby="dash-alerts" data-dashboard="alerts">
      <h2 id="dash-alerts">{t("collections.risk.dashboardTitle")}</h2>
      <AlertList limit={5} compact />
      <p>
        <a href="#/risk">{t("collections.risk.dashboardMore")}</a>
      </p>
    </section>
  );
}
