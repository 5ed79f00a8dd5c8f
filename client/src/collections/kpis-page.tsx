// Collection KPIs per collector and for the team over a period (issue 12; DOMAIN.md "Collection KPIs"): cases
// worked, actions done against due, amount collected, promises secured, fell due and kept, and the promise-kept rate,
// as the server computes them. A collector sees its own row, a manager every collector's and the team's.
import { useState, type FormEvent } from "react";
import { useTranslation } from "../i18n/index.ts";
import { money } from "../format.ts";
import { Notice, Spinner } from "../components/bits.tsx";
import { collectionsApi, todayIso, useCollectionsPerson, useCollectors, useGet, type CollectorKpis, type KpiAnswer } from "./api.ts";
import { CollectionsShell, CollectorName } from "./parts.tsx";

const monthStart = (iso: string) => `${iso.slice(0, 8)}01`;

export function KpisPage() {
  const { t } = useTranslation();
  const me = useCollectionsPerson();
  const [period, setPeriod] = useState(() => ({ from: monthStart(todayIso()), to: todayIso() }));
  const [form, setForm] = useState(period);
  const got = useGet<KpiAnswer>(me?.works ? collectionsApi.kpisPath(period.from, period.to) : null);
  const people = useCollectors(me?.member ?? null);
  const k = got.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPeriod(form);
  };
  const cells = (x: CollectorKpis) => (
    <>
      <td className="num">{x.casesWorked}</td>
      <td className="num">
        {x.actionsDone} / {x.actionsDue}
      </td>
      <td className="num" data-amount={x.amountCollected}>
        {money(x.amountCollected)}
      </td>
      <td className="num">{x.promisesSecured}</td>
      <td className="num">
        {x.promisesKept} / {x.promisesFellDue}
      </td>
      <td className="num">{x.promiseKeptRate === null ? "—" : `${x.promiseKeptRate.toFixed(1)}%`}</td>
    </>
  );
  return (
    <CollectionsShell tab="kpis" titleId="kpis-title" title={t("collections.kpis.title")} lede={t("collections.kpis.lede")}>
      <form className="form inline-form" onSubmit={submit}>
        <label>
          {t("collections.kpis.from")}
          <input type="date" name="kpiFrom" required value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          {t("collections.kpis.to")}
          <input type="date" name="kpiTo" required value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <button type="submit">{t("collections.kpis.apply")}</button>
      </form>
      {got.error && <Notice tone="error">{t("collections.loadError", { error: got.error })}</Notice>}
      {!k && !got.error && <Spinner label={t("common.loading")} />}
      {k && k.collectors.length === 0 && !k.team && <Notice tone="info">{t("collections.kpis.empty")}</Notice>}
      {k && (k.collectors.length > 0 || k.team) && me && (
        <div className="table-wrap">
          <table className="data-table kpi-table" aria-label={t("collections.kpis.tableLabel")}>
            <thead>
              <tr>
                <th scope="col">{t("collections.kpis.col.collector")}</th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.casesWorked")}
                </th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.actions")}
                </th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.collected")}
                </th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.promisesSecured")}
                </th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.promisesKept")}
                </th>
                <th scope="col" className="num">
                  {t("collections.kpis.col.keptRate")}
                </th>
              </tr>
            </thead>
            <tbody>
              {k.collectors.map((c) => (
                <tr key={c.collector} data-collector={c.collector}>
                  <th scope="row">
                    <CollectorName address={c.collector === "unassigned" ? null : c.collector} member={me.member} people={people} />
                  </th>
                  {cells(c)}
                </tr>
              ))}
              {k.team && (
                <tr className="strong" data-collector="team">
                  <th scope="row">{t("collections.kpis.team")}</th>
                  {cells(k.team)}
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </CollectionsShell>
  );
}
