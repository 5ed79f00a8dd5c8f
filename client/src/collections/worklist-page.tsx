// The collections worklist (issue 12): a collector's own cases, highest score first, with the score's parts (amount at
// stake, days past due, risk, broken promises), the next action and its date. A collections manager (or the
// administrator) sees every collector's list, narrows it to one collector or the unassigned cases, and reassigns.
import { useState } from "react";
import { useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { collectionsApi, useCollectionsPerson, useCollectors, useGet, type Worklist } from "./api.ts";
import { CollectionsShell, CollectorName, NextActionText, ScoreParts, collectorLabel } from "./parts.tsx";
import { ReceivableLink } from "../components/bits.tsx";

const PAGE = 50;

export function WorklistPage() {
  const { t } = useTranslation();
  const me = useCollectionsPerson();
  const manages = !!me?.manages;
  return (
    <CollectionsShell
      tab="worklist"
      titleId="worklist-title"
      title={manages ? t("collections.worklist.teamTitle") : t("collections.worklist.title")}
      lede={manages ? t("collections.worklist.teamLede") : t("collections.worklist.lede")}
    >
      {me && <WorklistBody member={me.member} manages={manages} />}
    </CollectionsShell>
  );
}

function WorklistBody(props: { member: string; manages: boolean }) {
  const { t } = useTranslation();
  const { companyOf } = useSession();
  const [collector, setCollector] = useState<string>("");
  const [status, setStatus] = useState<"open" | "closed">("open");
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const people = useCollectors(props.member);
  const list = useGet<Worklist>(
    collectionsApi.worklistPath({ collector: props.manages ? collector || undefined : undefined, status, limit: PAGE, offset }),
    reload,
  );
  const label = (p: { address: string; name: string | null }) =>
    collectorLabel(p, props.member, companyOf(p.address)?.name, t("collections.worklist.administrator"));

  async function reassign(caseId: string, to: string) {
    setResult(null);
    try {
      await collectionsApi.reassign(caseId, to === "" ? null : to);
      const p = people.find((x) => x.address === to);
      setResult({ tone: "ok", text: t("collections.worklist.reassigned", { who: p ? label(p) : t("collections.worklist.unassigned") }) });
      setReload((n) => n + 1);
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
    }
  }

  const w = list.data;
  return (
    <>
      <div className="filters">
        {props.manages && (
          <label className="inline-field">
            {t("collections.worklist.collector")}
            <select
              name="collector"
              value={collector}
              onChange={(e) => {
                setCollector(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">{t("collections.worklist.allCollectors")}</option>
              <option value="unassigned">{t("collections.worklist.unassigned")}</option>
              {people.map((p) => (
                <option key={p.address} value={p.address}>
                  {label(p)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="inline-field">
          {t("collections.worklist.status")}
          <select
            name="caseStatus"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as "open" | "closed");
              setOffset(0);
            }}
          >
            <option value="open">{t("collections.worklist.open")}</option>
            <option value="closed">{t("collections.worklist.closed")}</option>
          </select>
        </label>
        {w && <span className="filters-status muted">{t("collections.worklist.total", { count: w.total })}</span>}
      </div>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      {list.error && <Notice tone="error">{t("collections.loadError", { error: list.error })}</Notice>}
      {!w && !list.error && <Spinner label={t("common.loading")} />}
      {w && w.items.length === 0 && <Notice tone="info">{t("collections.worklist.empty")}</Notice>}
      {w && w.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table worklist" aria-label={t("collections.worklist.tableLabel")}>
            <thead>
              <tr>
                <th scope="col">{t("collections.worklist.col.receivable")}</th>
                <th scope="col">{t("collections.worklist.col.buyer")}</th>
                <th scope="col" className="num">
                  {t("collections.worklist.col.outstanding")}
                </th>
                <th scope="col" className="num">
                  {t("collections.worklist.col.daysPastDue")}
                </th>
                <th scope="col" className="num">
                  {t("collections.worklist.col.level")}
                </th>
                <th scope="col">{t("collections.worklist.col.score")}</th>
                <th scope="col">{t("collections.worklist.col.next")}</th>
                <th scope="col">{t("collections.worklist.col.collector")}</th>
              </tr>
            </thead>
            <tbody>
              {w.items.map((c) => (
                <tr key={c.id} data-case={c.id} data-receivable={c.receivableId} className={c.daysPastDue > 0 ? "row-overdue" : ""}>
                  <td>
                    <a href={`#/collections/cases/${c.id}`} className="strong">
                      {t("collections.worklist.openCase")}
                    </a>
                    <div>
                      <ReceivableLink id={c.receivableId} />
                    </div>
                  </td>
                  <td>
                    <Party address={c.buyer} inline />
                  </td>
                  <td className="num" data-amount={c.outstanding}>
                    {money(c.outstanding)}
                    <div className="muted">{displayDate(c.dueDate)}</div>
                  </td>
                  <td className="num" data-days={c.daysPastDue}>
                    {c.daysPastDue}
                  </td>
                  <td className="num">{c.level ?? "—"}</td>
                  <td>
                    <ScoreParts score={c.score} />
                  </td>
                  <td>
                    <NextActionText next={c.nextAction} suppressed={c.suppressed} />
                  </td>
                  <td>
                    {props.manages ? (
                      <select
                        name="reassign"
                        aria-label={t("collections.worklist.reassign", { id: c.receivableId.slice(0, 10) })}
                        value={c.collector ?? ""}
                        onChange={(e) => void reassign(c.id, e.target.value)}
                      >
                        <option value="">{t("collections.worklist.unassigned")}</option>
                        {people.map((p) => (
                          <option key={p.address} value={p.address}>
                            {label(p)}
                          </option>
                        ))}
                        {c.collector && !people.some((p) => p.address === c.collector) && <option value={c.collector}>{c.collector}</option>}
                      </select>
                    ) : (
                      <CollectorName address={c.collector} member={props.member} people={people} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {w && w.total > PAGE && (
        <div className="pager">
          <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            ‹
          </button>
          <span>
            {offset + 1}–{Math.min(w.total, offset + PAGE)} / {w.total}
          </span>
          <button type="button" className="small" disabled={offset + PAGE >= w.total} onClick={() => setOffset(offset + PAGE)}>
            ›
          </button>
        </div>
      )}
    </>
  );
}
