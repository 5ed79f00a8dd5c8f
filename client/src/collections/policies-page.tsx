// The creditor's dunning policies per customer tier (issue 12): each level's days relative to the due date, its
// channels, its fee or interest (charged once) and whether a manager approves it first; the grace after a promised
// date and the level a broken promise moves to. A collections manager (or the administrator) edits a tier's levels
// (a new level starts with the templates of the level before it; the server checks the whole policy) or returns
// it to the default.
import { useState } from "react";
import { parseAmount } from "../../../common/money.ts";
import { useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { money, moneyExact } from "../format.ts";
import { Notice, Spinner } from "../components/bits.tsx";
import { CHANNELS, collectionsApi, useCollectionsPerson, useGet, type Channel, type Policy, type PolicyLevel } from "./api.ts";
import { CollectionsShell } from "./parts.tsx";

export function PoliciesPage() {
  const { t } = useTranslation();
  const me = useCollectionsPerson();
  const [reload, setReload] = useState(0);
  const got = useGet<{ creditor: string; policies: Policy[] }>(me?.works ? collectionsApi.policiesPath : null, reload);
  return (
    <CollectionsShell tab="policies" titleId="policies-title" title={t("collections.policies.title")} lede={t("collections.policies.lede")}>
      {got.error && <Notice tone="error">{t("collections.loadError", { error: got.error })}</Notice>}
      {!got.data && !got.error && <Spinner label={t("common.loading")} />}
      {me && !me.manages && got.data && <Notice tone="info">{t("collections.policies.onlyManager")}</Notice>}
      {got.data?.policies.map((p) => (
        <TierPolicy key={`${p.tier}-${reload}`} policy={p} manages={!!me?.manages} onChanged={() => setReload((n) => n + 1)} />
      ))}
    </CollectionsShell>
  );
}

function LevelName(props: { name: string }) {
  const { t } = useTranslation();
  return <>{t(`collections.policies.levelName.${props.name}`, { defaultValue: props.name })}</>;
}

function FeeText(props: { fee: PolicyLevel["fee"] }) {
  const { t } = useTranslation();
  const f = props.fee;
  if (!f) return <span className="muted">{t("collections.policies.noFee")}</span>;
  return (
    <>
      {f.kind === "fixed"
        ? t("collections.policies.feeFixed", { amount: money(f.amount) })
        : t("collections.policies.feeInterest", { pct: `${(f.bps / 100).toFixed(2)}%` })}
    </>
  );
}

interface DraftLevel {
  level: PolicyLevel;
  days: string;
  feeKind: "none" | "fixed" | "interest";
  feeValue: string;
}

const draftOf = (l: PolicyLevel): DraftLevel => ({
  level: l,
  days: String(l.days),
  feeKind: l.fee ? l.fee.kind : "none",
  feeValue: !l.fee ? "" : l.fee.kind === "fixed" ? moneyExact(l.fee.amount).replace(/,/g, "") : String(l.fee.bps),
});

function TierPolicy(props: { policy: Policy; manages: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const p = props.policy;
  const [draft, setDraft] = useState<{ levels: DraftLevel[]; grace: string; broken: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);

  const edit = () =>
    setDraft({ levels: p.levels.map(draftOf), grace: String(p.promiseGraceDays), broken: p.brokenPromiseLevel === null ? "" : String(p.brokenPromiseLevel) });
  const change = (i: number, f: (d: DraftLevel) => DraftLevel) => draft && setDraft({ ...draft, levels: draft.levels.map((d, j) => (j === i ? f(d) : d)) });

  async function save() {
    if (!draft) return;
    setBusy(true);
    setResult(null);
    try {
      const levels = draft.levels.map((d): PolicyLevel => {
        const fee =
          d.feeKind === "none"
            ? null
            : d.feeKind === "fixed"
              ? { kind: "fixed" as const, amount: parseAmount(d.feeValue).toString() }
              : { kind: "interest" as const, bps: Number(d.feeValue) };
        return { ...d.level, days: Number(d.days), fee };
      });
      await collectionsApi.putPolicy(p.tier, {
        levels,
        promiseGraceDays: Number(draft.grace),
        brokenPromiseLevel: draft.broken === "" ? null : Number(draft.broken),
      });
      setDraft(null);
      props.onChanged();
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }
  async function reset() {
    setBusy(true);
    setResult(null);
    try {
      await collectionsApi.resetPolicy(p.tier);
      setDraft(null);
      props.onChanged();
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card policy" aria-labelledby={`policy-${p.tier}`} data-tier={p.tier} data-source={p.source}>
      <div className="section-head">
        <h2 id={`policy-${p.tier}`}>
          {t("collections.policies.tier", { tier: p.tier })}{" "}
          <span className={`badge ${p.source === "custom" ? "badge-accent" : "badge-muted"}`}>
            {p.source === "custom" ? t("collections.policies.custom") : t("collections.policies.default")}
          </span>
        </h2>
        {props.manages && !draft && (
          <span className="button-row">
            <button type="button" className="small" onClick={edit}>
              {t("collections.policies.edit")}
            </button>
            {p.source === "custom" && (
              <button type="button" className="small" disabled={busy} onClick={() => void reset()}>
                {t("collections.policies.reset")}
              </button>
            )}
          </span>
        )}
      </div>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      {!draft ? (
        <>
          <p className="muted">
            {t("collections.policies.grace", { count: p.promiseGraceDays })} ·{" "}
            {p.brokenPromiseLevel === null ? t("collections.policies.brokenNext") : t("collections.policies.brokenLevel", { days: p.brokenPromiseLevel })}
          </p>
          <div className="table-wrap">
            <table className="data-table compact" aria-label={t("collections.policies.tableLabel", { tier: p.tier })}>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("collections.policies.col.days")}
                  </th>
                  <th scope="col">{t("collections.policies.col.name")}</th>
                  <th scope="col">{t("collections.policies.col.channels")}</th>
                  <th scope="col">{t("collections.policies.col.fee")}</th>
                  <th scope="col">{t("collections.policies.col.approval")}</th>
                </tr>
              </thead>
              <tbody>
                {p.levels.map((l) => (
                  <tr key={l.days} data-days={l.days}>
                    <td className="num">{l.days}</td>
                    <td>
                      <LevelName name={l.name} />
                    </td>
                    <td>{l.channels.map((c) => t(`collections.channel.${c}`)).join(" · ")}</td>
                    <td>
                      <FeeText fee={l.fee} />
                    </td>
                    <td>{l.needsApproval ? t("collections.policies.needsApproval") : t("collections.policies.noApproval")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <form
          className="form policy-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {draft.levels.map((d, i) => (
            <fieldset key={i} className="policy-level" data-level-index={i}>
              <legend>
                {t("collections.policies.levelN", { n: i + 1 })} · <LevelName name={d.level.name} />
              </legend>
              <div className="form-grid">
                <label>
                  {t("collections.policies.col.days")}
                  <input
                    name={`days-${i}`}
                    type="number"
                    min={-3650}
                    max={3650}
                    required
                    value={d.days}
                    onChange={(e) => change(i, (x) => ({ ...x, days: e.target.value }))}
                  />
                </label>
                <label>
                  {t("collections.policies.col.fee")}
                  <select
                    name={`feeKind-${i}`}
                    value={d.feeKind}
                    onChange={(e) => change(i, (x) => ({ ...x, feeKind: e.target.value as DraftLevel["feeKind"] }))}
                  >
                    <option value="none">{t("collections.policies.noFee")}</option>
                    <option value="fixed">{t("collections.policies.feeFixed", { amount: "…" })}</option>
                    <option value="interest">{t("collections.policies.feeInterest", { pct: "bps" })}</option>
                  </select>
                  {d.feeKind !== "none" && (
                    <input
                      name={`feeValue-${i}`}
                      inputMode="decimal"
                      required
                      value={d.feeValue}
                      onChange={(e) => change(i, (x) => ({ ...x, feeValue: e.target.value.trim() }))}
                    />
                  )}
                </label>
              </div>
              <div className="role-boxes">
                {CHANNELS.map((c) => (
                  <label key={c} className="checkbox">
                    <input
                      type="checkbox"
                      checked={d.level.channels.includes(c)}
                      onChange={(e) =>
                        change(i, (x) => ({
                          ...x,
                          level: { ...x.level, channels: e.target.checked ? [...x.level.channels, c] : x.level.channels.filter((y: Channel) => y !== c) },
                        }))
                      }
                    />
                    {t(`collections.channel.${c}`)}
                  </label>
                ))}
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={d.level.needsApproval}
                    onChange={(e) => change(i, (x) => ({ ...x, level: { ...x.level, needsApproval: e.target.checked } }))}
                  />
                  {t("collections.policies.needsApproval")}
                </label>
              </div>
              <button
                type="button"
                className="small"
                disabled={draft.levels.length <= 1}
                onClick={() => setDraft({ ...draft, levels: draft.levels.filter((_, j) => j !== i) })}
              >
                {t("collections.policies.removeLevel", { n: i + 1 })}
              </button>
            </fieldset>
          ))}
          <div className="form-grid">
            <label>
              {t("collections.policies.graceDays")}
              <input
                name="graceDays"
                type="number"
                min={0}
                max={60}
                required
                value={draft.grace}
                onChange={(e) => setDraft({ ...draft, grace: e.target.value })}
              />
            </label>
            <label>
              {t("collections.policies.brokenPromiseLevel")}
              <select name="brokenPromiseLevel" value={draft.broken} onChange={(e) => setDraft({ ...draft, broken: e.target.value })}>
                <option value="">{t("collections.policies.brokenPromiseNext")}</option>
                {draft.levels.map((d) => (
                  <option key={d.days} value={d.days}>
                    {d.days}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="small"
              onClick={() => {
                const last = draft.levels.at(-1)!;
                const days = Number(last.days) + 15;
                setDraft({ ...draft, levels: [...draft.levels, { ...draftOf({ ...last.level, days, fee: null, needsApproval: false }) }] });
              }}
            >
              {t("collections.policies.addLevel")}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {t("collections.policies.save")}
            </button>
            <button type="button" disabled={busy} onClick={() => setDraft(null)}>
              {t("collections.policies.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
