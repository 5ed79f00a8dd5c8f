// Credit insurance (issue 5): the insurer offers a policy on a confirmed receivable and escrows the maximum
// payout; the holder accepts by paying the premium; on default the holder claims the covered share, once.
// Insurers see no receivables through the API, so they look one up by id on the ledger. Strings come from the
// financing catalog part (client/src/i18n/financing/), registered by this chunk.
import { useEffect, useState, type FormEvent } from "react";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/money.ts";
import { applyBps } from "../../../common/pricing.ts";
import type { ReceivableDetail } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import type { Policy } from "../financing.ts";
import { DAY_MS, displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";
import { formatNumber, i18n, useTranslation } from "../i18n/index.ts";
import "../i18n/financing/part.ts";

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;
type Result = { tone: "ok" | "error"; text: string; tx?: Hex } | null;

/** A share in basis points as a percentage with `digits` decimals ("80.00%"), digits by the language. */
const bpsShare = (bps: number, digits: number) => `${formatNumber(bps / 100, undefined, digits)}%`;

function PolicyFacts(props: { p: Policy }) {
  const { p } = props;
  const { t } = useTranslation();
  const state = p.claimed ? "claimed" : p.active ? "active" : "offered";
  return (
    <dl className="facts lookup" aria-label={t("financing.insurance.policy.label")}>
      <dt>{t("financing.insurance.policy.insurer")}</dt>
      <dd>
        <Party address={p.insurer} />
      </dd>
      <dt>{t("financing.insurance.policy.cover")}</dt>
      <dd>{t("financing.insurance.policy.coverText", { pct: bpsShare(p.coverageBps, 2), escrow: money(p.escrow) })}</dd>
      <dt>{t("financing.insurance.policy.premium")}</dt>
      <dd>{money(p.premium)}</dd>
      <dt>{t("financing.insurance.policy.expires")}</dt>
      <dd>{displayDate(p.expiry * 1000)}</dd>
      <dt>{t("financing.insurance.policy.state")}</dt>
      <dd data-policy-state={state}>{t(`financing.insurance.policy.${state}`)}</dd>
      {p.subrogation && (
        <>
          <dt>{t("financing.insurance.policy.subrogation")}</dt>
          <dd data-subrogation>
            {t("financing.insurance.policy.subrogationText", { paid: money(p.subrogation.paid), recovered: money(p.subrogation.recovered) })}
          </dd>
        </>
      )}
    </dl>
  );
}

export function InsurancePage() {
  const { t } = useTranslation();
  const { insurance, chain, wallet, roles, revision, refresh, account } = useSession();
  const [id, setId] = useState("");
  const [found, setFound] = useState<{ r: ChainReceivable; policy: Policy | null } | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [form, setForm] = useState({ coverage: "80", premium: "", days: "90" });
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    setLookupError(null);
    if (!insurance || !ID_PATTERN.test(id.trim())) return setFound(null);
    const rid = id.trim().toLowerCase() as Hex;
    Promise.all([chain.receivable(rid), insurance.policy(rid)])
      .then(([r, policy]) => {
        if (cancelled) return;
        if (r.status === "None") {
          setFound(null);
          setLookupError(i18n.t("financing.notFound"));
        } else setFound({ r, policy });
      })
      .catch((e) => !cancelled && setLookupError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [id, chain, insurance, revision]);

  if (!insurance) return <Notice tone="info">{t("financing.insurance.noModule")}</Notice>;
  if (!roles.includes("Insurer")) return <Notice tone="info">{t("financing.insurance.insurersOnly")}</Notice>;

  const outstanding = found ? found.r.faceAmount - found.r.paid : 0n;
  const coverageBps = Math.round(Number(form.coverage) * 100);
  const escrow = applyBps(outstanding, Number.isFinite(coverageBps) ? Math.max(0, coverageBps) : 0);
  const mine = found?.policy && found.policy.insurer.toLowerCase() === account?.address.toLowerCase();

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setResult({ tone: "ok", text: done, tx });
      refresh();
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
    }
  }

  function onOffer(e: FormEvent) {
    e.preventDefault();
    let premium: bigint;
    try {
      premium = parseAmount(form.premium);
    } catch (err) {
      return setResult({ tone: "error", text: describeError(err) });
    }
    const expiry = Math.floor((Date.now() + Number(form.days) * DAY_MS) / 1000);
    void act(
      t("financing.insurance.offering"),
      (step) => insurance!.offerPolicy(wallet!, id.trim() as Hex, coverageBps, premium, expiry, (s) => step(t(`financing.step.${s}`))),
      t("financing.insurance.offered", { pct: `${form.coverage}%`, premium: money(premium) }),
    );
  }

  return (
    <section aria-labelledby="insurance-title">
      <div className="page-head">
        <div>
          <h1 id="insurance-title">{t("financing.insurance.title")}</h1>
          <p className="lede">{t("financing.insurance.lede")}</p>
        </div>
      </div>
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
      <form className="card form" onSubmit={onOffer} aria-labelledby="insurance-title">
        <fieldset disabled={!!busy}>
          <div className="form-grid">
            <label className="wide">
              {t("financing.receivableId")}
              <input
                name="insureId"
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
              <StatusBadge status={found.r.status} />
            </dd>
            <dt>{t("financing.facts.debtor")}</dt>
            <dd>
              <Party address={found.r.buyer} />
            </dd>
            <dt>{t("financing.facts.holder")}</dt>
            <dd>
              <Party address={found.r.holder} />
            </dd>
            <dt>{t("financing.facts.outstanding")}</dt>
            <dd>{money(outstanding)}</dd>
            <dt>{t("financing.facts.due")}</dt>
            <dd>{displayDate(found.r.dueDate * 1000)}</dd>
          </dl>
        )}
        {found?.policy && <PolicyFacts p={found.policy} />}
        {found && !found.policy && (
          <fieldset disabled={!!busy}>
            <legend>{t("financing.insurance.policyLegend")}</legend>
            <div className="form-grid">
              <label>
                {t("financing.insurance.coverage")}
                <input name="coverage" inputMode="decimal" required value={form.coverage} onChange={(e) => setForm({ ...form, coverage: e.target.value })} />
              </label>
              <label>
                {t("financing.insurance.premium")}
                <input
                  name="premium"
                  inputMode="decimal"
                  required
                  value={form.premium}
                  onChange={(e) => setForm({ ...form, premium: e.target.value })}
                  placeholder="1500.00"
                />
              </label>
              <label>
                {t("financing.insurance.validDays")}
                <input name="policyDays" inputMode="numeric" required value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
              </label>
            </div>
            <p className="hint">{t("financing.insurance.escrowHint", { amount: money(escrow) })}</p>
          </fieldset>
        )}
        <div className="form-foot">
          {found && !found.policy && (
            <button type="submit" className="primary" disabled={!!busy || !form.premium || found.r.status !== "Confirmed"}>
              {t("financing.insurance.submit")}
            </button>
          )}
          {mine && (
            <button
              type="button"
              disabled={!!busy}
              onClick={() =>
                void act(t("financing.insurance.releasing"), () => insurance.release(wallet!, id.trim() as Hex), t("financing.insurance.released"))
              }
            >
              {t("financing.insurance.release")}
            </button>
          )}
          {busy && <Spinner label={busy} />}
        </div>
      </form>
    </section>
  );
}

