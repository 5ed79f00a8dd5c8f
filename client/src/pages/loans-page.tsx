// Receivable-backed loans (pledge, issue 5): a lender signs a loan offer for a receivable (advance rate and
// interest rate) and sends it to the server, which shows it only to the lender and the holder; the holder opens
// the loan with it in one action, receiving the advance while the receivable is locked; the
// buyer's payment repays the lender first; the borrower can repay early; on default the lender takes it. Strings
// come from the financing catalog part (client/src/i18n/financing/), registered by this chunk.
import { useEffect, useState, type FormEvent } from "react";
import { Trans } from "react-i18next";
import { allows } from "../../../common/lifecycle.ts";
import { applyBps } from "../../../common/pricing.ts";
import type { Hex } from "viem";
import { financingApi, type OfferJson, type OffersOnJson, type RankedOfferJson, type ReceivableDetail } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import type { Loan, LoanOffer } from "../financing.ts";
import { useWithdrawOffer } from "./market-page.tsx";
import { bpsPct, displayDate, money, moneyExact } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";
import { i18n, useTranslation } from "../i18n/index.ts";
import { formatDateTime } from "../i18n/date-time.ts";
import "../i18n/financing/part.ts";

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;
type Result = { tone: "ok" | "error"; text: string; tx?: Hex } | null;

/** A lender prices a loan against a receivable (looked up by id on the ledger) and signs an offer. */
export function LoansPage() {
  const { t } = useTranslation();
  const { loans, chain, wallet, roles, revision, refresh } = useSession();
  const [id, setId] = useState("");
  const [found, setFound] = useState<{ r: ChainReceivable; loan: Loan | null } | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [form, setForm] = useState({ advance: "80", rate: "9", days: "3" });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<OfferJson | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLookupError(null);
    if (!loans || !ID_PATTERN.test(id.trim())) return setFound(null);
    const rid = id.trim().toLowerCase() as Hex;
    Promise.all([chain.receivable(rid), loans.loan(rid)])
      .then(([r, loan]) => {
        if (cancelled) return;
        if (r.status === "None") {
          setFound(null);
          setLookupError(i18n.t("financing.notFound"));
        } else setFound({ r, loan });
      })
      .catch((e) => !cancelled && setLookupError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [id, chain, loans, revision]);

  if (!loans) return <Notice tone="info">{t("financing.loans.noModule")}</Notice>;
  if (!roles.includes("Financier")) return <Notice tone="info">{t("financing.loans.financiersOnly")}</Notice>;
  const outstanding = found ? found.r.faceAmount - found.r.paid : 0n;
  const advanceBps = Math.round(Number(form.advance) * 100);
  const rateBps = Math.round(Number(form.rate) * 100);
  const valid = Number.isFinite(advanceBps) && advanceBps > 0 && advanceBps <= 10_000 && Number.isFinite(rateBps) && rateBps >= 0 && rateBps <= 65_535;
  const advance = valid ? applyBps(outstanding, advanceBps) : 0n;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSent(null);
    if (!valid) return setError(t("financing.loans.invalid"));
    try {
      setBusy(t("financing.loans.preparing"));
      const { offer, signature } = await loans!.makeOffer(wallet!, id.trim() as Hex, advanceBps, rateBps, Number(form.days), (s) =>
        setBusy(t(`financing.step.${s}`)),
      );
      setBusy(t("financing.loans.sending"));
      setSent(
        await financingApi.postOffer({
          kind: "loan",
          receivableId: id.trim().toLowerCase(),
          advanceBps,
          rateBps,
          nonce: offer.nonce.toString(),
          expiry: Number(offer.expiry),
          signature,
        }),
      );
      refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="loans-title">
      <div className="page-head">
        <div>
          <h1 id="loans-title">{t("financing.loans.title")}</h1>
          <p className="lede">{t("financing.loans.lede")}</p>
        </div>
      </div>
      <form className="card form" onSubmit={onSubmit} aria-labelledby="loans-title">
        <fieldset disabled={!!busy}>
          <div className="form-grid">
            <label className="wide">
              {t("financing.receivableId")}
              <input
                name="loanId"
                required
                className="mono"
                value={id}
                onChange={(e) => setId(e.target.value)}
                placeholder={t("financing.receivableIdPlaceholder")}
              />
            </label>
          </div>
        </fieldset>
        {lookupError && <Notice tone="warn">{lookupError}</Notice>}
        {found && (
          <dl className="facts lookup" aria-label={t("financing.facts.label")}>
            <dt>{t("financing.facts.status")}</dt>
            <dd>
              <StatusBadge status={found.r.status} />{" "}
              {!/^0x0+$/.test(found.r.lockedBy) && (
                <span className="muted">
                  <Trans i18nKey="financing.facts.lockedBy" components={{ party: <Party inline address={found.r.lockedBy} /> }} />
                </span>
              )}
            </dd>
            <dt>{t("financing.facts.debtor")}</dt>
            <dd>
              <Party address={found.r.buyer} />
            </dd>
            <dt>{t("financing.facts.holderBorrower")}</dt>
            <dd>
              <Party address={found.r.holder} />
            </dd>
            <dt>{t("financing.facts.outstanding")}</dt>
            <dd>{money(outstanding)}</dd>
            <dt>{t("financing.facts.due")}</dt>
            <dd>{displayDate(found.r.dueDate * 1000)}</dd>
          </dl>
        )}
        {found && !found.loan && (
          <fieldset disabled={!!busy}>
            <legend>{t("financing.loans.offerLegend")}</legend>
            <div className="form-grid">
              <label>
                {t("financing.loans.advancePct")}
                <input name="advancePct" inputMode="decimal" required value={form.advance} onChange={(e) => setForm({ ...form, advance: e.target.value })} />
              </label>
              <label>
                {t("financing.loans.ratePct")}
                <input name="loanRate" inputMode="decimal" required value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />
              </label>
              <label>
                {t("financing.loans.validDays")}
                <input name="loanDays" inputMode="numeric" required value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
              </label>
            </div>
            <p className="hint">{t("financing.loans.borrowerReceives", { amount: money(advance) })}</p>
          </fieldset>
        )}
        {found?.loan && <Notice tone="info">{t("financing.loans.alreadyLoan")}</Notice>}
        <div className="form-foot">
          {found && !found.loan && (
            <button type="submit" className="primary" disabled={!!busy || found.r.status !== "Confirmed" || !valid}>
              {t("financing.loans.submit")}
            </button>
          )}
          {busy && <Spinner label={busy} />}
        </div>
        {error && <Notice tone="error">{error}</Notice>}
        {sent && (
          <Notice tone="ok">
            {t("financing.loans.sent", { advance: bpsPct(sent.advanceBps ?? 0), rate: bpsPct(sent.rateBps ?? 0), expiry: formatDateTime(sent.expiry) })}
          </Notice>
        )}
      </form>
      <MyLoanOffers />
    </section>
  );
}

