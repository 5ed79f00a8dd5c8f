// Credit profiles per counterparty (as a debtor): score and tier from the ledger's payment history, the reasons,
// the credit limit, exposure and limit use. The operator (credit analyst) sets a buyer's limit.
import { useEffect, useState, type FormEvent } from "react";
import { parseAmount } from "../../../common/money.ts";
import { financingApi, type CreditProfileJson } from "../api.ts";
import { describeError } from "../chain.ts";
import { money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { useTranslation } from "../i18n/index.ts";

function LimitForm(props: { p: CreditProfileJson; onSaved: () => void }) {
  const { p } = props;
  const { t } = useTranslation();
  const [limit, setLimit] = useState(p.limit ? money(p.limit).replace(/,/g, "") : "");
  const [rating, setRating] = useState(p.externalRating ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let units: bigint;
    try {
      units = parseAmount(limit);
    } catch (err) {
      return setError(describeError(err));
    }
    setBusy(true);
    try {
      await financingApi.setLimit(p.address, { limit: units.toString(), ...(rating.trim() ? { externalRating: rating.trim() } : {}) });
      props.onSaved();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form limit-form" onSubmit={onSubmit} aria-label={t("credit.limitFormLabel", { address: p.address })}>
      <label>
        {t("credit.creditLimit")}
        <input name="creditLimit" inputMode="decimal" required value={limit} onChange={(e) => setLimit(e.target.value)} />
      </label>
      <label>
        {t("credit.externalRating")}
        <input name="externalRating" value={rating} placeholder={t("credit.ratingPlaceholder")} onChange={(e) => setRating(e.target.value)} />
      </label>
      <button type="submit" className="primary small" disabled={busy}>
        {t("credit.saveLimit")}
      </button>
      {busy && <Spinner label={t("credit.saving")} />}
      {error && <Notice tone="error">{error}</Notice>}
    </form>
  );
}

export function CreditPage() {
  const { revision, ready, isOperator, account, refresh } = useSession();
  const { t } = useTranslation();
  const [items, setItems] = useState<CreditProfileJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setEditing(null), [account?.address]);
  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    financingApi
      .creditProfiles()
      .then((x) => {
        if (cancelled) return;
        setItems(x.items);
        setError(null);
      })
      .catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [revision, ready, account?.address]);

  return (
    <section aria-labelledby="credit-title">
      <div className="page-head">
        <div>
          <h1 id="credit-title">{t("credit.title")}</h1>
          <p className="lede">{t("credit.lede")}</p>
        </div>
      </div>
      {error && <Notice tone="error">{t("credit.loadError", { error })}</Notice>}
      {saved && <Notice tone="ok">{saved}</Notice>}
      {!items && !error && <Spinner label={t("credit.loading")} />}
      {items && (
        <div className="table-wrap">
          <table className="data-table credit-table">
            <thead>
              <tr>
                <th scope="col">{t("credit.col.counterparty")}</th>
                <th scope="col">{t("credit.col.tier")}</th>
                <th scope="col" className="num">
                  {t("credit.col.score")}
                </th>
                <th scope="col">{t("credit.col.reasons")}</th>
                <th scope="col" className="num">
                  {t("credit.col.limit")}
                </th>
                <th scope="col" className="num">
                  {t("credit.col.exposure")}
                </th>
                <th scope="col" className="num">
                  {t("credit.col.limitUse")}
                </th>
                <th scope="col" className="num">
                  {t("credit.col.dso")}
                </th>
                {isOperator && (
                  <th scope="col">
                    <span className="sr-only">{t("credit.col.setLimit")}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((p) => [
                <tr key={p.address} data-address={p.address.toLowerCase()}>
                  <td>
                    <Party address={p.address} />
                  </td>
                  <td>
                    <span className={`tier tier-${p.tier}`}>{t("credit.tier", { tier: p.tier })}</span>
                    {p.externalRating && <span className="muted small"> {t("credit.rated", { rating: p.externalRating })}</span>}
                  </td>
                  <td className="num">{p.score ?? <span className="muted">{t("credit.noHistory")}</span>}</td>
                  <td className="reasons">
                    {p.reasons.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <ul>
                        {p.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num" data-field="limit">
                    {p.limit === null ? <span className="muted">{t("credit.noneSet")}</span> : money(p.limit)}
                  </td>
                  <td className="num">
                    {money(p.exposure)}
                    <span className="muted small"> {t("credit.openCount", { n: p.openCount })}</span>
                  </td>
                  <td className="num" data-field="limit-use">
                    {p.limitUsePct === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className={p.limitUsePct > 100 ? "error-text" : p.limitUsePct > 80 ? "warn-text" : ""}>{p.limitUsePct.toFixed(1)}%</span>
                    )}
                  </td>
                  <td className="num">{p.dsoDays === null ? "—" : t("credit.dsoDays", { days: p.dsoDays.toFixed(0) })}</td>
                  {isOperator && (
                    <td>
                      <button
                        type="button"
                        className="small"
                        aria-expanded={editing === p.address}
                        onClick={() => setEditing(editing === p.address ? null : p.address)}
                      >
                        {t("credit.setLimitButton")}
                      </button>
                    </td>
                  )}
                </tr>,
                editing === p.address ? (
                  <tr key={`${p.address}-limit`} className="offer-row">
                    <td colSpan={9}>
                      <LimitForm
                        p={p}
                        onSaved={() => {
                          setEditing(null);
                          setSaved(t("credit.saved"));
                          refresh();
                        }}
                      />
                    </td>
                  </tr>
                ) : null,
              ])}
              {items.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    {t("credit.empty")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