/** On a receivable's page: its policy, and the holder's accept/claim. */
export function InsuranceCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { t } = useTranslation();
  const { insurance, account, wallet, revision, refresh, chain, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [policy, setPolicy] = useState<Policy | null>(null);
  /** The chain's time (seconds): the policy's expiry is judged by it. */
  const [chainNow, setChainNow] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    if (!insurance) return;
    insurance
      .policy(r.id)
      .then((p) => !cancelled && setPolicy(p))
      .catch(() => !cancelled && setPolicy(null));
    chain
      .now()
      .then((now) => !cancelled && setChainNow(Number(now)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [insurance, chain, r.id, revision]);

  if (!insurance || (!policy && !result)) return null;
  const isHolder = account?.address.toLowerCase() === r.holder.toLowerCase();
  // By the chain's time, as the contract judges: an offer is accepted and a claim made only until the expiry,
  // a claim only once the receivable is Defaulted.
  const inForce = policy !== null && chainNow !== null && chainNow <= policy.expiry;
  const canAccept = isHolder && inForce && !policy.active;
  const canClaim = isHolder && inForce && policy.active && !policy.claimed && r.status === "Defaulted";
  const outstanding = BigInt(r.outstanding);
  const payout = policy ? min((outstanding * BigInt(policy.coverageBps)) / 10_000n, policy.escrow) : 0n;

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setResult({ tone: "ok", text: done, tx });
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }

  return (
    <section className="card insurance-card" aria-labelledby="insurance-h">
      <h2 id="insurance-h">{t("financing.insurance.title")}</h2>
      {policy && <PolicyFacts p={policy} />}
      <div className="button-row">
        {canAccept && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet}
            onClick={() =>
              void act(
                t("financing.insurance.card.accepting"),
                (step) => insurance.acceptPolicy(wallet!, r.id, policy!.premium, (s) => step(t(`financing.step.${s}`))),
                t("financing.insurance.card.accepted"),
              )
            }
          >
            {t("financing.insurance.card.accept", { premium: money(policy!.premium) })}
          </button>
        )}
        {canClaim && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const currency = r.invoice?.currency ?? tokenSymbol;
              const insurer = companyOf(policy!.insurer)?.name ?? policy!.insurer;
              const name = receivableName(r);
              const capped = payout < (outstanding * BigInt(policy!.coverageBps)) / 10_000n;
              const pays = {
                insurer,
                payout: `${money(payout)} ${currency}`,
                pct: bpsShare(policy!.coverageBps, 0),
                outstanding: `${money(outstanding)} ${currency}`,
                escrow: money(policy!.escrow),
              };
              const ok = await confirm({
                title: t("financing.insurance.card.claimTitle", { name }),
                body: (
                  <>
                    <p>{capped ? t("financing.insurance.card.claimPaysCapped", pays) : t("financing.insurance.card.claimPays", pays)}</p>
                    <p>{t("financing.insurance.card.claimAfter", { insurer, name })}</p>
                  </>
                ),
                confirmLabel: t("financing.insurance.card.claimConfirm"),
                danger: false,
              });
              if (ok) void act(t("financing.insurance.card.claiming"), () => insurance.claim(wallet!, r.id), t("financing.insurance.card.claimPaid"));
            }}
          >
            {t("financing.insurance.card.claim", { pct: bpsShare(policy!.coverageBps, 0), amount: money(r.outstanding) })}
          </button>
        )}
      </div>
      {dialog}
      {busy && <Spinner label={busy} />}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
    </section>
  );
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