/** The lender's own loan offers (held by the server), with withdraw. */
function MyLoanOffers() {
  const { t } = useTranslation();
  const withdraw = useWithdrawOffer("loan");
  const { data, error: loadError } = useAccountData(() => financingApi.myOffers({ kind: "loan" }));
  const items: OfferJson[] | null = data?.items ?? null;
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? loadError;
  if (!items || items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-loan-offers-h">
      <h2 id="my-loan-offers-h">{t("financing.loans.myOffers.title")}</h2>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t("financing.loans.myOffers.col.receivable")}</th>
            <th scope="col" className="num">
              {t("financing.loans.myOffers.col.advance")}
            </th>
            <th scope="col" className="num">
              {t("financing.loans.myOffers.col.interest")}
            </th>
            <th scope="col">{t("financing.loans.myOffers.col.validUntil")}</th>
            <th scope="col">{t("financing.loans.myOffers.col.state")}</th>
            <th scope="col">
              <span className="sr-only">{t("financing.loans.myOffers.col.withdraw")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id} data-offer-state={o.state}>
              <td className="mono">
                <a href={`#/receivables/${o.receivableId}`}>{o.receivableId.slice(0, 12)}…</a>
              </td>
              <td className="num">{bpsPct(o.advanceBps ?? 0)}</td>
              <td className="num">{t("financing.perYear", { rate: bpsPct(o.rateBps ?? 0) })}</td>
              <td>{formatDateTime(o.expiry)}</td>
              <td>{o.state === "accepted" ? t("financing.loans.myOffers.accepted") : t(`financing.offerState.${o.state}`)}</td>
              <td>
                {o.state === "open" && (
                  <button
                    type="button"
                    className="small"
                    disabled={!!busy}
                    onClick={() => {
                      setError(null);
                      void withdraw(o, setBusy)
                        .catch((e) => setError(describeError(e)))
                        .finally(() => setBusy(null));
                    }}
                  >
                    {t("financing.withdraw")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
    </section>
  );
}

/** On a receivable's page: the loan it secures (owed now, repay, seize), or the holder's way to open one. */
export function LoanCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { t } = useTranslation();
  const { loans, account, wallet, revision, refresh, source, chain, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [loan, setLoan] = useState<{ loan: Loan; owed: bigint } | null>(null);
  /** The chain's time (ms): a confirmed receivable can be taken only once it is past due and grace by it. */
  const [chainNowMs, setChainNowMs] = useState<number | null>(null);
  const [showOpen, setShowOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    if (!loans) return;
    loans
      .loan(r.id)
      .then(async (l) => (l ? { loan: l, owed: await loans.owed(r.id) } : null))
      .then((x) => !cancelled && setLoan(x))
      .catch(() => !cancelled && setLoan(null));
    chain
      .now()
      .then((now) => !cancelled && setChainNowMs(Number(now) * 1000))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [loans, chain, r.id, revision]);

  if (!loans) return null;
  const me = account?.address.toLowerCase();
  const isHolder = me === r.holder.toLowerCase();
  const unlocked = !r.lockedBy || /^0x0+$/.test(r.lockedBy);
  const canBorrow = isHolder && !loan && allows("lock", r.status) && unlocked;
  if (!loan && !canBorrow && !result) return null;

  const outstanding = BigInt(r.outstanding);
  const w = wallet!;
  // The lender enforces its pledge on a defaulted receivable, or on a confirmed one past its due date and grace
  // (the ledger marks it defaulted in the same transaction).
  const graceEnds = new Date(r.dueDate).getTime() + (r.terms?.graceDays ?? 0) * 86_400_000;
  const canSeize =
    !!loan &&
    me === loan.loan.lender.toLowerCase() &&
    (r.status === "Defaulted" || (r.status === "Confirmed" && chainNowMs !== null && chainNowMs > graceEnds));

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string, until: (d: ReceivableDetail) => boolean) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setBusy(t("financing.waitingForIndex"));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        try {
          if (until(await source.get(r.id))) break;
        } catch {
          // not visible yet
        }
        await new Promise((res) => setTimeout(res, 400));
      }
      setResult({ tone: "ok", text: done, tx });
      setShowOpen(false);
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }
  const locked = (d: ReceivableDetail) => !!d.lockedBy && !/^0x0+$/.test(d.lockedBy);

  return (
    <section className="card loan-card" aria-labelledby="loan-h">
      <h2 id="loan-h">{t("financing.loans.card.title")}</h2>
      {loan && (
        <dl className="facts lookup" aria-label={t("financing.loans.card.label")}>
          <dt>{t("financing.loans.card.lender")}</dt>
          <dd>
            <Party address={loan.loan.lender} />
          </dd>
          <dt>{t("financing.loans.card.interest")}</dt>
          <dd>{t("financing.loans.card.interestSince", { rate: bpsPct(loan.loan.rateBps), date: displayDate(loan.loan.since * 1000) })}</dd>
          <dt>{t("financing.loans.card.owedNow")}</dt>
          <dd>
            <strong data-testid="loan-owed">{moneyExact(loan.owed)}</strong> <span className="muted">{t("financing.loans.card.repaidFirst")}</span>
          </dd>
        </dl>
      )}
      {dialog}
      <div className="button-row">
        {loan && isHolder && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet}
            onClick={() =>
              void act(
                t("financing.loans.card.repaying"),
                (step) => loans.repay(w, r.id, (s) => step(t(`financing.step.${s}`))),
                t("financing.loans.card.repaid"),
                (d) => !locked(d),
              )
            }
          >
            {t("financing.loans.card.repay", { amount: moneyExact(loan.owed) })}
          </button>
        )}
        {canSeize && loan && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const currency = r.invoice?.currency ?? tokenSymbol;
              const name = receivableName(r);
              const borrower = companyOf(r.holder)?.name ?? r.holder;
              const what = { name, borrower, owed: `${moneyExact(loan.owed)} ${currency}`, outstanding: `${money(outstanding)} ${currency}` };
              const ok = await confirm({
                title: t("financing.loans.card.seizeTitle", { name, borrower }),
                body: <p>{r.status === "Confirmed" ? t("financing.loans.card.seizeBodyConfirmed", what) : t("financing.loans.card.seizeBody", what)}</p>,
                confirmLabel: t("financing.loans.card.seizeConfirm"),
              });
              if (ok)
                void act(
                  t("financing.loans.card.seizing"),
                  () => loans.seize(w, r.id),
                  t("financing.loans.card.seized"),
                  (d) => d.holder.toLowerCase() === me,
                );
            }}
          >
            {t("financing.loans.card.seizeButton")}
          </button>
        )}
        {canBorrow && !showOpen && (
          <button type="button" onClick={() => setShowOpen(true)} disabled={!wallet}>
            {t("financing.loans.card.borrow")}
          </button>
        )}
      </div>
      {canBorrow && <LoanRequestControl id={r.id} />}
      {canBorrow && showOpen && (
        <div className="accept-offer">
          <LoanOffersOn
            id={r.id}
            outstanding={outstanding}
            busy={!!busy}
            onOpen={(o) => {
              const on = o.onChain.offer;
              const offer: LoanOffer = {
                id: BigInt(String(on.id)),
                lender: String(on.lender) as Hex,
                advanceBps: Number(on.advanceBps),
                rateBps: Number(on.rateBps),
                nonce: BigInt(String(on.nonce)),
                expiry: BigInt(String(on.expiry)),
              };
              void act(t("financing.loans.card.opening"), () => loans.openLoan(w, offer, o.signature), t("financing.loans.card.opened"), locked);
            }}
          />
          <div className="button-row">
            <button type="button" onClick={() => setShowOpen(false)} disabled={!!busy}>
              {t("financing.back")}
            </button>
          </div>
        </div>
      )}
      {busy && <Spinner label={busy} />}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
    </section>
  );
}

