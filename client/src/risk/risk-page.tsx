// Early warning (issue 12): the viewer's open receivables by late-payment risk, each with the three reasons that weigh
// most in the chosen language (the server words them in en and zh-CN); the creditor's alert thresholds (a risk and
// a worsening of a buyer's trend in days); the alerts they raised.
import { useState, type FormEvent } from "react";
import "../collections/part.ts";
import { useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { useGet } from "../collections/api.ts";
import { ReceivableLink } from "../components/bits.tsx";
import { pct, riskApi, type RiskScores, type Threshold } from "./api.ts";
import { AlertList } from "./alerts.tsx";

const PAGE = 50;

export function RiskPage() {
  const { t } = useTranslation();
  const { account, source, roles, isOperator } = useSession();
  const head = (
    <div className="page-head">
      <div>
        <h1 id="risk-title">{t("collections.risk.title")}</h1>
        <p className="lede">{t("collections.risk.lede")}</p>
      </div>
    </div>
  );
  if (!account || source.kind !== "api" || (roles.length === 0 && !isOperator))
    return (
      <section aria-labelledby="risk-title">
        {head}
        <Notice tone="info">{source.kind !== "api" ? t("collections.needsServer") : t("collections.risk.needsMember")}</Notice>
      </section>
    );
  const creditor = isOperator || roles.some((r) => r === "Seller" || r === "Financier" || r === "Insurer");
  return (
    <section aria-labelledby="risk-title" className="risk-page">
      {head}
      <ScoreTable />
      <div className="grid-2">
        {creditor && <Thresholds />}
        <section className="card" aria-labelledby="risk-alerts">
          <h2 id="risk-alerts">{t("collections.risk.alerts")}</h2>
          <AlertList limit={50} />
        </section>
      </div>
    </section>
  );
}

function ScoreTable() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "zh-CN" ? "zh-CN" : "en";
  const [offset, setOffset] = useState(0);
  const got = useGet<RiskScores>(riskApi.scoresPath(PAGE, offset));
  const s = got.data;
  if (got.error) return <Notice tone="error">{t("collections.loadError", { error: got.error })}</Notice>;
  if (!s) return <Spinner label={t("common.loading")} />;
  if (s.items.length === 0) return <Notice tone="info">{t("collections.risk.empty")}</Notice>;
  return (
    <>
      <p className="muted as-of">{t("collections.risk.model", { model: s.items[0]!.model, block: s.block.number, grace: s.graceDays })}</p>
      <div className="table-wrap">
        <table className="data-table risk-table" aria-label={t("collections.risk.tableLabel")}>
          <thead>
            <tr>
              <th scope="col">{t("collections.risk.col.receivable")}</th>
              <th scope="col">{t("collections.risk.col.buyer")}</th>
              <th scope="col" className="num">
                {t("collections.risk.col.outstanding")}
              </th>
              <th scope="col" className="num">
                {t("collections.risk.col.probability")}
              </th>
              <th scope="col">{t("collections.risk.col.reasons")}</th>
            </tr>
          </thead>
          <tbody>
            {s.items.map((r) => (
              <tr key={r.receivableId} data-id={r.receivableId} data-probability={r.probability}>
                <td>
                  <ReceivableLink id={r.receivableId} />
                  <div className="muted">{displayDate(r.dueDate * 1000)}</div>
                </td>
                <td>
                  <Party address={r.buyer} inline />
                </td>
                <td className="num">{money(r.outstanding)}</td>
                <td className="num">
                  <span className={`badge ${r.probability >= 0.5 ? "badge-danger" : r.probability >= 0.2 ? "badge-warn" : "badge-ok"}`}>
                    {pct(r.probability)}
                  </span>
                </td>
                <td>
                  <ol className="reasons">
                    {r.reasons.map((x) => (
                      <li key={x.feature} data-feature={x.feature} data-contribution={x.contribution} lang={lang}>
                        <span aria-hidden="true" className={x.contribution > 0 ? "error-text" : "ok-text"}>
                          {x.contribution > 0 ? "▲" : "▼"}
                        </span>{" "}
                        {x.text[lang]}
                        <span className="sr-only"> ({x.contribution > 0 ? t("collections.risk.raises") : t("collections.risk.lowers")})</span>
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.total > PAGE && (
        <div className="pager">
          <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            ‹
          </button>
          <span>
            {offset + 1}–{Math.min(s.total, offset + PAGE)} / {s.total}
          </span>
          <button type="button" className="small" disabled={offset + PAGE >= s.total} onClick={() => setOffset(offset + PAGE)}>
            ›
          </button>
        </div>
      )}
    </>
  );
}

function Thresholds() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const got = useGet<{ threshold: Threshold | null }>(riskApi.thresholdsPath, reload);
  const [form, setForm] = useState<{ probability: string; trendDays: string } | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const cur = got.data?.threshold ?? null;
  const value = form ?? { probability: cur ? String(Math.round(cur.probability * 1000) / 10) : "30", trendDays: cur ? String(cur.trendDays) : "5" };
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = Number(value.probability) / 100;
    if (!(p > 0 && p < 1)) {
      setResult({ tone: "error", text: t("collections.risk.badProbability") });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      await riskApi.setThreshold({ probability: p, trendDays: Number(value.trendDays) });
      setResult({ tone: "ok", text: t("collections.risk.savedThreshold") });
      setForm(null);
      setReload((n) => n + 1);
    } catch (err) {
      setResult({ tone: "error", text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="risk-thresholds">
      <h2 id="risk-thresholds">{t("collections.risk.thresholds")}</h2>
      <p className="muted">{t("collections.risk.thresholdsLede")}</p>
      {got.data && (
        <p data-threshold={cur ? cur.probability : ""}>
          {cur
            ? t("collections.risk.current", { pct: pct(cur.probability), days: cur.trendDays, date: displayDate(cur.updatedAt) })
            : t("collections.risk.noThreshold")}
        </p>
      )}
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      <form className="form inline-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t("collections.risk.probability")}
          <input
            name="thresholdProbability"
            type="number"
            step="0.1"
            min="0.1"
            max="99.9"
            required
            value={value.probability}
            onChange={(e) => setForm({ ...value, probability: e.target.value })}
          />
        </label>
        <label>
          {t("collections.risk.trendDays")}
          <input
            name="thresholdTrend"
            type="number"
            step="1"
            min="0"
            max="365"
            required
            value={value.trendDays}
            onChange={(e) => setForm({ ...value, trendDays: e.target.value })}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t("collections.risk.save")}
        </button>
      </form>
    </section>
  );
}
