// A collection case (issue 12): the receivable it is about, its score and next action, the dunning levels decided
// (with their messages and charges), the contacts and promises to pay; forms to log a contact (channel, outcome,
// note) and a promise (amount by a date) for the case's collector or a manager; a manager approves a level that
// waits for approval.
import { useState, type FormEvent } from "react";
import { parseAmount } from "../../../common/money.ts";
import { useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { formatDateTime } from "../i18n/date-time.ts";
import { displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner } from "../components/bits.tsx";
import { CONTACT_CHANNELS, OUTCOMES, collectionsApi, todayIso, useCollectionsPerson, useCollectors, useGet, type CaseDetail } from "./api.ts";
import { CollectionsShell, CollectorName, NextActionText, ScoreParts } from "./parts.tsx";
import { ReceivableLink } from "../components/bits.tsx";

export function CasePage(props: { id: string }) {
  const { t } = useTranslation();
  const me = useCollectionsPerson();
  return (
    <CollectionsShell tab={null} titleId="case-title" title={t("collections.case.title")}>
      <p className="breadcrumb">
        <a href="#/collections">← {t("collections.case.back")}</a>
      </p>
      {me && <CaseBody id={props.id} member={me.member} me={me.address} manages={me.manages} />}
    </CollectionsShell>
  );
}

function CaseBody(props: { id: string; member: string; me: string; manages: boolean }) {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const got = useGet<CaseDetail>(collectionsApi.casePath(props.id), reload);
  const people = useCollectors(props.member);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const c = got.data;
  if (got.status === 404) return <Notice tone="warn">{t("collections.case.notFound")}</Notice>;
  if (got.error) return <Notice tone="error">{t("collections.loadError", { error: got.error })}</Notice>;
  if (!c) return <Spinner label={t("common.loading")} />;
  const works = props.manages || c.collector === props.me;
  const done = (next: CaseDetail, text: string) => {
    got.set(next);
    setResult({ tone: "ok", text });
  };
  async function approve(level: number) {
    setResult(null);
    try {
      done(await collectionsApi.approve(props.id, level), t("collections.case.approved", { level }));
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
    }
  }
  return (
    <div className="case-view" data-case={c.id}>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
      <section className="card" aria-labelledby="case-facts">
        <h2 id="case-facts">{t("collections.case.facts")}</h2>
        <dl className="facts">
          <dt>{t("collections.case.receivable")}</dt>
          <dd>
            <ReceivableLink id={c.receivableId} />
          </dd>
          <dt>{t("collections.case.buyer")}</dt>
          <dd>
            <Party address={c.buyer} />
          </dd>
          <dt>{t("collections.case.seller")}</dt>
          <dd>
            <Party address={c.seller} />
          </dd>
          <dt>{t("collections.case.tier")}</dt>
          <dd>{c.tier}</dd>
          <dt>{t("collections.case.collector")}</dt>
          <dd data-collector={c.collector ?? ""}>
            <CollectorName address={c.collector} member={props.member} people={people} />
          </dd>
          <dt>{t("collections.case.outstanding")}</dt>
          <dd className="num">{money(c.outstanding)}</dd>
          <dt>{t("collections.case.dueDate")}</dt>
          <dd>{displayDate(c.dueDate)}</dd>
          <dt>{t("collections.case.daysPastDue")}</dt>
          <dd data-days={c.daysPastDue}>{c.daysPastDue}</dd>
          <dt>{t("collections.case.level")}</dt>
          <dd>
            {c.level ?? t("collections.case.noLevel")} · {c.status === "open" ? t("collections.case.statusOpen") : t("collections.case.statusClosed")}
            {c.pausedUntil && <span className="muted"> · {t("collections.case.pausedUntil", { date: displayDate(c.pausedUntil) })}</span>}
          </dd>
          <dt>{t("collections.worklist.col.score")}</dt>
          <dd>
            <ScoreParts score={c.score} />
          </dd>
          <dt>{t("collections.case.next")}</dt>
          <dd>
            <NextActionText next={c.nextAction} suppressed={c.suppressed} />
          </dd>
        </dl>
        <p className="muted">{t("collections.case.finalBlock", { block: c.finalBlock })}</p>
      </section>

      <section className="card" aria-labelledby="case-levels">
        <h2 id="case-levels">{t("collections.case.levels")}</h2>
        {c.levels.length === 0 ? (
          <p className="muted">{t("collections.case.noLevels")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table compact levels-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("collections.case.col.level")}
                  </th>
                  <th scope="col">{t("collections.case.col.decided")}</th>
                  <th scope="col">{t("collections.case.col.channels")}</th>
                  <th scope="col">{t("collections.case.col.status")}</th>
                  <th scope="col">{t("collections.case.col.messages")}</th>
                </tr>
              </thead>
              <tbody>
                {c.levels.map((l) => (
                  <tr key={l.level} data-level={l.level} data-status={l.status}>
                    <td className="num">{l.level}</td>
                    <td>{displayDate(l.decidedOn)}</td>
                    <td>{l.channels.map((ch) => t(`collections.channel.${ch}`, { defaultValue: ch })).join(" · ")}</td>
                    <td>
                      {t(`collections.actionStatus.${l.status}`, { defaultValue: l.status })}
                      {l.status === "awaitingApproval" && props.manages && (
                        <button type="button" className="small" onClick={() => void approve(l.level)}>
                          {t("collections.case.approve")}
                        </button>
                      )}
                    </td>
                    <td>
                      {l.messages.map((m) => (
                        <div key={m.channel} data-message={m.channel}>
                          {t(`collections.channel.${m.channel}`, { defaultValue: m.channel })}:{" "}
                          {m.status ? t(`collections.messageStatus.${m.status}`, { defaultValue: m.status }) : "—"}
                          {m.sentAt && <span className="muted"> · {formatDateTime(m.sentAt)}</span>}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {c.charges.length > 0 && (
          <>
            <h3>{t("collections.case.charges")}</h3>
            <ul className="plain-list">
              {c.charges.map((x) => (
                <li key={`${x.level}-${x.kind}`}>
                  {t(x.kind === "fixed" ? "collections.case.chargeFixed" : "collections.case.chargeInterest", { level: x.level, amount: money(x.amount) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="case-contacts">
          <h2 id="case-contacts">{t("collections.case.contacts")}</h2>
          {c.contacts.length === 0 ? (
            <p className="muted">{t("collections.case.noContacts")}</p>
          ) : (
            <ul className="plain-list contact-list">
              {[...c.contacts].reverse().map((x) => (
                <li key={`${x.at}-${x.person}-${x.channel}`} data-contact={x.outcome}>
                  <strong>{t(`collections.channel.${x.channel}`, { defaultValue: x.channel })}</strong> ·{" "}
                  {t(`collections.outcome.${x.outcome}`, { defaultValue: x.outcome })}
                  <div className="muted">
                    {formatDateTime(x.at)} · <CollectorName address={x.person} member={props.member} people={people} />
                  </div>
                  {x.note && <p className="contact-note">{x.note}</p>}
                </li>
              ))}
            </ul>
          )}
          {works && <ContactForm id={c.id} onDone={(next) => (done(next, t("collections.contactForm.logged")), setReload((n) => n + 1))} />}
        </section>
        <section className="card" aria-labelledby="case-promises">
          <h2 id="case-promises">{t("collections.case.promises")}</h2>
          {c.promises.length === 0 ? (
            <p className="muted">{t("collections.case.noPromises")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t("collections.case.promiseCol.amount")}
                    </th>
                    <th scope="col">{t("collections.case.promiseCol.date")}</th>
                    <th scope="col" className="num">
                      {t("collections.case.promiseCol.grace")}
                    </th>
                    <th scope="col">{t("collections.case.promiseCol.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.promises.map((p) => (
                    <tr key={p.id} data-promise={p.status} data-amount={p.amount} data-date={p.date}>
                      <td className="num">{money(p.amount)}</td>
                      <td>{displayDate(p.date)}</td>
                      <td className="num">{p.graceDays}</td>
                      <td>{t(`collections.promiseStatus.${p.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {works && c.status === "open" && <PromiseForm id={c.id} onDone={(next) => done(next, t("collections.promiseForm.recorded"))} />}
        </section>
      </div>
    </div>
  );
}

function ContactForm(props: { id: string; onDone(next: CaseDetail): void }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<string>("call");
  const [outcome, setOutcome] = useState<string>("reached");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onDone(await collectionsApi.logContact(props.id, { channel, outcome, note }));
      setNote("");
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="form case-form" onSubmit={(e) => void submit(e)} aria-labelledby="contact-form-title">
      <h3 id="contact-form-title">{t("collections.contactForm.title")}</h3>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="form-grid">
        <label>
          {t("collections.contactForm.channel")}
          <select name="contactChannel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            {CONTACT_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`collections.channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("collections.contactForm.outcome")}
          <select name="contactOutcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`collections.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t("collections.contactForm.note")}
        <textarea
          name="contactNote"
          rows={3}
          maxLength={4000}
          value={note}
          placeholder={t("collections.contactForm.notePlaceholder")}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {t("collections.contactForm.submit")}
        </button>
      </div>
    </form>
  );
}

function PromiseForm(props: { id: string; onDone(next: CaseDetail): void }) {
  const { t } = useTranslation();
  const { tokenSymbol } = useSession();
  const [amount, setAmount] = useState("");
  const [date, setDate] = useState(todayIso());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let units: bigint;
    try {
      units = parseAmount(amount);
    } catch {
      units = 0n;
    }
    if (units <= 0n) {
      setError(t("collections.promiseForm.badAmount"));
      return;
    }
    setBusy(true);
    try {
      props.onDone(await collectionsApi.addPromise(props.id, { amount: units.toString(), date }));
      setAmount("");
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="form case-form" onSubmit={(e) => void submit(e)} aria-labelledby="promise-form-title">
      <h3 id="promise-form-title">{t("collections.promiseForm.title")}</h3>
      <p className="hint">{t("collections.promiseForm.hint")}</p>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="form-grid">
        <label>
          {t("collections.promiseForm.amount", { symbol: tokenSymbol || "—" })}
          <input name="promiseAmount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value.trim())} />
        </label>
        <label>
          {t("collections.promiseForm.date")}
          <input name="promiseDate" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {t("collections.promiseForm.submit")}
        </button>
      </div>
    </form>
  );
}