/**
 * The holder opens its receivable to loan offers: until then financiers cannot see it (nor offer on it); while
 * open, every active financier sees it (issue 9 item 9).
 */
function LoanRequestControl(props: { id: string }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { data } = useAccountData(() => financingApi.record(props.id), { deps: [props.id] });
  const open = data?.loanRequest?.open ?? false;
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await (open ? financingApi.withdrawLoanRequest(props.id) : financingApi.requestLoanOffers(props.id));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
      refresh();
    }
  }
  if (!data) return null;
  return (
    <div className="loan-request" data-loan-request={open ? "open" : "closed"}>
      <p className="hint">{open ? t("financing.loans.request.open") : t("financing.loans.request.closed")}</p>
      <button type="button" className="small" disabled={busy} onClick={() => void toggle()}>
        {open ? t("financing.loans.request.stop") : t("financing.loans.request.ask")}
      </button>
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}

/** The holder's view of the loan offers on its receivable, held by the server and ranked best first. */
function LoanOffersOn(props: { id: string; outstanding: bigint; busy: boolean; onOpen: (o: RankedOfferJson) => void }) {
  const { t } = useTranslation();
  const { data, error } = useAccountData<OffersOnJson>(() => financingApi.offersOn(props.id, "loan"), { deps: [props.id] });
  if (error) return <Notice tone="error">{t("financing.loans.offersOn.loadError", { error })}</Notice>;
  if (!data) return <Spinner label={t("financing.loans.offersOn.loading")} />;
  const open = data.items.filter((o) => o.state === "open").sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  if (open.length === 0) return <p className="muted">{t("financing.loans.offersOn.none")}</p>;
  return (
    <table className="data-table compact" aria-label={t("financing.loans.offersOn.tableLabel")}>
      <thead>
        <tr>
          <th scope="col">{t("financing.loans.offersOn.col.rank")}</th>
          <th scope="col">{t("financing.loans.offersOn.col.lender")}</th>
          <th scope="col" className="num">
            {t("financing.loans.offersOn.col.youReceive")}
          </th>
          <th scope="col" className="num">
            {t("financing.loans.offersOn.col.interest")}
          </th>
          <th scope="col">{t("financing.loans.offersOn.col.validUntil")}</th>
          <th scope="col">
            <span className="sr-only">{t("financing.loans.offersOn.col.open")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {open.map((o, i) => (
          <tr key={o.id}>
            <td>{o.rank ?? i + 1}</td>
            <td>
              <Party address={o.bidder} />
            </td>
            <td className="num">
              <strong>{money(applyBps(props.outstanding, o.advanceBps ?? 0))}</strong> <span className="muted small">({bpsPct(o.advanceBps ?? 0)})</span>
            </td>
            <td className="num">{t("financing.perYear", { rate: bpsPct(o.rateBps ?? 0) })}</td>
            <td>{formatDateTime(o.expiry)}</td>
            <td>
              <button type="button" className={i === 0 ? "small primary" : "small"} disabled={props.busy} onClick={() => props.onOpen(o)}>
                {t("financing.loans.offersOn.openLoan")}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
